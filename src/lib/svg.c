/* svg.c - see include/mrm/svg.h */
#include "mrm/svg.h"

#include "mrm/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WIDTH	   720.0
#define FONT	   12.0
#define SMALL	   10.0
#define ELLIPSIS   "\xe2\x80\xa6"
#define MIN_HATCH  14.0 /* px: a hatched mark is always tall enough to read */
#define AXIS_COLOR "#333"
#define GRID_COLOR "#ddd"
/* the text of a mark, readable over hatching and lines */
#define HALO                                                                   \
	"class=\"mark\" stroke=\"#fff\" stroke-width=\"3\" "                   \
	"paint-order=\"stroke\""

/* Okabe and Ito's palette, told apart with the common colour blindnesses;
 * the yellow comes late, being faint on white. */
static const char *const palette[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
	"#d55e00", "#6a3d9a", "#999999", "#f0e442", "#000000",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* A writer that remembers the first failure, so that drawing code reads
 * straight through and checks once at the end. */
struct w {
	struct mrm_buf *b;
	int rc;
};

static void put(struct w *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct w *w, const char *fmt, ...)
{
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	w->rc = mrm_buf_vaddf(w->b, fmt, ap);
	va_end(ap);
}

/* ---- text ---- */

/* Decode one code point of UTF-8 at *p and advance; invalid bytes read as
 * U+FFFD one at a time (input is validated upstream; this only keeps a
 * broken string from running past its end). */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c < 0x80    ? 0
		: c >= 0xf0 ? 3
		: c >= 0xe0 ? 2
		: c >= 0xc0 ? 1
			    : -1;

	if (n < 0) {
		*p = s + 1;
		return 0xfffd;
	}
	c &= n ? 0x3fu >> n : 0x7fu;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return 0xfffd;
		}
		c = c << 6 | (s[i] & 0x3fu);
	}
	*p = s + n + 1;
	return c;
}

/* Code points that attach to the one before them (combining marks, vowel
 * signs, medials): a label is never cut in front of one. */
static int attaches(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036f) || c == 0x0e31 ||
	       (c >= 0x0e34 && c <= 0x0e3a) || (c >= 0x0e47 && c <= 0x0e4e) ||
	       c == 0x0eb1 || (c >= 0x0eb4 && c <= 0x0ebc) ||
	       (c >= 0x0ec8 && c <= 0x0ecd) || (c >= 0x102b && c <= 0x103e) ||
	       (c >= 0x1056 && c <= 0x1059) || (c >= 0x105e && c <= 0x1060) ||
	       (c >= 0x1062 && c <= 0x1064) || (c >= 0x1067 && c <= 0x106d) ||
	       (c >= 0x1071 && c <= 0x1074) || (c >= 0x1082 && c <= 0x108d) ||
	       c == 0x108f || (c >= 0x109a && c <= 0x109d) ||
	       (c >= 0x17b4 && c <= 0x17d3) || c == 0x17dd ||
	       (c >= 0x200b && c <= 0x200d) || (c >= 0xfe00 && c <= 0xfe0f);
}

/* Code points after which the next one belongs to the same cluster: the
 * Burmese and Khmer stackers, and Thai and Lao vowels written first. */
static int binds_next(uint32_t c)
{
	return c == 0x1039 || c == 0x17d2 || (c >= 0x0e40 && c <= 0x0e44) ||
	       (c >= 0x0ec0 && c <= 0x0ec4);
}

/* Width of one code point in em. */
static double cp_width(uint32_t c, uint32_t prev)
{
	if (prev == 0x1039 || prev == 0x17d2)
		return 0; /* a subscript consonant */
	/* spacing vowel signs and medials (measured on Noto Sans Myanmar
	 * and Khmer; Padauk runs wider, so these err on the wide side) */
	if (c == 0x1031)
		return 0.55;
	if (c == 0x102b || c == 0x102c || c == 0x17b6)
		return 0.5;
	if (c == 0x1038)
		return 0.4;
	if (c == 0x103b || c == 0x103c)
		return 0.35;
	if (attaches(c))
		return 0;
	if (c < 0x80) {
		if (c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l' ||
		    c == 'j' || c == '\'' || c == '|' || c == '!' || c == 'I')
			return 0.3;
		if ((c >= 'A' && c <= 'Z') || c == 'm' || c == 'w')
			return 0.68;
		return 0.55;
	}
	if (c >= 0x1000 && c <= 0x109f)
		return 1.0;
	if (c >= 0x1780 && c <= 0x17ff)
		return 0.75;
	if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef))
		return 1.0;
	return 0.6;
}

