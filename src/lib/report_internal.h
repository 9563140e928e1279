/*
 * report_internal.h - (internal) what report.c shares with the templates
 * built in other files: the reports' own words in English, Thai and
 * Burmese and the filling in of their {name} placeholders, and the one
 * hook for a template that is not a list of statistics sections.
 */
#ifndef MRM_REPORT_INTERNAL_H
#define MRM_REPORT_INTERNAL_H

#include "mrm/buf.h"
#include "mrm/error.h"
#include "mrm/report.h"

#include <stdarg.h>
#include <stddef.h>

#define MRM_REPORT_NLANGS 3

/* One message: its text per language, in the order of mrm_report_langs. */
struct report_msg {
	const char *key;
	const char *text[MRM_REPORT_NLANGS]; /* en, th, my (Unicode Burmese) */
};

/* The index of `lang` in mrm_report_langs ("" or NULL: "en"), or
 * MRM_ERR_INVALID at "--lang" listing the valid ones. */
int report_lang(const char *lang, int *index, struct mrm_error *err);

/* Message `key` in language `lang` (an index) from `tab` (n of them), else
 * from the words every report shares (report.c: "total", "unknown",
 * "edition.public", "note.public", "legend.withheld", "made-with", ...),
 * else `key` itself. */
const char *report_word(const struct report_msg *tab, size_t n, int lang,
			const char *key);

/* `text` with its {name} placeholders filled from the NULL-ended (name,
 * value) pairs in `ap`, into `out` (reset first); a placeholder with no
 * pair stays as it is. */
int report_vfill(const char *text, struct mrm_buf *out, va_list ap);

/* `text` filled in as report_vfill() does, HTML-escaped, appended to
 * `html`. 0, or the failure (out of memory, limit). */
int report_vsay(const char *text, struct mrm_buf *html, va_list ap);

/*
 * A template's part: the hook of a template that is not (only) a list of
 * statistics sections. report.c checks the options, fills this in, calls
 * the template's part and, when it succeeds, writes what it made; when it
 * fails nothing is written. Two kinds, by the template's entry in report.c:
 *
 * - a body (labour-rights): report.c writes the page around it (title,
 *   period, edition, credit, footer); the part appends its sections to
 *   `html`.
 * - a whole page (policy-impact): the part writes the whole page into
 *   `html`, the very page its own command and API write too (mrm policy
 *   impact --format html), which report.c writes as it is, so the three
 *   stay byte-identical.
 *
 * Either may add tables as CSV with report_part_csv().
 */
#define REPORT_PART_CSV_MAX 8

struct report_part {
	struct mrm_store *st;
	const struct mrm_report_opts *o;
	int lang;     /* index in mrm_report_langs */
	unsigned k;   /* disclosure threshold */
	char day[16]; /* the report's date, YYYY-MM-DD */
	struct mrm_buf *html;
	int rc; /* the first failure to add to html (out of memory, limit) */
	/* tables as CSV (codes, not labels): CSV_DIR/NN-NAME.csv; report.c
	 * releases them */
	char csv_name[REPORT_PART_CSV_MAX][64];
	struct mrm_buf csv[REPORT_PART_CSV_MAX];
	size_t ncsv;
};

/* A new table for CSV_DIR/NN-`name`.csv, NN its number among the part's
 * tables; NULL when the report writes no CSV (no csv_dir) or the part has
 * REPORT_PART_CSV_MAX tables already. */
struct mrm_buf *report_part_csv(struct report_part *p, const char *name);

/* The body of template labour-rights (report_labour.c). 0, or an error. */
int report_labour_body(struct report_part *p, struct mrm_error *err);

/*
 * The whole page of template policy-impact (policy_report.c): the
 * comparison that o->policy, at, window, by, country, public and k
 * describe, in language p->lang, and its table as CSV (01-policy-impact).
 * Errors as mrm_policy_impact() and mrm_policy_impact_html().
 */
int report_policy_page(struct report_part *p, struct mrm_error *err);

#endif
