/* cmd_audit.c - mrm audit verify | head | log */
#include "cli.h"

#include "mrm/audit.h"
#include "mrm/store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOG_LIMIT_DEFAULT 100

static const struct cli_column log_columns[] = {
	{"seq", 7},	 {"at", 24},	  {"actor", 20}, {"action", 8},
	{"table", 13},	 {"record", 8},	  {"detail", 0}, {"user_id", 0},
	{"old_hash", 0}, {"new_hash", 0}, {"hash", 0},
};
#define NCOLS (sizeof(log_columns) / sizeof(log_columns[0]))
static const int log_table[] = {0, 1, 2, 3, 4, 5, 6, -1};

static int verify(struct mrm_store *st, const char *expect)
{
	struct mrm_audit_report r;
	struct mrm_error err;
	char head[MRM_AUDIT_HEAD_MAX];

	if (mrm_audit_verify(st, expect, &r, &err)) {
		if (err.code == MRM_ERR_INVALID)
			return cli_usage("audit", "%s: %s", err.where, err.msg);
		fprintf(stderr,
			"mrm audit: the audit log does NOT verify: entry %lld: "
			"%s\n(%lld entries before it verify)\n",
			(long long)r.bad_seq, r.problem, (long long)r.entries);
		return CLI_FAIL;
	}
	mrm_audit_head_format(r.head_seq, r.head, head);
	printf("The audit log verifies: %lld entries, head %s%s\n",
	       (long long)r.entries, head,
	       expect ? " (it holds the head you noted)" : "");
	return CLI_OK;
}

static int head(struct mrm_store *st)
{
	unsigned char hash[MRM_AUDIT_HASH];
	char text[MRM_AUDIT_HEAD_MAX];
	struct mrm_error err;
	int64_t seq;

	if (mrm_audit_head(st, &seq, hash, &err))
		return cli_error("audit", &err);
	mrm_audit_head_format(seq, hash, text);
	printf("%s\n", text);
	return CLI_OK;
}

/* A member of an entry as text ("" for null). */
static const char *member(json_t *e, const char *name, char *tmp, size_t n)
{
	json_t *v = json_object_get(e, name);

	if (json_is_integer(v)) {
		snprintf(tmp, n, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return tmp;
	}
	return json_is_string(v) ? json_string_value(v) : "";
}

struct log_out {
	enum cli_format fmt;
	struct cli_rows rows;
	json_t *arr; /* CLI_JSON */
	int64_t left;
};

static int print_entry(void *ctx, json_t *e)
{
	struct log_out *o = ctx;
	const char *vals[NCOLS];
	char tmp[NCOLS][32];

	o->left--;
	if (o->fmt == CLI_JSON)
		return json_array_append(o->arr, e) ? MRM_ERR_NOMEM : 0;
	for (size_t i = 0; i < NCOLS; i++)
		vals[i] =
			member(e, log_columns[i].name, tmp[i], sizeof(tmp[i]));
	return cli_emit_row(&o->rows, vals);
}

/* --limit: a whole number >= 1, or "all" (-1); 0 when it is neither. */
static int64_t parse_limit(const char *s)
{
	char *end;
	long long v;

	if (!s)
		return LOG_LIMIT_DEFAULT;
	if (!strcmp(s, "all"))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || end == s || *end || v < 1 ? 0 : v;
}

static int log_pages(struct mrm_store *st, const struct mrm_audit_filter *f,
		     struct log_out *o, struct mrm_error *err)
{
	int64_t cursor = 0;
	int rc = 0;

	do {
		unsigned page = o->left < 0 || o->left > MRM_AUDIT_LIMIT_MAX
					? MRM_AUDIT_LIMIT_MAX
					: (unsigned)o->left;

		rc = mrm_audit_list(st, f, cursor, page, print_entry, o,
				    &cursor, err);
	} while (!rc && cursor && o->left);
	return rc;
}

static int log_cmd(struct mrm_store *st, const struct mrm_audit_filter *f,
		   enum cli_format fmt, int64_t limit)
{
	struct log_out o = {.fmt = fmt, .left = limit};
	struct mrm_error err;
	int rc;

	if (fmt == CLI_JSON && !(o.arr = json_array()))
		return cli_usage("audit", "out of memory");
	cli_rows_begin(&o.rows, fmt, log_columns, NCOLS, log_table, &err);
	if (fmt == CLI_TABLE)
		printf("%-7s %-24s %-20s %-8s %-13s %-8s %s\n", "seq", "at",
		       "actor", "action", "table", "record", "detail");
	rc = log_pages(st, f, &o, &err);
	cli_rows_end(&o.rows, !rc && fmt != CLI_JSON);
	if (!rc && fmt == CLI_JSON) {
		json_dumpf(o.arr, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
	json_decref(o.arr);
	if (rc == MRM_ERR_INVALID)
		return cli_usage("audit", "--%s: %s", err.where, err.msg);
	return rc ? cli_error("audit", &err) : CLI_OK;
}

/* --record: a positive id into *out; -1 when it is not one. */
static int parse_record(const char *s, int64_t *out)
{
	char *end;
	long long v;

	*out = 0;
	if (!s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 1)
		return -1;
	*out = v;
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	const char *db = NULL, *expect = NULL, *format = NULL, *limit_s = NULL,
		   *record_s = NULL;
	struct mrm_audit_filter f = {0};
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"expect-head", &expect, NULL, NULL},
				       {"since", &f.since, NULL, NULL},
				       {"until", &f.until, NULL, NULL},
				       {"user", &f.user, NULL, NULL},
				       {"table", &f.table, NULL, NULL},
				       {"record", &record_s, NULL, NULL},
				       {"action", &f.action, NULL, NULL},
				       {"limit", &limit_s, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {NULL}};
	struct mrm_store *st = NULL;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;
	int64_t limit;

	rc = cli_parse(cli_find("audit"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "verify") && strcmp(pos[0], "head") &&
			  strcmp(pos[0], "log")))
		return cli_usage("audit", "say verify, head or log");
	if ((rc = cli_format("audit", format, &fmt)))
		return rc;
	if (!(limit = parse_limit(limit_s)))
		return cli_usage("audit",
				 "--limit \"%s\": give a whole number of 1 or "
				 "more, or all",
				 limit_s);
	if (parse_record(record_s, &f.record))
		return cli_usage("audit",
				 "--record \"%s\": give a record id (a "
				 "positive number)",
				 record_s);
	if (strcmp(pos[0], "verify") && expect)
		return cli_usage("audit", "--expect-head goes with verify");
	if ((rc = cli_open("audit", db, &st)))
		return rc;
	if (!strcmp(pos[0], "verify"))
		rc = verify(st, expect);
	else if (!strcmp(pos[0], "head"))
		rc = head(st);
	else
		rc = log_cmd(st, &f, fmt, limit);
	mrm_store_close(st);
	return rc;
}
