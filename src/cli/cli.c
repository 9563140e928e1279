/* cli.c - see cli.h */
#include "cli.h"

#include "mrm/csv.h"
#include "mrm/store.h"
#include "mrm/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct cli_cmd *cli_find(const char *name)
{
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mrm %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see: mrm help %s)\n", cmd);
	return CLI_USAGE;
}

int cli_error(const char *cmd, const struct mrm_error *err)
{
	char text[MRM_ERROR_WHERE_MAX + MRM_ERROR_MSG_MAX + 4];

	mrm_error_format(err, text, sizeof(text));
	fprintf(stderr, "mrm %s: %s\n", cmd, text);
	return CLI_FAIL;
}

static const struct cli_opt *find_opt(const struct cli_opt *opts,
				      const char *name, size_t len)
{
	for (const struct cli_opt *o = opts; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static int push(const char ***list, const char *v)
{
	size_t n = 0;
	const char **l;

	while (*list && (*list)[n])
		n++;
	l = realloc(*list, (n + 2) * sizeof(*l));
	if (!l)
		return -1;
	l[n] = v;
	l[n + 1] = NULL;
	*list = l;
	return 0;
}

/* Options every command takes: how to unlock a database locked with a
 * passphrase (cli_open()). */
static const struct cli_opt global_opts[] = {
	{"passphrase-fd", &cli_passphrase_fd, NULL, NULL},
	{"passphrase-file", &cli_passphrase_file, NULL, NULL},
	{NULL, NULL, NULL, NULL}};

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      const struct cli_opt *opts, char **pos, int maxpos, int *npos)
{
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *val;
		const struct cli_opt *o;
		size_t len;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cmd->usage, stdout);
			return -1;
		}
		if (strncmp(a, "--", 2) || !a[2]) {
			if (*npos >= maxpos)
				return cli_usage(cmd->name,
						 "unexpected argument \"%s\"",
						 a);
			pos[(*npos)++] = argv[i];
			continue;
		}
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		o = find_opt(opts, a + 2, len);
		if (!o)
			o = find_opt(global_opts, a + 2, len);
		if (!o) {
			size_t best = (size_t)-1;
			const char *near = NULL;

			for (const struct cli_opt *k = opts; k->name; k++) {
				size_t d = mrm_utf8_distance(a + 2, k->name);

				if (d < best) {
					best = d;
					near = k->name;
				}
			}
			return cli_usage(cmd->name, "unknown option %s%s%s", a,
					 near ? "; did you mean --" : "",
					 near ? near : "");
		}
		if (o->flag) {
			if (eq)
				return cli_usage(cmd->name,
						 "--%s takes no value",
						 o->name);
			*o->flag = 1;
			continue;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return cli_usage(cmd->name, "--%s needs a value",
					 o->name);
		if (o->list) {
			if (push(o->list, val))
				return CLI_FAIL;
		} else {
			*o->value = val;
		}
	}
	return 0;
}

int cli_format(const char *cmd, const char *s, enum cli_format *out)
{
	if (!s || !strcmp(s, "table"))
		*out = CLI_TABLE;
	else if (!strcmp(s, "json"))
		*out = CLI_JSON;
	else if (!strcmp(s, "csv"))
		*out = CLI_CSV;
	else
		return cli_usage(cmd,
				 "--format must be table, json or csv, not "
				 "\"%s\"",
				 s);
	return 0;
}

FILE *cli_create_private(const char *cmd, const char *path)
{
	struct mrm_error err;
	struct stat sb;
	FILE *fp = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	int saved = errno;

	/* the mode first: a file that cannot be made private keeps its
	 * content */
	if (fd >= 0 && fstat(fd, &sb))
		saved = errno;
	else if (fd >= 0 && S_ISREG(sb.st_mode) &&
		 (fchmod(fd, 0600) || ftruncate(fd, 0)))
		saved = errno;
	else if (fd >= 0 && !(fp = fdopen(fd, "w")))
		saved = errno;
	if (fp)
		return fp;
	if (fd >= 0)
		close(fd);
	mrm_error_set(&err, MRM_ERR_IO, path,
		      "cannot create it readable by its owner only: %s",
		      strerror(saved));
	cli_error(cmd, &err);
	return NULL;
}

void cli_rows_begin(struct cli_rows *r, enum cli_format fmt,
		    const struct cli_column *cols, size_t ncols,
		    const int *table, struct mrm_error *err)
{
	*r = (struct cli_rows){fmt, cols, ncols, table, NULL, err};
	for (size_t i = 0; fmt == CLI_CSV && i < ncols; i++)
		printf("%s%s", cols[i].name, i + 1 < ncols ? "," : "\n");
}

static int emit_json(struct cli_rows *r, const char *const *values)
{
	json_t *o = json_object();

	if (!r->arr)
		r->arr = json_array();
	for (size_t i = 0; o && i < r->ncols; i++)
		if (json_object_set_new(o, r->cols[i].name,
					json_string(values[i]))) {
			json_decref(o);
			o = NULL;
		}
	return o && r->arr && !json_array_append_new(r->arr, o) ? 0 : -1;
}

int cli_emit_row(struct cli_rows *r, const char *const *values)
{
	struct mrm_buf b = MRM_BUF_INIT(1u << 20);
	int rc = 0;

	switch (r->fmt) {
	case CLI_JSON: rc = emit_json(r, values) ? MRM_ERR_NOMEM : 0; break;
	case CLI_CSV:
		rc = mrm_csv_put_record(&b, values, r->ncols);
		if (!rc)
			fputs(b.ptr, stdout);
		break;
	case CLI_TABLE:
		for (const int *c = r->table; *c >= 0; c++)
			printf("%-*s%s", r->cols[*c].width, values[*c],
			       c[1] >= 0 ? " " : "\n");
		break;
	}
	mrm_buf_release(&b);
	if (rc == MRM_ERR_LIMIT)
		return mrm_error_set(r->err, rc, NULL, "a row over %zu bytes",
				     b.max);
	if (rc)
		return mrm_error_set(r->err, rc, NULL,
				     "out of memory listing the rows");
	return 0;
}

void cli_rows_end(struct cli_rows *r, int ok)
{
	if (ok && r->fmt == CLI_JSON) {
		if (r->arr)
			json_dumpf(r->arr, stdout,
				   JSON_COMPACT | JSON_PRESERVE_ORDER);
		else
			fputs("[]", stdout);
		putchar('\n');
	}
	json_decref(r->arr);
	r->arr = NULL;
}

int cli_number(const char *cmd, const char *opt, const char *s, long lo,
	       long hi, unsigned *out)
{
	char *end;
	long n;

	*out = 0;
	if (!s)
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < lo || n > hi)
		return cli_usage(cmd, "--%s must be %ld to %ld, not \"%s\"",
				 opt, lo, hi, s);
	*out = (unsigned)n;
	return 0;
}
