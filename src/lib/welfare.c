/* welfare.c - see include/mrm/welfare.h */
#include "mrm/welfare.h"

#include "mrm/csv.h"
#include "mrm/ref.h"
#include "mrm/svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mrm_welfare_branches[MRM_WELFARE_NBRANCHES] = {
	"old_age",	"invalidity", "survivors",
	"sickness",	"maternity",  "employment_injury",
	"unemployment", "family",     "health_care"};
const char *const mrm_welfare_countries[MRM_WELFARE_NCOUNTRIES] = {
	"TH", "MM", "KH", "LA", "VN", "CN"};

static int index_of(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

static int yes_no(const char *s)
{
	static const char *const v[] = {"yes", "no", "partial", "unknown"};

	return index_of(v, 4, s) >= 0;
}

static int fill(struct mrm_welfare *w, const struct mrm_ref_table *t, size_t i,
		struct mrm_error *err)
{
	int c = index_of(mrm_welfare_countries, MRM_WELFARE_NCOUNTRIES,
			 mrm_ref_cell(t, i, "country"));
	int b = index_of(mrm_welfare_branches, MRM_WELFARE_NBRANCHES,
			 mrm_ref_cell(t, i, "branch"));
	static const char *const rates[3] = {
		"rate_employee_bp", "rate_employer_bp", "rate_government_bp"};
	struct mrm_welfare_cell *x;

	if (c < 0 || b < 0)
		return mrm_error_set(
			err, MRM_ERR_INVALID, NULL, "%s:%zu: unknown %s \"%s\"",
			t->path, t->lines[i], c < 0 ? "country" : "branch",
			mrm_ref_cell(t, i, c < 0 ? "country" : "branch"));
	x = &w->cell[c][b];
	if (x->known)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "%s:%zu: a second row for %s %s", t->path,
				     t->lines[i], mrm_welfare_countries[c],
				     mrm_welfare_branches[b]);
	if (!yes_no(mrm_ref_cell(t, i, "migrants_covered")) ||
	    !yes_no(mrm_ref_cell(t, i, "exportable")))
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "%s:%zu: migrants_covered and exportable "
				     "must be yes, no, partial or unknown",
				     t->path, t->lines[i]);
	x->known = 1;
	x->line = t->lines[i];
	for (int k = 0; k < 3; k++) {
		x->rate_bp[k] = mrm_ref_int(t, i, rates[k], -1);
		if (*mrm_ref_cell(t, i, rates[k]) && x->rate_bp[k] < 0)
			return mrm_error_set(err, MRM_ERR_INVALID, NULL,
					     "%s:%zu: %s is not a number of "
					     "basis points",
					     t->path, t->lines[i], rates[k]);
	}
	snprintf(x->scheme, sizeof(x->scheme), "%s",
		 mrm_ref_cell(t, i, "scheme"));
	snprintf(x->migrants, sizeof(x->migrants), "%s",
		 mrm_ref_cell(t, i, "migrants_covered"));
	snprintf(x->exportable, sizeof(x->exportable), "%s",
		 mrm_ref_cell(t, i, "exportable"));
	snprintf(x->effective_from, sizeof(x->effective_from), "%s",
		 mrm_ref_cell(t, i, "effective_from"));
	snprintf(x->effective_to, sizeof(x->effective_to), "%s",
		 mrm_ref_cell(t, i, "effective_to"));
	snprintf(x->source, sizeof(x->source), "%s",
		 mrm_ref_cell(t, i, "source"));
	snprintf(x->note, sizeof(x->note), "%s", mrm_ref_cell(t, i, "note"));
	x->estimate = mrm_ref_int(t, i, "estimate", 0) != 0;
	return 0;
}

