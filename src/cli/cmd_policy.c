/* cmd_policy.c - mrm policy list|show|add|link|unlink|impact|install */
#include "cli.h"

#include "mrm/buf.h"
#include "mrm/policy.h"
#include "mrm/store.h"
#include "mrm/vocab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct args {
	const char *db, *format, *country, *key, *instrument, *title, *date,
		*from, *to, *summary, *source, *url, *note, *event, *policy,
		*window, *by, *at, *k, *out, *lang;
	int public, estimate;
};

static const struct cli_column list_columns[] = {
	{"key", 36},	       {"country", 7},	    {"instrument", 18},
	{"date", 10},	       {"title", 0},	    {"adopted", 0},
	{"effective_from", 0}, {"effective_to", 0}, {"summary", 0},
	{"source", 0},	       {"source_url", 0},   {"estimate", 0},
	{"note", 0},	       {"org", 0}};
static const int list_table[] = {0, 1, 2, 3, 4, -1};
#define NLIST (sizeof(list_columns) / sizeof(list_columns[0]))

static int print_policy_row(void *ctx, const struct mrm_policy *p)
{
	const char *values[NLIST] = {p->key,
				     p->country,
				     p->instrument,
				     *p->effective_from ? p->effective_from
							: p->adopted,
				     p->title,
				     p->adopted,
				     p->effective_from,
				     p->effective_to,
				     p->summary,
				     p->source,
				     p->source_url,
				     p->estimate ? "1" : "0",
				     p->note,
				     p->org};

	return cli_emit_row(ctx, values);
}

static int do_list(struct mrm_store *st, const struct args *a,
		   struct mrm_error *err)
{
	struct cli_rows rows;
	enum cli_format fmt;
	int rc;

	if ((rc = cli_format("policy", a->format, &fmt)))
		return rc;
	cli_rows_begin(&rows, fmt, list_columns, NLIST, list_table, err);
	rc = mrm_policy_each(st, a->country, print_policy_row, &rows, err);
	cli_rows_end(&rows, !rc);
	return rc ? cli_error("policy", err) : CLI_OK;
}

/* ---- show ---- */

struct shown {
	json_t *policy;
	json_t *events;
};

static int keep_json(void *ctx, const struct mrm_policy *p)
{
	struct shown *s = ctx;

	s->policy = mrm_policy_json(p);
	return s->policy ? 0 : MRM_ERR_NOMEM;
}

static int keep_event(void *ctx, int64_t id)
{
	return json_array_append_new(ctx, json_integer(id)) ? MRM_ERR_NOMEM : 0;
}

static void show_table(json_t *o)
{
	const char *key;
	json_t *v, *events = json_object_get(o, "events");
	size_t i;

	json_object_foreach(o, key, v)
	{
		if (json_is_string(v))
			printf("%-15s %s\n", key, json_string_value(v));
		else if (json_is_boolean(v))
			printf("%-15s %s\n", key,
			       json_is_true(v) ? "yes" : "no");
	}
	printf("%-15s", "events");
	json_array_foreach(events, i, v)
		printf(" %lld", (long long)json_integer_value(v));
	printf("%s\n", json_array_size(events) ? "" : " (none linked)");
}

static int do_show(struct mrm_store *st, const struct args *a,
		   struct mrm_error *err)
{
	struct shown s = {NULL, json_array()};
	enum cli_format fmt;
	int rc;

	if ((rc = cli_format("policy", a->format, &fmt)) || fmt == CLI_CSV) {
		json_decref(s.events);
		return rc ? rc
			  : cli_usage("policy", "show: --format table or json");
	}
	rc = s.events ? mrm_policy_find(st, a->key, keep_json, &s, err)
		      : MRM_ERR_NOMEM;
	if (!rc)
		rc = mrm_policy_events(st, NULL, a->key, keep_event, s.events,
				       err);
	if (!rc) {
		json_object_set(s.policy, "events", s.events);
		if (fmt == CLI_JSON) {
			json_dumpf(s.policy, stdout,
				   JSON_COMPACT | JSON_PRESERVE_ORDER);
			putchar('\n');
		} else {
			show_table(s.policy);
		}
	}
	if (rc == MRM_ERR_NOMEM)
		mrm_error_set(err, rc, NULL, "out of memory");
	json_decref(s.policy);
	json_decref(s.events);
	return rc ? cli_error("policy", err) : CLI_OK;
}

/* ---- add, link ---- */

static int do_add(struct mrm_store *st, const struct args *a,
		  struct mrm_error *err)
{
	struct mrm_policy p = {.key = a->key,
			       .country = a->country,
			       .instrument = a->instrument,
			       .title = a->title,
			       .summary = a->summary,
			       .adopted = a->date,
			       .effective_from = a->from,
			       .effective_to = a->to,
			       .source = a->source,
			       .source_url = a->url,
			       .note = a->note,
			       .estimate = a->estimate};

	if (mrm_policy_add(st, NULL, &p, err))
		return cli_error("policy", err);
	printf("Added policy %s.\n", a->key);
	return CLI_OK;
}

