/*
 * welfare.h - the comparative welfare table: for each country of the
 * network and each branch of social security, the contribution rates,
 * whether migrant workers are covered and whether benefits can be taken
 * abroad, from data/reference/social-security-branch.csv (built in).
 *
 * A cell the data says nothing about is "unknown", never filled in. Every
 * known cell carries its source, its dates and its estimate flag, and every
 * output (CSV, HTML, JSON) shows them.
 */
#ifndef MRM_WELFARE_H
#define MRM_WELFARE_H

#include "mrm/buf.h"
#include "mrm/error.h"

#include <jansson.h>
#include <stdint.h>

#define MRM_WELFARE_NBRANCHES  9
#define MRM_WELFARE_NCOUNTRIES 6

/* old_age, invalidity, survivors, sickness, maternity, employment_injury,
 * unemployment, family, health_care */
extern const char *const mrm_welfare_branches[MRM_WELFARE_NBRANCHES];
/* TH, MM, KH, LA, VN, CN */
extern const char *const mrm_welfare_countries[MRM_WELFARE_NCOUNTRIES];

struct mrm_welfare_cell {
	int known; /* the data has a row for it */
	char scheme[24];
	int64_t rate_bp[3]; /* employee, employer, government; -1: unknown */
	char migrants[8];   /* yes, no, partial, unknown */
	char exportable[8]; /* yes, no, partial, unknown */
	char effective_from[11], effective_to[11];
	char source[320], note[640];
	int estimate;
	unsigned long line; /* in social-security-branch.csv */
};

struct mrm_welfare {
	/* [country][branch], in the orders above */
	struct mrm_welfare_cell cell[MRM_WELFARE_NCOUNTRIES]
				    [MRM_WELFARE_NBRANCHES];
};

/*
 * Read the table. A row with a country or branch outside the lists, a
 * value other than yes/no/partial/unknown or a malformed rate is an error
 * naming its line. On success *out is new; free() it.
 */
int mrm_welfare_load(struct mrm_welfare **out, struct mrm_error *err);

/* Basis points as a percentage ("5.00"); "" for -1 (unknown). */
void mrm_welfare_rate_text(int64_t bp, char out[32]);

/* One row per country and branch, with a header; codes, not labels. */
int mrm_welfare_csv(const struct mrm_welfare *w, struct mrm_buf *out);

#define MRM_WELFARE_NLANGS 3 /* en, th, my */

/*
 * An HTML <section> (no page around it) that a report can include: a grid
 * of branches by countries with the sources as numbered notes, its words
 * in `lang` ("en", "th" or "my"; NULL: "en"); the reference file's
 * scheme codes, sources and notes stay English (marked lang="en"). Uses
 * the class names of report.c's style sheet (table.data, .note-s).
 * MRM_ERR_INVALID (where "--lang") for another language.
 */
int mrm_welfare_html_section(const struct mrm_welfare *w, const char *lang,
			     struct mrm_buf *out, struct mrm_error *err);

/* A whole self-contained HTML page around the section. */
int mrm_welfare_html_page(const struct mrm_welfare *w, const char *lang,
			  struct mrm_buf *out, struct mrm_error *err);

/* {"branches": [...], "countries": [...], "cells": [...]}; NULL: no memory */
json_t *mrm_welfare_json(const struct mrm_welfare *w);

#endif