int mrm_welfare_load(struct mrm_welfare **out, struct mrm_error *err)
{
	static const char *const cols[] = {"country",
					   "branch",
					   "scheme",
					   "rate_employee_bp",
					   "rate_employer_bp",
					   "rate_government_bp",
					   "migrants_covered",
					   "exportable",
					   "effective_from",
					   "effective_to",
					   "source",
					   "estimate",
					   "note",
					   NULL};
	struct mrm_welfare *w = calloc(1, sizeof(*w));
	struct mrm_ref_table t;
	int rc;

	*out = NULL;
	if (!w)
		return mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	rc = mrm_ref_table_load(&t, "social-security-branch", cols, err);
	for (size_t i = 0; !rc && i < t.nrows; i++)
		rc = fill(w, &t, i, err);
	mrm_ref_table_release(&t);
	if (rc) {
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void mrm_welfare_rate_text(int64_t bp, char out[32])
{
	if (bp < 0)
		snprintf(out, 32, "%s", "");
	else
		snprintf(out, 32, "%lld.%02lld", (long long)(bp / 100),
			 (long long)(bp % 100));
}

int mrm_welfare_csv(const struct mrm_welfare *w, struct mrm_buf *out)
{
	static const char *const head[] = {"country",
					   "branch",
					   "scheme",
					   "employee_pct",
					   "employer_pct",
					   "government_pct",
					   "migrants_covered",
					   "exportable",
					   "effective_from",
					   "effective_to",
					   "source",
					   "estimate",
					   "note"};
	int rc = mrm_csv_put_record(out, head, 13);

	for (int c = 0; !rc && c < MRM_WELFARE_NCOUNTRIES; c++)
		for (int b = 0; !rc && b < MRM_WELFARE_NBRANCHES; b++) {
			const struct mrm_welfare_cell *x = &w->cell[c][b];
			char r[3][32];
			const char *f[13];

			for (int k = 0; k < 3; k++)
				mrm_welfare_rate_text(x->rate_bp[k], r[k]);
			f[0] = mrm_welfare_countries[c];
			f[1] = mrm_welfare_branches[b];
			f[2] = x->scheme;
			f[3] = x->known ? r[0] : "";
			f[4] = x->known ? r[1] : "";
			f[5] = x->known ? r[2] : "";
			f[6] = x->known ? x->migrants : "unknown";
			f[7] = x->known ? x->exportable : "unknown";
			f[8] = x->effective_from;
			f[9] = x->effective_to;
			f[10] = x->known ? x->source : "no source found";
			f[11] = x->known ? (x->estimate ? "1" : "0") : "";
			f[12] = x->note;
			rc = mrm_csv_put_record(out, f, 13);
		}
	return rc;
}

/* ---- HTML ---- */

/*
 * The section's words in English, Thai and Burmese (mrm_report_langs'
 * order). The table's data stay as the reference file has them: scheme
 * codes, sources and notes are English, and marked so (lang="en").
 */
enum {
	W_TITLE,
	W_INTRO,
	W_BRANCH,
	W_RATE,
	W_MIGRANTS,
	W_EXPORTABLE,
	W_ESTIMATE,
	W_FROM_TO, /* {from}, {to} */
	W_FROM,	   /* {from} */
	W_VERIFY,
	W_COUNT
};

static const char *const words[W_COUNT][MRM_WELFARE_NLANGS] = {
	{"Social security for migrant workers, by country and branch",
	 "ประกันสังคมสำหรับแรงงานข้ามชาติ จำแนกตามประเทศและประเภทสิทธิประโยชน์",
	 "နိုင်ငံနှင့် အကျိုးခံစားခွင့် အမျိုးအစားအလိုက် "
	 "ရွှေ့ပြောင်းအလုပ်သမားများအတွက် လူမှုဖူလုံရေး"},
	{"Rates are contributions in per cent of the wage. "
	 "&ldquo;Unknown&rdquo; "
	 "means the sources consulted say nothing: it is not a no. Each known "
	 "cell names its source and dates in the numbered notes.",
	 "อัตราคือเงินสมทบเป็นร้อยละของค่าจ้าง &ldquo;ไม่ทราบ&rdquo; "
	 "หมายถึงแหล่งข้อมูลที่ตรวจสอบไม่ได้กล่าวถึง ไม่ได้แปลว่า &ldquo;ไม่&rdquo; "
	 "ช่องที่มีข้อมูลระบุแหล่งที่มาและวันที่ไว้ในหมายเหตุตามลำดับเลข "
	 "(แหล่งที่มาและหมายเหตุเป็นภาษาอังกฤษ)",
	 "နှုန်းများသည် လုပ်ခလစာ၏ ရာခိုင်နှုန်းဖြင့် ထည့်ဝင်ငွေများ ဖြစ်သည်။ "
	 "&ldquo;မသိရ&rdquo; ဆိုသည်မှာ ကိုးကားသည့် ရင်းမြစ်များတွင် "
	 "ဖော်ပြမထားခြင်း ဖြစ်ပြီး &ldquo;မရှိ&rdquo; ဟု မဆိုလိုပါ။ "
	 "သိရှိထားသော အကွက်တိုင်း၏ ရင်းမြစ်နှင့် ရက်စွဲများကို နံပါတ်တပ် "
	 "မှတ်ချက်များတွင် ဖော်ပြထားသည် (ရင်းမြစ်များနှင့် မှတ်ချက်များမှာ "
	 "အင်္ဂလိပ်ဘာသာဖြင့် ဖြစ်သည်)။"},
	{"Branch", "ประเภทสิทธิประโยชน์", "အကျိုးခံစားခွင့် အမျိုးအစား"},
	{"Rate", "อัตราเงินสมทบ", "ထည့်ဝင်ငွေနှုန်း"},
	{"Migrants covered", "คุ้มครองแรงงานข้ามชาติ",
	 "ရွှေ့ပြောင်းအလုပ်သမားများ အကျုံးဝင်မှု"},
	{"Exportable", "รับสิทธิได้เมื่ออยู่นอกประเทศ", "နိုင်ငံပြင်ပတွင် ခံစားခွင့်"},
	{"estimate", "ค่าประมาณ", "ခန့်မှန်းချက်"},
	{"in force from {from} to {to}", "มีผลตั้งแต่ {from} ถึง {to}",
	 "{from} မှ {to} အထိ အသက်ဝင်သည်"},
	{"in force from {from}", "มีผลตั้งแต่ {from}", "{from} မှ စ၍ အသက်ဝင်သည်"},
	{"estimate (VERIFY)", "ค่าประมาณ (ต้องตรวจสอบ)", "ခန့်မှန်းချက် (စစ်ဆေးရန်)"},
};

static const char
	*const branch_words[MRM_WELFARE_NBRANCHES][MRM_WELFARE_NLANGS] = {
		{"Old age", "ชราภาพ", "သက်ကြီးပင်စင်"},
		{"Invalidity", "ทุพพลภาพ", "မသန်စွမ်းမှု"},
		{"Survivors", "ผู้อยู่ในอุปการะกรณีเสียชีวิต", "ကျန်ရစ်သူ မိသားစုဝင်များ"},
		{"Sickness", "เจ็บป่วย", "နာမကျန်းမှု"},
		{"Maternity", "คลอดบุตร", "မီးဖွားမှု"},
		{"Employment injury", "ประสบอันตรายจากการทำงาน",
		 "အလုပ်တွင် ထိခိုက်ဒဏ်ရာရမှု"},
		{"Unemployment", "ว่างงาน", "အလုပ်လက်မဲ့"},
		{"Family allowances", "สงเคราะห์บุตร", "မိသားစု ထောက်ပံ့ကြေး"},
		{"Health care", "การรักษาพยาบาล", "ကျန်းမာရေး စောင့်ရှောက်မှု"},
};

static const char *const who_words[3][MRM_WELFARE_NLANGS] = {
	{"employee", "ลูกจ้าง", "အလုပ်သမား"},
	{"employer", "นายจ้าง", "အလုပ်ရှင်"},
	{"government", "รัฐบาล", "အစိုးရ"},
};

/* migrants_covered and exportable: yes, no, partial, unknown */
static const char *const answer_words[4][MRM_WELFARE_NLANGS + 1] = {
	{"yes", "yes", "ใช่", "ရှိ"},
	{"no", "no", "ไม่", "မရှိ"},
	{"partial", "partial", "บางส่วน", "တစ်စိတ်တစ်ပိုင်း"},
	{"unknown", "unknown", "ไม่ทราบ", "မသိရ"},
};

static const char
	*const country_words[MRM_WELFARE_NCOUNTRIES][MRM_WELFARE_NLANGS] = {
		{"Thailand", "ไทย", "ထိုင်း"},
		{"Myanmar", "เมียนมา", "မြန်မာ"},
		{"Cambodia", "กัมพูชา", "ကမ္ဘောဒီးယား"},
		{"Laos", "ลาว", "လာအို"},
		{"Viet Nam", "เวียดนาม", "ဗီယက်နမ်"},
		{"China", "จีน", "တရုတ်"},
};

static const char *const langs[MRM_WELFARE_NLANGS] = {"en", "th", "my"};

struct html {
	struct mrm_buf *b;
	int lang; /* index in langs */
	int rc;
};

static void put(struct html *h, const char *s)
{
	if (!h->rc)
		h->rc = mrm_buf_adds(h->b, s);
}

static void esc(struct html *h, const char *s)
{
	if (!h->rc)
		h->rc = mrm_svg_escape(h->b, s);
}

static void put_num(struct html *h, const char *fmt, long long v)
{
	if (!h->rc)
		h->rc = mrm_buf_addf(h->b, fmt, v);
}

/* English text of the reference file, marked as such in another
 * language. */
static void english(struct html *h, const char *s)
{
	if (h->lang)
		put(h, "<span lang=\"en\">");
	esc(h, s);
	if (h->lang)
		put(h, "</span>");
}

/* yes, no, partial or unknown in the section's language. */
static void answer(struct html *h, const char *v)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(v, answer_words[i][0])) {
			put(h, answer_words[i][1 + h->lang]);
			return;
		}
	english(h, v);
}