static int do_link(struct mrm_store *st, const struct args *a, int link,
		   struct mrm_error *err)
{
	char *end;
	long long id;
	int rc;

	errno = 0;
	id = strtoll(a->event, &end, 10);
	if (errno || end == a->event || *end || id < 1)
		return cli_usage("policy",
				 "--event must be an event id (a whole number "
				 "above 0), not \"%s\"",
				 a->event);
	rc = link ? mrm_policy_link(st, NULL, id, a->policy, err)
		  : mrm_policy_unlink(st, NULL, id, a->policy, err);
	if (rc)
		return cli_error("policy", err);
	printf("%s event %lld %s policy %s.\n", link ? "Linked" : "Unlinked",
	       id, link ? "to" : "from", a->policy);
	return CLI_OK;
}

static int do_install(struct mrm_store *st, struct mrm_error *err)
{
	int n = 0;

	if (mrm_policy_sync(st, 1, &n, err))
		return cli_error("policy", err);
	printf("Loaded %d shipped policies.\n", n);
	return CLI_OK;
}

/* ---- impact ---- */

static void impact_table(const struct mrm_policy_impact *r,
			 const struct mrm_vocab *v)
{
	const struct mrm_policy *p = &r->policy;
	const char *scheme = mrm_stats_dim_scheme(r->by);
	char t[6][MRM_POLICY_FIGURE_MAX];

	printf("Policy:  %s  %s\n         %s, %s, adopted %s, in force "
	       "from %s%s\n         source: %s%s%s\n",
	       p->key, p->title, p->instrument, p->country,
	       *p->adopted ? p->adopted : "(not known)",
	       *p->effective_from ? p->effective_from : "(not known)",
	       p->estimate ? " (estimate: verify)" : "", p->source,
	       *p->source_url ? " " : "", p->source_url);
	printf("Before:  %s to %s\nAfter:   %s to %s\nPlaces:  %s\n%s\n\n",
	       r->from[0], r->to[0], r->from[1], r->to[1],
	       *r->places ? r->places : "anywhere",
	       r->public ? "Public: figures under k withheld" : "Internal");
	printf("%-24s %12s %12s %8s %12s %12s %8s\n", r->by, "acts before",
	       "acts after", "change", "pers. before", "pers. after", "change");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct mrm_policy_impact_row *row = &r->rows[i];
		const char *name = !strcmp(row->code, MRM_STATS_ALL) ? "Total"
				   : *row->code			     ? row->code
						: "unknown";

		mrm_policy_row_texts(r, row, t);
		printf("%-24s %12s %12s %8s %12s %12s %8s", name, t[0], t[1],
		       t[2], t[3], t[4], t[5]);
		if (scheme && *row->code && strcmp(row->code, MRM_STATS_ALL))
			printf("  %s",
			       mrm_vocab_label(v, scheme, row->code, "en"));
		putchar('\n');
	}
	mrm_policy_figure_text(r, &r->unplaced_acts, t[0],
			       MRM_POLICY_FIGURE_MAX);
	mrm_policy_figure_text(r, &r->unplaced_persons, t[1],
			       MRM_POLICY_FIGURE_MAX);
	printf("\nDated too coarsely to place: %s acts, %s persons.\n", t[0],
	       t[1]);
}

static int impact_csv(const struct mrm_policy_impact *r, struct mrm_error *err)
{
	struct mrm_buf b = MRM_BUF_INIT((size_t)8 << 20);
	int rc = mrm_policy_impact_csv(r, &b);

	if (rc)
		mrm_error_set(err, rc, NULL, "cannot build the table");
	else
		fwrite(b.ptr, 1, b.len, stdout);
	mrm_buf_release(&b);
	return rc ? cli_error("policy", err) : CLI_OK;
}

static int impact_html(struct mrm_store *st, const struct args *a,
		       const struct mrm_policy_impact *r, struct mrm_error *err)
{
	struct mrm_buf b = MRM_BUF_INIT((size_t)8 << 20);
	FILE *fp = stdout;
	int rc = mrm_policy_impact_html(st, r, a->lang, &b, err);

	if (!rc && a->out && !(fp = cli_create_private("policy", a->out))) {
		mrm_buf_release(&b);
		return CLI_FAIL;
	}
	if (!rc && (fwrite(b.ptr, 1, b.len, fp) != b.len ||
		    (fp != stdout ? fclose(fp) : fflush(fp))))
		rc = mrm_error_set(err, MRM_ERR_IO, a->out ? a->out : "stdout",
				   "writing the report failed: %s",
				   strerror(errno));
	else if (rc && fp != stdout)
		fclose(fp);
	mrm_buf_release(&b);
	if (!rc && a->out)
		printf("Wrote %s.\n", a->out);
	return rc ? cli_error("policy", err) : CLI_OK;
}