double mrm_svg_text_width(const char *s, double px)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	uint32_t prev = 0;
	double em = 0;

	while (*p) {
		uint32_t c = next_cp(&p);

		em += cp_width(c, prev);
		prev = c;
	}
	return em * px;
}

static int esc_n(struct mrm_buf *b, const char *s, size_t n)
{
	size_t start = b->len, run = 0;
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *ref = c == '&'    ? "&amp;"
				  : c == '<'  ? "&lt;"
				  : c == '>'  ? "&gt;"
				  : c == '"'  ? "&quot;"
				  : c == '\'' ? "&#39;"
				  : (c < 0x20 && c != '\t' && c != '\n' &&
				     c != '\r') || c == 0x7f
					  ? ""
					  : NULL;

		if (!ref)
			continue;
		rc = mrm_buf_add(b, s + run, i - run);
		if (!rc)
			rc = mrm_buf_adds(b, ref);
		run = i + 1;
	}
	if (!rc)
		rc = mrm_buf_add(b, s + run, n - run);
	if (rc && b->len > start) {
		b->len = start;
		b->ptr[start] = '\0';
	}
	return rc;
}

int mrm_svg_escape(struct mrm_buf *b, const char *s)
{
	return s ? esc_n(b, s, strlen(s)) : 0;
}

static void esc(struct w *w, const char *s)
{
	if (!w->rc)
		w->rc = mrm_svg_escape(w->b, s);
}

/*
 * `s` escaped, cut to whole clusters that fit in `maxw` pixels with an
 * ellipsis; a cut label carries the whole one as its tooltip. Call inside
 * an open <text> element.
 */
static void fit(struct w *w, const char *s, double maxw, double px)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	double room = maxw - mrm_svg_text_width(ELLIPSIS, px), used = 0;
	uint32_t prev = 0;
	size_t keep = 0;

	if (mrm_svg_text_width(s, px) <= maxw) {
		esc(w, s);
		return;
	}
	while (*p) {
		const unsigned char *at = p;
		uint32_t c = next_cp(&p);

		/* a cluster ends before a code point that does not attach */
		if (at != (const unsigned char *)s && !attaches(c) &&
		    !binds_next(prev)) {
			if (used > room)
				break;
			keep = (size_t)(at - (const unsigned char *)s);
		}
		used += cp_width(c, prev) * px;
		prev = c;
	}
	if (!*p && used <= room)
		keep = strlen(s);
	if (!w->rc)
		w->rc = esc_n(w->b, s, keep);
	put(w, ELLIPSIS "<title>");
	esc(w, s);
	put(w, "</title>");
}

/* ---- numbers and scales ---- */

static void num(char *out, size_t size, double v)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(out, size, "%.0f", v);
	else
		snprintf(out, size, "%.1f", v);
}

/* An axis from 0 to a round maximum in about five whole steps. */
static void nice_scale(double max, double *top, double *step)
{
	double raw, mag, f;

	if (!(max > 0))
		max = 1;
	raw = max / 5;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	*step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	if (*step < 1)
		*step = 1;
	*top = ceil(max / *step - 1e-9) * *step;
	if (*top < *step)
		*top = *step;
}

/* ---- pieces ---- */

static int check(const struct mrm_svg_chart *c)
{
	return c && c->ncats && c->cats && c->nseries && c->series
		       ? 0
		       : MRM_ERR_INVALID;
}

static int any_withheld(const struct mrm_svg_chart *c, size_t nseries)
{
	for (size_t s = 0; s < nseries; s++)
		for (size_t i = 0; i < c->ncats; i++)
			if (c->series[s].values[i].mark)
				return 1;
	return 0;
}

static void open_svg(struct w *w, const struct mrm_svg_chart *c, double h,
		     int hatch)
{
	put(w,
	    "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	    "height=\"%.0f\" role=\"img\" aria-labelledby=\"",
	    WIDTH, h, WIDTH, h);
	esc(w, c->id);
	put(w, "-t ");
	esc(w, c->id);
	put(w, "-d\" font-size=\"%.0f\"><title id=\"", FONT);
	esc(w, c->id);
	put(w, "-t\">");
	esc(w, c->title);
	put(w, "</title><desc id=\"");
	esc(w, c->id);
	put(w, "-d\">");
	esc(w, c->desc);
	put(w, "</desc>\n");
	if (hatch) {
		put(w, "<defs><pattern id=\"");
		esc(w, c->id);
		put(w, "-hatch\" width=\"6\" height=\"6\" "
		       "patternUnits=\"userSpaceOnUse\" "
		       "patternTransform=\"rotate(45)\"><rect width=\"6\" "
		       "height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" "
		       "x2=\"0\" y2=\"6\" stroke=\"#555\" "
		       "stroke-width=\"2\"/></pattern></defs>\n");
	}
}