/* Template `tpl` with {from} and {to} replaced, escaped. */
static void put_dates(struct html *h, const char *tpl, const char *from,
		      const char *to)
{
	while (*tpl) {
		const char *brace = strchr(tpl, '{');
		size_t n = brace ? (size_t)(brace - tpl) : strlen(tpl);

		if (!h->rc)
			h->rc = mrm_buf_add(h->b, tpl, n);
		tpl += n;
		if (!brace)
			break;
		esc(h, !strncmp(brace, "{from}", 6) ? from : to);
		tpl = strchr(brace, '}') + 1;
	}
}

static void cell_html(struct html *h, const struct mrm_welfare_cell *x,
		      int note)
{
	int any = 0;

	put(h, "<td>");
	if (!x->known) {
		put(h, "<span class=\"unknown\">");
		answer(h, "unknown");
		put(h, "</span></td>");
		return;
	}
	for (int k = 0; k < 3; k++) {
		char r[32];

		if (x->rate_bp[k] < 0)
			continue;
		mrm_welfare_rate_text(x->rate_bp[k], r);
		if (any) {
			put(h, ", ");
		} else {
			put(h, words[W_RATE][h->lang]);
			put(h, ": ");
		}
		put(h, who_words[k][h->lang]);
		put(h, " ");
		esc(h, r);
		put(h, "%");
		any = 1;
	}
	if (!any) {
		put(h, words[W_RATE][h->lang]);
		put(h, ": ");
		answer(h, "unknown");
	}
	put(h, "<br>");
	put(h, words[W_MIGRANTS][h->lang]);
	put(h, ": ");
	answer(h, x->migrants);
	put(h, "<br>");
	put(h, words[W_EXPORTABLE][h->lang]);
	put(h, ": ");
	answer(h, x->exportable);
	put_num(h, " <sup><a href=\"#welfare-n%lld\">", note);
	put_num(h, "[%lld]</a></sup>", note);
	if (x->estimate) {
		put(h, " <em>");
		put(h, words[W_ESTIMATE][h->lang]);
		put(h, "</em>");
	}
	put(h, "</td>");
}

