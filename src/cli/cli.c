/* cli.c - see cli.h */
#include "cli.h"

#include "mrm/store.h"
#include "mrm/utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

int cli_open(const char *cmd, const char *db, struct mrm_store **st)
{
	struct mrm_error err;

	*st = NULL;
	if (!db)
		return cli_usage(cmd, "--db FILE is required");
	if (mrm_store_open(st, db, &err))
		return cli_error(cmd, &err);
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