static int do_impact(struct mrm_store *st, const struct args *a,
		     struct mrm_error *err)
{
	struct mrm_policy_impact_opts o = {.key = a->policy,
					   .at = a->at,
					   .by = a->by,
					   .country = a->country,
					   .public = a->public};
	struct mrm_policy_impact *r = NULL;
	int html = a->format && !strcmp(a->format, "html");
	enum cli_format fmt = CLI_TABLE;
	json_t *j;
	int rc;

	if ((rc = cli_number("policy", "window", a->window, 1,
			     MRM_POLICY_WINDOW_MAX, &o.window)) ||
	    (rc = cli_number("policy", "k", a->k, 2, 1000, &o.k)))
		return rc;
	if (a->k && !a->public)
		return cli_usage("policy", "--k goes with --public");
	if (!html && (rc = cli_format("policy", a->format, &fmt)))
		return rc;
	if (mrm_policy_impact(st, &o, &r, err))
		return cli_error("policy", err);
	if (html) {
		rc = impact_html(st, a, r, err);
	} else if (fmt == CLI_JSON) {
		j = mrm_policy_impact_json(r);
		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
	} else if (fmt == CLI_CSV) {
		rc = impact_csv(r, err);
	} else {
		impact_table(r, mrm_store_vocab(st));
	}
	mrm_policy_impact_free(r);
	return rc;
}

/* ---- the command ---- */

static int required(const char *what, const char *const *names,
		    const char *const *values, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!values[i] || !*values[i])
			return cli_usage("policy", "%s needs --%s", what,
					 names[i]);
	return 0;
}

static int check_required(const char *verb, const struct args *a)
{
	static const char *const add_names[] = {
		"key", "country", "instrument", "title", "date", "source"};
	const char *add_values[] = {a->key,   a->country, a->instrument,
				    a->title, a->date,	  a->source};
	static const char *const link_names[] = {"event", "policy"};
	const char *link_values[] = {a->event, a->policy};

	if (!strcmp(verb, "add"))
		return required("add", add_names, add_values, 6);
	if (!strcmp(verb, "link") || !strcmp(verb, "unlink"))
		return required(verb, link_names, link_values, 2);
	if (!strcmp(verb, "impact"))
		return required("impact", link_names + 1, link_values + 1, 1);
	if (!strcmp(verb, "show") && !a->key)
		return cli_usage("policy", "say which: mrm policy show KEY");
	return 0;
}

static const char *const verbs[] = {"list",   "show",	"add",	   "link",
				    "unlink", "impact", "install", NULL};

int cmd_policy(int argc, char **argv)
{
	struct args a = {0};
	const struct cli_opt opts[] = {
		{"db", &a.db, NULL, NULL},
		{"format", &a.format, NULL, NULL},
		{"country", &a.country, NULL, NULL},
		{"key", &a.key, NULL, NULL},
		{"instrument", &a.instrument, NULL, NULL},
		{"title", &a.title, NULL, NULL},
		{"date", &a.date, NULL, NULL},
		{"from", &a.from, NULL, NULL},
		{"to", &a.to, NULL, NULL},
		{"summary", &a.summary, NULL, NULL},
		{"source", &a.source, NULL, NULL},
		{"url", &a.url, NULL, NULL},
		{"note", &a.note, NULL, NULL},
		{"estimate", NULL, &a.estimate, NULL},
		{"event", &a.event, NULL, NULL},
		{"policy", &a.policy, NULL, NULL},
		{"window", &a.window, NULL, NULL},
		{"by", &a.by, NULL, NULL},
		{"at", &a.at, NULL, NULL},
		{"public", NULL, &a.public, NULL},
		{"k", &a.k, NULL, NULL},
		{"out", &a.out, NULL, NULL},
		{"lang", &a.lang, NULL, NULL},
		{NULL}};
	struct mrm_store *st;
	struct mrm_error err;
	char *pos[2];
	const char *verb;
	int npos, rc, known = 0;

	rc = cli_parse(cli_find("policy"), argc, argv, opts, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	verb = npos ? pos[0] : "";
	for (size_t i = 0; verbs[i]; i++)
		known |= !strcmp(verb, verbs[i]);
	if (!known)
		return cli_usage("policy", "say list, show, add, link, unlink, "
					   "impact or install");
	if (npos == 2 && strcmp(verb, "show"))
		return cli_usage("policy", "unexpected argument \"%s\"",
				 pos[1]);
	if (npos == 2)
		a.key = pos[1];
	if ((rc = check_required(verb, &a)) ||
	    (rc = cli_open("policy", a.db, &st)))
		return rc;
	mrm_error_clear(&err);
	if (!strcmp(verb, "list"))
		rc = do_list(st, &a, &err);
	else if (!strcmp(verb, "show"))
		rc = do_show(st, &a, &err);
	else if (!strcmp(verb, "add"))
		rc = do_add(st, &a, &err);
	else if (!strcmp(verb, "impact"))
		rc = do_impact(st, &a, &err);
	else if (!strcmp(verb, "install"))
		rc = do_install(st, &err);
	else
		rc = do_link(st, &a, !strcmp(verb, "link"), &err);
	mrm_store_close(st);
	return rc;
}