static void notes_html(struct html *h, const struct mrm_welfare *w)
{
	int n = 0;

	put(h, "<ol class=\"note-s\">\n");
	for (int c = 0; c < MRM_WELFARE_NCOUNTRIES; c++)
		for (int b = 0; b < MRM_WELFARE_NBRANCHES; b++) {
			const struct mrm_welfare_cell *x = &w->cell[c][b];

			if (!x->known)
				continue;
			put_num(h, "<li id=\"welfare-n%lld\">", ++n);
			put(h, country_words[c][h->lang]);
			put(h, ", ");
			put(h, branch_words[b][h->lang]);
			put(h, " (");
			english(h, x->scheme);
			put(h, "): ");
			english(h, x->source);
			put(h, "; ");
			put_dates(h,
				  words[*x->effective_to ? W_FROM_TO : W_FROM]
				       [h->lang],
				  x->effective_from, x->effective_to);
			if (x->estimate) {
				put(h, "; ");
				put(h, words[W_VERIFY][h->lang]);
			}
			put(h, ". ");
			english(h, x->note);
			put(h, "</li>\n");
		}
	put(h, "</ol>\n");
}

static int lang_index(const char *lang, int *out, struct mrm_error *err)
{
	for (int i = 0; i < MRM_WELFARE_NLANGS; i++)
		if (!strcmp(lang ? lang : "en", langs[i])) {
			*out = i;
			return 0;
		}
	return mrm_error_set(err, MRM_ERR_INVALID, "--lang",
			     "no welfare table in \"%s\"; there is one in "
			     "en, th and my",
			     lang);
}

