/*
 * policy_report.c - the "policy-impact" report: the comparison of
 * policy_impact.c as one self-contained HTML page (inline style, an SVG
 * chart, no scripts, fonts or links), like the reports of report.c.
 */
#include "mrm/policy.h"

#include "mrm/store.h"
#include "mrm/svg.h"
#include "mrm/vocab.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page {
	struct mrm_buf *b;
	const struct mrm_vocab *v;
	const char *lang;
	int rc;
};

static void put(struct page *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct page *p, const char *fmt, ...)
{
	va_list ap;

	if (p->rc)
		return;
	va_start(ap, fmt);
	p->rc = mrm_buf_vaddf(p->b, fmt, ap);
	va_end(ap);
}

static void esc(struct page *p, const char *s)
{
	if (!p->rc)
		p->rc = mrm_svg_escape(p->b, s);
}

static const char style[] =
	"body{font-family:\"Noto Sans\",\"Noto Sans Thai\",\"Noto Sans "
	"Myanmar\",Padauk,\"Noto Sans Khmer\",\"Noto Sans Lao\",Tahoma,"
	"\"DejaVu Sans\",Arial,sans-serif;margin:2em auto;max-width:62em;"
	"padding:0 1.5em;color:#111;background:#fff;line-height:1.5}\n"
	"h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:2px solid "
	"#0072b2}\n"
	"dl.policy{display:grid;grid-template-columns:max-content auto;"
	"gap:.2em 1em}dl.policy dt{font-weight:bold}dl.policy dd{margin:0}\n"
	".note{background:#f3f6f9;border-left:4px solid #0072b2;"
	"padding:.6em 1em}\n.note.estimate{border-color:#d55e00}\n"
	"table.data{border-collapse:collapse;margin:.8em 0}\n"
	"table.data th,table.data td{border:1px solid #bbb;padding:.25em .6em;"
	"text-align:left}\ntable.data thead th{background:#eef2f6}\n"
	"table.data .num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"table.data tfoot th,table.data tfoot td{font-weight:bold}\n"
	"svg.chart{display:block;width:100%;max-width:720px;height:auto}\n"
	"@page{size:A4;margin:16mm 14mm 18mm}\n"
	"@media print{body{margin:0;max-width:none;font-size:10.5pt}}\n";

static const char *label(const struct page *p,
			 const struct mrm_policy_impact *r, const char *code)
{
	if (!*code)
		return "unknown";
	return mrm_vocab_label(p->v, mrm_stats_dim_scheme(r->by), code,
			       p->lang);
}

static void item(struct page *p, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	put(p, "<dt>%s</dt><dd>", name);
	esc(p, value);
	put(p, "</dd>\n");
}

static void policy_part(struct page *p, const struct mrm_policy_impact *r)
{
	const struct mrm_policy *pol = &r->policy;
	const char *country =
		mrm_vocab_label(p->v, "country", pol->country, p->lang);

	put(p, "<h2>The policy</h2>\n<dl class=\"policy\">\n");
	item(p, "Key", pol->key);
	item(p, "Country", country);
	item(p, "Instrument", pol->instrument);
	item(p, "Summary", pol->summary);
	item(p, "Adopted", pol->adopted);
	item(p, "In force from", pol->effective_from);
	item(p, "In force until", pol->effective_to);
	item(p, "Source", pol->source);
	item(p, "Source address", pol->source_url);
	item(p, "Note", pol->note);
	put(p, "</dl>\n");
	if (pol->estimate)
		put(p, "<p class=\"note estimate\">A date or figure of this "
		       "policy is flagged as an estimate or as to be verified "
		       "in its source.</p>\n");
}

static void method_part(struct page *p, const struct mrm_policy_impact *r)
{
	put(p,
	    "<p class=\"note\">Compared around %s: %u months before "
	    "(%s to %s) and %u months from it (%s to %s). ",
	    r->at, r->window, r->from[0], r->to[0], r->window, r->from[1],
	    r->to[1]);
	if (*r->places) {
		put(p, "Acts in ");
		esc(p, r->places);
		put(p, " only. ");
	}
	put(p, "Persons count people: a group of 120 counts 120. An act "
	       "counts on a side only when its date, at the precision "
	       "known, lies wholly in that window. These are what the "
	       "network documented, not an estimate of all that "
	       "happened.");
	if (r->public)
		put(p,
		    " Public edition: figures under %u people are shown as "
		    "&lt;%u, and figures that would reveal them as x.",
		    r->k, r->k);
	put(p, "</p>\n");
}

static void figure_td(struct page *p, const struct mrm_policy_impact *r,
		      const struct mrm_policy_figure *f)
{
	char text[24];

	mrm_policy_figure_text(r, f, text, sizeof(text));
	put(p, "<td class=\"num\">");
	esc(p, text);
	put(p, "</td>");
}

static void pair_tds(struct page *p, const struct mrm_policy_impact *r,
		     const struct mrm_policy_figure f[2])
{
	char change[24];

	figure_td(p, r, &f[0]);
	figure_td(p, r, &f[1]);
	mrm_policy_change_text(f, change, sizeof(change));
	put(p, "<td class=\"num\">%s</td>", change);
}