static void hatch_fill(struct w *w, const struct mrm_svg_chart *c)
{
	put(w, "fill=\"url(#");
	esc(w, c->id);
	put(w, "-hatch)\" stroke=\"#555\"");
}

/* Plain text at (x, y); `anchor` "start", "middle" or "end". */
static void text(struct w *w, double x, double y, const char *anchor, double px,
		 const char *s)
{
	put(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y, anchor);
	if (px != FONT)
		put(w, " font-size=\"%.0f\"", px);
	put(w, ">");
	esc(w, s);
	put(w, "</text>\n");
}

static void vtitle(struct w *w, double x, double y, const char *s)
{
	if (!s)
		return;
	put(w,
	    "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
	    "text-anchor=\"middle\" font-weight=\"bold\">",
	    x, y);
	esc(w, s);
	put(w, "</text>\n");
}

static void htitle(struct w *w, double x, double y, const char *s)
{
	if (!s)
		return;
	put(w,
	    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "font-weight=\"bold\">",
	    x, y);
	esc(w, s);
	put(w, "</text>\n");
}

/*
 * The legend: a swatch per series (when `series`), then the hatching
 * (when `hatch`), wrapped in rows of `width`. Draws only when `draw`;
 * returns the height it takes (0 when empty).
 */
static double legend(struct w *w, const struct mrm_svg_chart *c, int series,
		     int hatch, double x0, double y0, double width, int draw,
		     int lines)
{
	size_t n = series ? c->nseries : 0, items = 0;
	double x = x0, y = y0, lh = 20;

	for (size_t i = 0; i <= n; i++) {
		const char *label = i < n ? c->series[i].label : c->withheld;
		double iw;

		if (i == n && !hatch)
			break;
		if (!label)
			label = "";
		iw = 18 + mrm_svg_text_width(label, FONT) + 16;
		if (iw > width)
			iw = width;
		if (x > x0 && x + iw > x0 + width) {
			x = x0;
			y += lh;
		}
		items++;
		if (draw && i < n && lines)
			put(w,
			    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>",
			    x, y + 6, x + 14, y + 6, palette[i % NPALETTE]);
		else if (draw && i < n)
			put(w,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
			    "height=\"12\" fill=\"%s\"/>",
			    x, y, palette[i % NPALETTE]);
		else if (draw) {
			put(w,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
			    "height=\"12\" ",
			    x, y);
			hatch_fill(w, c);
			put(w, "/>");
		}
		if (draw) {
			put(w, "<text x=\"%.1f\" y=\"%.1f\">", x + 18, y + 10);
			fit(w, label, iw - 18, FONT);
			put(w, "</text>\n");
		}
		x += iw;
	}
	return items ? y - y0 + lh : 0;
}

/* ---- horizontal bars ---- */