int mrm_welfare_html_section(const struct mrm_welfare *w, const char *lang,
			     struct mrm_buf *out, struct mrm_error *err)
{
	struct html h = {out, 0, 0};
	int n = 0;

	if (lang_index(lang, &h.lang, err))
		return MRM_ERR_INVALID;
	put(&h, "<section class=\"welfare\" id=\"welfare\">\n<h2>");
	put(&h, words[W_TITLE][h.lang]);
	put(&h, "</h2>\n<p class=\"note\">");
	put(&h, words[W_INTRO][h.lang]);
	put(&h, "</p>\n<table class=\"data\">\n<thead><tr><th scope=\"col\">");
	put(&h, words[W_BRANCH][h.lang]);
	put(&h, "</th>");
	for (int c = 0; c < MRM_WELFARE_NCOUNTRIES; c++) {
		put(&h, "<th scope=\"col\">");
		put(&h, country_words[c][h.lang]);
		put(&h, "</th>");
	}
	put(&h, "</tr></thead>\n<tbody>\n");
	for (int b = 0; b < MRM_WELFARE_NBRANCHES; b++) {
		put(&h, "<tr><th scope=\"row\">");
		put(&h, branch_words[b][h.lang]);
		put(&h, "</th>");
		for (int c = 0; c < MRM_WELFARE_NCOUNTRIES; c++) {
			const struct mrm_welfare_cell *x = &w->cell[c][b];

			/* notes are numbered country by country, branch by
			 * branch: count the known cells before this one */
			n = 0;
			for (int i = 0; i <= c; i++)
				for (int j = 0; j < MRM_WELFARE_NBRANCHES &&
						(i < c || j <= b);
				     j++)
					n += w->cell[i][j].known;
			cell_html(&h, x, n);
		}
		put(&h, "</tr>\n");
	}
	put(&h, "</tbody>\n</table>\n");
	notes_html(&h, w);
	put(&h, "</section>\n");
	return h.rc ? mrm_error_set(err, h.rc, NULL, "out of memory") : 0;
}