static void table_part(struct page *p, const struct mrm_policy_impact *r)
{
	const char *dim =
		strcmp(r->by, "act_type") ? "Nationality" : "Act type";

	put(p,
	    "<h2>Before and after</h2>\n<table class=\"data\">\n"
	    "<thead><tr><th rowspan=\"2\">%s</th><th colspan=\"3\">Acts</th>"
	    "<th colspan=\"3\">Persons</th></tr>\n<tr>",
	    dim);
	for (int i = 0; i < 2; i++)
		put(p, "<th class=\"num\">Before</th><th class=\"num\">After"
		       "</th><th class=\"num\">Change</th>");
	put(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i + 1 < r->nrows; i++) {
		put(p, "<tr><th>");
		esc(p, label(p, r, r->rows[i].code));
		put(p, "</th>");
		pair_tds(p, r, r->rows[i].acts);
		pair_tds(p, r, r->rows[i].persons);
		put(p, "</tr>\n");
	}
	put(p, "</tbody>\n<tfoot><tr><th>Total</th>");
	pair_tds(p, r, r->rows[r->nrows - 1].acts);
	pair_tds(p, r, r->rows[r->nrows - 1].persons);
	put(p, "</tr></tfoot>\n</table>\n<p>Dated too coarsely to place on "
	       "either side: ");
	figure_td(p, r, &r->unplaced_acts);
	put(p, " acts, ");
	figure_td(p, r, &r->unplaced_persons);
	put(p, " persons.</p>\n");
}

static struct mrm_svg_value svg_value(const struct mrm_policy_impact *r,
				      const struct mrm_policy_figure *f,
				      char *mark)
{
	struct mrm_svg_value v = {(double)f->value, NULL};

	if (f->mark != MRM_STATS_SHOWN) {
		mrm_policy_figure_text(r, f, mark, 16);
		v.mark = mark;
	}
	return v;
}

/* Persons before and after per row, as horizontal bars. */
static int chart_part(struct page *p, const struct mrm_policy_impact *r)
{
	size_t n = (r->nrows - 1) * 2;
	const char **cats = calloc(n + 1, sizeof(*cats));
	char **texts = calloc(n + 1, sizeof(*texts));
	char(*marks)[16] = calloc(n + 1, sizeof(*marks));
	struct mrm_svg_value *vals = calloc(n + 1, sizeof(*vals));
	struct mrm_svg_series series = {"Persons", vals};
	char legend[64];
	int rc = MRM_ERR_NOMEM;

	if (!cats || !texts || !marks || !vals)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct mrm_policy_impact_row *row = &r->rows[i / 2];
		const char *side = i % 2 ? "after" : "before";
		size_t len = strlen(label(p, r, row->code)) + 16;

		if (!(texts[i] = malloc(len)))
			goto out;
		snprintf(texts[i], len, "%s, %s", label(p, r, row->code), side);
		cats[i] = texts[i];
		vals[i] = svg_value(r, &row->persons[i % 2], marks[i]);
	}
	snprintf(legend, sizeof(legend), "withheld (under %u people)", r->k);
	rc = n ? mrm_svg_bars(p->b,
			      &(struct mrm_svg_chart){
				      .id = "impact",
				      .title = "Persons before and after",
				      .desc = "Horizontal bars: persons in "
					      "each category before and "
					      "after the policy's date",
				      .x_label = "Persons",
				      .y_label = strcmp(r->by, "act_type")
							 ? "Nationality"
							 : "Act type",
				      .cats = cats,
				      .ncats = n,
				      .series = &series,
				      .nseries = 1,
				      .withheld = legend})
	       : 0;
out:
	for (size_t i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
	free(cats);
	free(marks);
	free(vals);
	return rc;
}

int mrm_policy_impact_html(struct mrm_store *st,
			   const struct mrm_policy_impact *r, const char *lang,
			   struct mrm_buf *out, struct mrm_error *err)
{
	struct page p = {out, mrm_store_vocab(st), lang ? lang : "en", 0};

	put(&p,
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta name=\"generator\" content=\"Migrant "
	    "Rights Monitor (mrm)\">\n<title>Policy on the ground: ");
	esc(&p, r->policy.title);
	put(&p,
	    "</title>\n<style>\n%s</style>\n</head>\n<body>\n<p>%s "
	    "edition</p>\n<h1>Policy on the ground: ",
	    style, r->public ? "Public" : "Internal");
	esc(&p, r->policy.title);
	put(&p, "</h1>\n");
	policy_part(&p, r);
	method_part(&p, r);
	table_part(&p, r);
	if (!p.rc) {
		put(&p, "<figure>\n");
		if (!p.rc)
			p.rc = chart_part(&p, r);
		put(&p, "</figure>\n");
	}
	put(&p, "<footer><p>Made with Migrant Rights Monitor (mrm). Policy "
		"source: ");
	esc(&p, r->policy.source);
	put(&p, "</p></footer>\n</body>\n</html>\n");
	if (p.rc)
		return mrm_error_set(err, p.rc, NULL, "%s",
				     p.rc == MRM_ERR_LIMIT
					     ? "the report is too large"
					     : "out of memory");
	return 0;
}