int mrm_svg_bars(struct mrm_buf *b, const struct mrm_svg_chart *c)
{
	const double top = 10, row = 24, bar = 16, right = 64;
	const struct mrm_svg_value *v;
	struct w w = {b, 0};
	size_t start = b->len;
	double lw = 0, max = 0, left, plot_w, axis_y, leg_y, h, smax, step;
	int hatch;

	if (check(c))
		return MRM_ERR_INVALID;
	v = c->series[0].values;
	hatch = any_withheld(c, 1);
	for (size_t i = 0; i < c->ncats; i++) {
		lw = fmax(lw, mrm_svg_text_width(c->cats[i], FONT));
		if (!v[i].mark)
			max = fmax(max, v[i].v);
	}
	lw = fmin(lw + 8, 260);
	left = 26 + lw;
	plot_w = WIDTH - left - right;
	nice_scale(max, &smax, &step);
	axis_y = top + (double)c->ncats * row;
	leg_y = axis_y + 46;
	h = leg_y + legend(&w, c, 0, hatch, left, leg_y, plot_w, 0, 0) + 4;

	open_svg(&w, c, h, hatch);
	for (double t = 0; t <= smax + 1e-9; t += step) {
		double x = left + t / smax * plot_w;
		char label[32];

		num(label, sizeof(label), t);
		put(&w,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"%s\"/>",
		    x, top, x, axis_y, t ? GRID_COLOR : AXIS_COLOR);
		text(&w, x, axis_y + 15, "middle", SMALL, label);
	}
	put(&w,
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\"/>\n",
	    left, axis_y, left + plot_w, axis_y, AXIS_COLOR);
	htitle(&w, left + plot_w / 2, axis_y + 34, c->x_label);
	vtitle(&w, 12, top + (axis_y - top) / 2, c->y_label);
	for (size_t i = 0; i < c->ncats; i++) {
		double y = top + (double)i * row + (row - bar) / 2;
		char value[32];

		put(&w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
		    left - 6, y + bar / 2 + 4);
		fit(&w, c->cats[i], lw - 8, FONT);
		put(&w, "</text>");
		if (v[i].mark) {
			put(&w,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" "
			    "height=\"%.0f\" ",
			    left, y, bar);
			hatch_fill(&w, c);
			put(&w, "><title>");
			esc(&w, c->cats[i]);
			put(&w, ": ");
			esc(&w, v[i].mark);
			put(&w, "</title></rect>");
			text(&w, left + 22, y + bar / 2 + 4, "start", FONT,
			     v[i].mark);
			continue;
		}
		num(value, sizeof(value), v[i].v);
		put(&w,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.0f\" "
		    "fill=\"%s\"><title>",
		    left, y, fmax(v[i].v, 0) / smax * plot_w, bar, palette[0]);
		esc(&w, c->cats[i]);
		put(&w, ": %s</title></rect>", value);
		text(&w, left + fmax(v[i].v, 0) / smax * plot_w + 4,
		     y + bar / 2 + 4, "start", FONT, value);
	}
	legend(&w, c, 0, hatch, left, leg_y, plot_w, 1, 0);
	put(&w, "</svg>\n");
	if (w.rc && b->len > start) {
		b->len = start;
		b->ptr[start] = '\0';
	}
	return w.rc;
}

/* ---- columns and lines: the shared frame ---- */

struct frame {
	double left, top, plot_w, plot_h, axis_y, slot, smax, step;
	double label_h, lab_w;
	size_t every; /* label every n-th category */
	int rotate;
};

static void frame_layout(struct frame *f, const struct mrm_svg_chart *c,
			 double max, double top)
{
	double maxlab = 0;

	f->left = 66;
	f->top = top;
	f->plot_w = WIDTH - f->left - 16;
	f->plot_h = 240;
	f->axis_y = f->top + f->plot_h;
	f->slot = f->plot_w / (double)c->ncats;
	for (size_t i = 0; i < c->ncats; i++)
		maxlab = fmax(maxlab, mrm_svg_text_width(c->cats[i], SMALL));
	f->rotate = maxlab > f->slot - 4;
	f->every = 1;
	if (f->rotate && f->slot < 14)
		f->every = (size_t)ceil(14 / f->slot);
	f->lab_w = f->rotate ? fmin(maxlab, 130) : f->slot - 2;
	f->label_h = f->rotate ? f->lab_w * 0.72 + 14 : 18;
	nice_scale(max, &f->smax, &f->step);
}

static double frame_y(const struct frame *f, double v)
{
	return f->axis_y - fmax(v, 0) / f->smax * f->plot_h;
}

static double frame_cx(const struct frame *f, size_t i)
{
	return f->left + f->slot * ((double)i + 0.5);
}

static void frame_draw(struct w *w, const struct frame *f,
		       const struct mrm_svg_chart *c)
{
	for (double t = 0; t <= f->smax + 1e-9; t += f->step) {
		double y = frame_y(f, t);
		char label[32];

		num(label, sizeof(label), t);
		put(w,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"%s\"/>",
		    f->left, y, f->left + f->plot_w, y,
		    t ? GRID_COLOR : AXIS_COLOR);
		text(w, f->left - 6, y + 4, "end", SMALL, label);
	}
	put(w,
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\"/>\n",
	    f->left, f->top, f->left, f->axis_y, AXIS_COLOR);
	for (size_t i = 0; i < c->ncats; i += f->every) {
		double x = frame_cx(f, i);

		if (f->rotate)
			put(w,
			    "<text transform=\"translate(%.1f %.1f) "
			    "rotate(-45)\" text-anchor=\"end\" "
			    "font-size=\"%.0f\">",
			    x + 3, f->axis_y + 10, SMALL);
		else
			put(w,
			    "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\" "
			    "font-size=\"%.0f\">",
			    x, f->axis_y + 14, SMALL);
		fit(w, c->cats[i], f->lab_w, SMALL);
		put(w, "</text>");
	}
	put(w, "\n");
	htitle(w, f->left + f->plot_w / 2, f->axis_y + f->label_h + 14,
	       c->x_label);
	vtitle(w, 14, f->top + f->plot_h / 2, c->y_label);
}