int mrm_welfare_html_page(const struct mrm_welfare *w, const char *lang,
			  struct mrm_buf *out, struct mrm_error *err)
{
	int i, rc = lang_index(lang, &i, err);

	if (!rc &&
	    mrm_buf_addf(
		    out,
		    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta "
		    "charset=\"utf-8\">\n<meta name=\"generator\" "
		    "content=\"Migrant Rights Monitor (mrm)\">\n<title>%s"
		    "</title>\n<style>\n"
		    "body{font-family:\"Noto Sans\",\"Noto Sans Thai\","
		    "\"Noto Sans Myanmar\",Padauk,Tahoma,\"DejaVu Sans\",Arial,"
		    "sans-serif;margin:2em auto;max-width:72em;padding:0 1.5em;"
		    "line-height:1.6;color:#111;background:#fff}\n"
		    "table.data{border-collapse:collapse;font-size:.9em}\n"
		    "table.data th,table.data td{border:1px solid #bbb;"
		    "padding:.25em .5em;text-align:left;vertical-align:top}\n"
		    "table.data thead th{background:#eef2f6}\n"
		    ".unknown{color:#666;font-style:italic}\n"
		    ".note{background:#f3f6f9;border-left:4px solid #0072b2;"
		    "padding:.6em 1em}\n.note-s{font-size:.88em;color:#333}\n"
		    "</style>\n</head>\n<body>\n",
		    langs[i], words[W_TITLE][i]))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	if (!rc)
		rc = mrm_welfare_html_section(w, lang, out, err);
	if (!rc && mrm_buf_adds(out, "</body>\n</html>\n"))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
	return rc;
}

json_t *mrm_welfare_json(const struct mrm_welfare *w)
{
	json_t *br = json_array(), *co = json_array(), *cells = json_array();

	for (int b = 0; br && b < MRM_WELFARE_NBRANCHES; b++)
		json_array_append_new(br,
				      json_pack("{s:s, s:s}", "code",
						mrm_welfare_branches[b],
						"label", branch_words[b][0]));
	for (int c = 0; co && c < MRM_WELFARE_NCOUNTRIES; c++)
		json_array_append_new(co,
				      json_string(mrm_welfare_countries[c]));
	for (int c = 0; cells && c < MRM_WELFARE_NCOUNTRIES; c++)
		for (int b = 0; b < MRM_WELFARE_NBRANCHES; b++) {
			const struct mrm_welfare_cell *x = &w->cell[c][b];
			json_t *r = json_object();

			for (int k = 0; r && k < 3; k++)
				json_object_set_new(
					r, who_words[k][0],
					x->known && x->rate_bp[k] >= 0
						? json_integer(x->rate_bp[k])
						: json_null());
			json_array_append_new(
				cells,
				json_pack("{s:s, s:s, s:b, s:s?, s:o, s:s, s:s,"
					  " s:s?, s:s?, s:s?, s:b, s:s?}",
					  "country", mrm_welfare_countries[c],
					  "branch", mrm_welfare_branches[b],
					  "known", x->known, "scheme",
					  x->known ? x->scheme : NULL,
					  "rate_bp", r, "migrants_covered",
					  x->known ? x->migrants : "unknown",
					  "exportable",
					  x->known ? x->exportable : "unknown",
					  "effective_from",
					  *x->effective_from ? x->effective_from
							     : NULL,
					  "effective_to",
					  *x->effective_to ? x->effective_to
							   : NULL,
					  "source", x->known ? x->source : NULL,
					  "estimate", x->estimate, "note",
					  *x->note ? x->note : NULL));
		}
	return json_pack("{s:o, s:o, s:o}", "branches", br, "countries", co,
			 "cells", cells);
}
