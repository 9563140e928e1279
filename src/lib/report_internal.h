/*
 * report_internal.h - (internal) what report.c shares with the reports
 * built elsewhere (policy_report.c): the reports' own words in English,
 * Thai and Burmese, filling in {name} placeholders, and the
 * "policy-impact" template.
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

/*
 * The "policy-impact" template (policy_report.c): the comparison that
 * o->policy, at, window, by, country, public and k describe, as a page in
 * language `lang` (an index) into `html`, and its table as CSV (codes, not
 * labels) into `csv` when that is not NULL. Errors as
 * mrm_policy_impact() and mrm_policy_impact_html().
 */
int report_policy_impact(struct mrm_store *st, const struct mrm_report_opts *o,
			 struct mrm_buf *html, struct mrm_buf *csv,
			 struct mrm_error *err);

#endif