static void finish(struct w *w, size_t start)
{
	put(w, "</svg>\n");
	if (w->rc && w->b->len > start) {
		w->b->len = start;
		w->b->ptr[start] = '\0';
	}
}

/* ---- stacked columns ---- */

/* Sum of the published parts of column i; *withheld set when some are not. */
static double shown_sum(const struct mrm_svg_chart *c, size_t i, int *withheld)
{
	double sum = 0;

	*withheld = 0;
	for (size_t s = 0; s < c->nseries; s++) {
		const struct mrm_svg_value *v = &c->series[s].values[i];

		if (v->mark)
			*withheld = 1;
		else
			sum += fmax(v->v, 0);
	}
	return sum;
}

/* The hatched top of column i: the published total less the published
 * parts when there is one, else a mark of fixed size. Returns its height. */
static double stack_withheld(struct w *w, const struct frame *f,
			     const struct mrm_svg_chart *c, size_t i, double x,
			     double bw, double ytop, double sum, char *marks,
			     size_t size)
{
	const struct mrm_svg_value *t = c->totals ? &c->totals[i] : NULL;
	double hh = MIN_HATCH, cx = x + bw / 2;

	marks[0] = '\0';
	if (t && !t->mark && t->v > sum)
		hh = fmax((t->v - sum) / f->smax * f->plot_h, MIN_HATCH);
	put(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", x,
	    ytop - hh, bw, hh);
	hatch_fill(w, c);
	put(w, "><title>");
	esc(w, c->cats[i]);
	for (size_t s = 0; s < c->nseries; s++) {
		const char *m = c->series[s].values[i].mark;

		if (!m)
			continue;
		put(w, " \xe2\x80\x94 ");
		esc(w, c->series[s].label);
		put(w, ": ");
		esc(w, m);
		/* the distinct marks, for the text on the column */
		if (!strstr(marks, m) && strlen(marks) + strlen(m) + 3 < size)
			snprintf(marks + strlen(marks), size - strlen(marks),
				 "%s%s", *marks ? " " : "", m);
	}
	put(w, "</title></rect>");
	if (mrm_svg_text_width(marks, SMALL) + 2 <= bw) {
		put(w,
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		    "font-size=\"%.0f\" " HALO ">",
		    cx, ytop - hh / 2 + 3.5, SMALL);
		esc(w, marks);
		put(w, "</text>");
	}
	return hh;
}

int mrm_svg_stacked(struct mrm_buf *b, const struct mrm_svg_chart *c)
{
	struct w w = {b, 0};
	struct frame f;
	size_t start = b->len;
	double max = 0, leg_y, h, ylabel_gap = 16;
	int hatch = 0, with;

	if (check(c))
		return MRM_ERR_INVALID;
	for (size_t i = 0; i < c->ncats; i++) {
		double sum = shown_sum(c, i, &with);

		hatch |= with;
		if (c->totals && !c->totals[i].mark)
			sum = fmax(sum, c->totals[i].v);
		max = fmax(max, sum);
	}
	if (c->totals)
		for (size_t i = 0; i < c->ncats; i++)
			hatch |= c->totals[i].mark != NULL;
	frame_layout(&f, c, max, 16 + MIN_HATCH);
	leg_y = f.axis_y + f.label_h + 14 + ylabel_gap;
	h = leg_y + legend(&w, c, 1, hatch, f.left, leg_y, f.plot_w, 0, 0) + 4;

	open_svg(&w, c, h, hatch);
	frame_draw(&w, &f, c);
	for (size_t i = 0; i < c->ncats; i++) {
		double bw = fmax(f.slot * 0.7, 1), x = frame_cx(&f, i) - bw / 2;
		double y = f.axis_y, sum = shown_sum(c, i, &with);
		char marks[64] = "";

		for (size_t s = 0; s < c->nseries; s++) {
			const struct mrm_svg_value *v = &c->series[s].values[i];
			double hh;
			char value[32];

			if (v->mark || !(v->v > 0))
				continue;
			hh = v->v / f.smax * f.plot_h;
			num(value, sizeof(value), v->v);
			put(&w,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>",
			    x, y - hh, bw, hh, palette[s % NPALETTE]);
			esc(&w, c->cats[i]);
			put(&w, " \xe2\x80\x94 ");
			esc(&w, c->series[s].label);
			put(&w, ": %s</title></rect>", value);
			y -= hh;
		}
		if (with)
			y -= stack_withheld(&w, &f, c, i, x, bw, y, sum, marks,
					    sizeof(marks));
		if (c->totals && c->ncats <= 24) {
			char value[32];
			const char *t = c->totals[i].mark;

			if (!t) {
				num(value, sizeof(value), c->totals[i].v);
				t = value;
			}
			/* a withheld total over its own hatching says it once
			 */
			if (mrm_svg_text_width(t, SMALL) <= f.slot &&
			    strcmp(t, marks))
				text(&w, x + bw / 2, y - 3, "middle", SMALL, t);
		}
		put(&w, "\n");
	}
	legend(&w, c, 1, hatch, f.left, leg_y, f.plot_w, 1, 0);
	finish(&w, start);
	return w.rc;
}

