/*
 * report.h - reports for the press, governments and the network: one
 * self-contained HTML file with SVG charts, and its tables as CSV.
 *
 * A report is made from a template: a fixed list of sections, each one
 * statistics query (stats.h) shown as a table and, for most, a chart. What
 * a report shows is only ever counts, codes and vocabulary labels in the
 * chosen language, never free text from the records (no names, titles,
 * summaries or places as written), so that a report can be handed on
 * without exposing anyone; with `public` set, every figure also passes
 * disclosure control.
 *
 * The HTML needs nothing from outside: its style sheet is inline, it loads
 * no fonts, scripts or images, and it holds no link; a browser prints it
 * to PDF on A4 (docs/reports.md).
 */
#ifndef MRM_REPORT_H
#define MRM_REPORT_H

#include "mrm/error.h"

#include <stdio.h>
#include <time.h>

struct mrm_store;

/* Template names, NULL-terminated: "add-monitoring", "deaths-and-missing",
 * "labour-rights" (wages owed, recruitment cost burden beside the legal
 * cap, the reference figures used with their sources, the welfare table;
 * wages.h), "policy-impact" (the policy on the ground, policy.h: the
 * register's policy with its source and dates, acts and persons before and
 * after its date; one table, `policy` required, `from` and `to` not
 * taken). */
extern const char *const mrm_report_templates[];
/* Languages of the report text, NULL-terminated: "en", "th", "my". */
extern const char *const mrm_report_langs[];

struct mrm_report_opts {
	const char *template_name; /* one of mrm_report_templates */
	const char *lang;	   /* one of mrm_report_langs; NULL: "en" */
	int public;	       /* apply disclosure control to every figure */
	unsigned k;	       /* threshold; 0: MRM_STATS_K_DEFAULT */
	const char *from, *to; /* ISO dates at any precision, or NULL */
	/*
	 * When set, every table is also written to CSV_DIR/NN-NAME.csv (NN the
	 * section's number) with codes rather than labels, each file created
	 * with mode 0600; the directory is created (mode 0700) if missing.
	 */
	const char *csv_dir;
	time_t generated; /* the time the report says it was made; 0: now */
	/*
	 * "policy-impact" only (MRM_ERR_INVALID with any other template), as
	 * struct mrm_policy_impact_opts: the policy's key (required), the
	 * date to compare around (NULL: the policy's), months on each side
	 * (0: 12), the breakdown ("act_type" (NULL) or "nationality") and
	 * where the acts happened (NULL: the policy's country; "any").
	 * `csv_dir` gets one table, 01-policy-impact.csv.
	 */
	const char *policy, *at;
	unsigned window;
	const char *by, *country;
};

/*
 * Write the report that `o` describes as HTML to `html`.
 *
 * Every query is run and the whole page built before anything is written,
 * so that a failure up to then (an unknown template or language, whose
 * message lists the valid ones; a bad date; a database error) leaves
 * `html` and `csv_dir` untouched. The CSV files are written after the
 * HTML, each through a temporary file renamed when complete. The caller
 * keeps owning `html`, should check that closing it succeeds, and should
 * discard it when this fails (MRM_ERR_IO for a failed write).
 */
int mrm_report_write(struct mrm_store *st, const struct mrm_report_opts *o,
		     FILE *html, struct mrm_error *err);

#endif
