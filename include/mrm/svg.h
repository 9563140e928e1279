/*
 * svg.h - charts as inline SVG, for the HTML reports.
 *
 * Pure functions: each writes one <svg> element into a struct mrm_buf and
 * touches nothing else, so that a chart can be checked as text. The SVG is
 * meant to sit inside an HTML5 document: it carries no XML declaration and
 * no namespace (which would be a URL), takes its fonts from the page's CSS
 * and scales to the width of its container (viewBox).
 *
 * Every chart has a <title> and a <desc> (named by aria-labelledby), axis
 * labels and, where there is more than one series or a withheld figure, a
 * legend. Figures withheld by disclosure control are never drawn by
 * their size: a bar or point is drawn as a hatched mark carrying the text
 * of the mark ("<5", "x"). The one exception is a stacked column whose
 * total is published: there the hatched part is the total less the
 * published parts, which a reader can already work out from the figures.
 *
 * All text passed in is UTF-8 and is escaped on the way out.
 *
 * Errors: 0, or MRM_ERR_NOMEM / MRM_ERR_LIMIT from the buffer, or
 * MRM_ERR_INVALID for a chart without categories or series. On error the
 * buffer is left as it was before the call.
 */
#ifndef MRM_SVG_H
#define MRM_SVG_H

#include "mrm/buf.h"

#include <stddef.h>

/* One figure: a value, or the mark of a withheld one. */
struct mrm_svg_value {
	double v;	  /* the figure, when mark is NULL */
	const char *mark; /* NULL: published; else what to show instead */
};

struct mrm_svg_series {
	const char *label;		    /* legend text */
	const struct mrm_svg_value *values; /* one per category */
};

struct mrm_svg_chart {
	const char *id;	   /* unique in the page: prefixes element ids */
	const char *title; /* <title>, also the accessible name */
	const char *desc;  /* <desc>: what the chart shows */
	const char *x_label, *y_label; /* axis titles (may be NULL) */
	const char *const *cats;       /* category labels, ncats of them */
	size_t ncats;
	const struct mrm_svg_series *series;
	size_t nseries;
	const struct mrm_svg_value *totals; /* stacked: per category, or NULL */
	const char *withheld;		    /* legend text for the hatching */
};

/*
 * Horizontal bars: one bar per category, series[0] only; categories read
 * down the left, the value axis runs along the bottom (x_label), y_label
 * names the categories.
 */
int mrm_svg_bars(struct mrm_buf *b, const struct mrm_svg_chart *c);

/*
 * Stacked columns: categories along the bottom (x_label), one segment per
 * series (in order, bottom up), the value axis on the left (y_label).
 * `totals`, when given, are printed above the columns.
 */
int mrm_svg_stacked(struct mrm_buf *b, const struct mrm_svg_chart *c);

/*
 * Lines: categories (periods, in order) along the bottom, one line per
 * series; a withheld point breaks its line and is drawn on the baseline.
 */
int mrm_svg_line(struct mrm_buf *b, const struct mrm_svg_chart *c);

/*
 * Append `s` escaped for HTML and XML text and attribute values
 * (& < > " ' become references; C0 control characters other than tab and
 * line breaks are dropped). NULL appends nothing.
 */
int mrm_svg_escape(struct mrm_buf *b, const char *s);

/*
 * Rough width in pixels of `s` at font size `px` in the report's fonts:
 * enough to lay out labels in Latin, Thai, Burmese, Khmer, Lao and CJK
 * scripts (combining marks take no width).
 */
double mrm_svg_text_width(const char *s, double px);

#endif
