/*
 * report_internal.h - (internal) templates whose body is not a list of
 * statistics sections: report.c writes the page around it (title, period,
 * edition, credit, footer) and calls the template's body, which appends
 * its sections to `html` and may add tables as CSV.
 */
#ifndef MRM_REPORT_INTERNAL_H
#define MRM_REPORT_INTERNAL_H

#include "mrm/buf.h"
#include "mrm/error.h"
#include "mrm/report.h"

#define REPORT_PART_CSV_MAX 8

struct report_part {
	struct mrm_store *st;
	const struct mrm_report_opts *o;
	int lang;	 /* index in mrm_report_langs */
	unsigned k;	 /* disclosure threshold */
	const char *day; /* the report's date, YYYY-MM-DD */
	struct mrm_buf *html;
	int rc; /* the first failure to add to html (out of memory, limit) */
	/* tables as CSV (codes, not labels): CSV_DIR/NN-NAME.csv */
	char csv_name[REPORT_PART_CSV_MAX][64];
	struct mrm_buf csv[REPORT_PART_CSV_MAX];
	size_t ncsv;
};

/* The body of template labour-rights (report_labour.c). 0, or an error
 * (nothing is written when it fails: report.c discards the page). */
int report_labour_body(struct report_part *p, struct mrm_error *err);

#endif