/* ---- lines ---- */

static void line_series(struct w *w, const struct frame *f,
			const struct mrm_svg_chart *c, size_t s, int labels)
{
	const struct mrm_svg_value *v = c->series[s].values;
	const char *color = palette[s % NPALETTE];
	int pen = 0, any = 0;

	for (size_t i = 0; i < c->ncats; i++)
		any |= !v[i].mark;
	if (any)
		put(w,
		    "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		    "stroke-linejoin=\"round\" d=\"",
		    color);
	for (size_t i = 0; any && i < c->ncats; i++) {
		if (v[i].mark) {
			pen = 0;
			continue;
		}
		put(w, "%s%.1f %.1f", pen ? " L" : (i ? " M" : "M"),
		    frame_cx(f, i), frame_y(f, v[i].v));
		pen = 1;
	}
	if (any)
		put(w, "\"/>\n");
	for (size_t i = 0; i < c->ncats; i++) {
		double x = frame_cx(f, i);
		char value[32];

		if (v[i].mark) {
			double y = f->axis_y - MIN_HATCH - 2 - (double)s * 18;

			put(w,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" "
			    "height=\"%.0f\" ",
			    x - 5, y, MIN_HATCH);
			hatch_fill(w, c);
			put(w, "><title>");
			esc(w, c->cats[i]);
			if (c->nseries > 1) {
				put(w, " \xe2\x80\x94 ");
				esc(w, c->series[s].label);
			}
			put(w, ": ");
			esc(w, v[i].mark);
			put(w, "</title></rect>");
			put(w,
			    "<text x=\"%.1f\" y=\"%.1f\" "
			    "font-size=\"%.0f\" " HALO ">",
			    x + 7, y + 11, SMALL);
			esc(w, v[i].mark);
			put(w, "</text>\n");
			continue;
		}
		num(value, sizeof(value), v[i].v);
		put(w,
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
		    "<title>",
		    x, frame_y(f, v[i].v), color);
		esc(w, c->cats[i]);
		if (c->nseries > 1) {
			put(w, " \xe2\x80\x94 ");
			esc(w, c->series[s].label);
		}
		put(w, ": %s</title></circle>", value);
		if (labels)
			text(w, x, frame_y(f, v[i].v) - 8, "middle", SMALL,
			     value);
		put(w, "\n");
	}
}

int mrm_svg_line(struct mrm_buf *b, const struct mrm_svg_chart *c)
{
	struct w w = {b, 0};
	struct frame f;
	size_t start = b->len;
	double max = 0, leg_y, h;
	int hatch;

	if (check(c))
		return MRM_ERR_INVALID;
	hatch = any_withheld(c, c->nseries);
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->ncats; i++)
			if (!c->series[s].values[i].mark)
				max = fmax(max, c->series[s].values[i].v);
	frame_layout(&f, c, max, 20);
	leg_y = f.axis_y + f.label_h + 30;
	h = leg_y +
	    legend(&w, c, c->nseries > 1, hatch, f.left, leg_y, f.plot_w, 0,
		   1) +
	    4;

	open_svg(&w, c, h, hatch);
	frame_draw(&w, &f, c);
	for (size_t s = 0; s < c->nseries; s++)
		line_series(&w, &f, c, s, c->nseries == 1 && c->ncats <= 24);
	legend(&w, c, c->nseries > 1, hatch, f.left, leg_y, f.plot_w, 1, 1);
	finish(&w, start);
	return w.rc;
}
