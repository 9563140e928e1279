/*
 * policy_report.c - the "policy-impact" report: the comparison of
 * policy_impact.c as one self-contained HTML page (inline style, an SVG
 * chart, no scripts, fonts or links), like the reports of report.c, in
 * English, Thai or Burmese; and the comparison's table as CSV.
 *
 * The page's own words are the table below, and the words every report
 * shares (report.c). The policy's title, summary, note and source are the
 * register's own text (English) and are shown as they are; labels of
 * countries, act types and nationalities come from the vocabulary in the
 * report's language.
 */
#include "mrm/policy.h"

#include "report_internal.h"

#include "mrm/report.h"
#include "mrm/store.h"
#include "mrm/svg.h"
#include "mrm/vocab.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 4096 /* one message, filled in */

static const struct report_msg words[] = {
	{"title",
	 {"Policy on the ground: {title}", "ผลของนโยบายในทางปฏิบัติ: {title}",
	  "မူဝါဒ၏ မြေပြင် အကျိုးသက်ရောက်မှု - {title}"}},
	{"policy", {"The policy", "นโยบาย", "မူဝါဒ"}},
	{"key", {"Key", "รหัส", "ကုဒ်"}},
	{"country", {"Country", "ประเทศ", "နိုင်ငံ"}},
	{"instrument", {"Instrument", "ประเภท", "အမျိုးအစား"}},
	{"summary", {"Summary", "สาระสำคัญ", "အကျဉ်းချုပ်"}},
	{"adopted", {"Adopted", "วันที่รับรอง", "အတည်ပြုသည့် ရက်"}},
	{"from", {"In force from", "มีผลบังคับใช้ตั้งแต่", "အာဏာစတင်တည်သည့် ရက်"}},
	{"until", {"In force until", "มีผลบังคับใช้ถึง", "အာဏာတည်သည့် နောက်ဆုံးရက်"}},
	{"source", {"Source", "แหล่งที่มา", "ရင်းမြစ်"}},
	{"url", {"Source address", "ที่อยู่ของแหล่งที่มา", "ရင်းမြစ် လိပ်စာ"}},
	{"note", {"Note", "หมายเหตุ", "မှတ်ချက်"}},
	{"estimate",
	 {"A date or figure of this policy is flagged as an estimate or as to "
	  "be verified in its source.",
	  "วันที่หรือตัวเลขบางรายการของนโยบายนี้ถูกระบุว่าเป็นค่าประมาณ "
	  "หรือต้องตรวจสอบกับแหล่งที่มา",
	  "ဤမူဝါဒ၏ ရက်စွဲ သို့မဟုတ် ကိန်းဂဏန်း တစ်ခုခုကို ခန့်မှန်းချက်အဖြစ် "
	  "သို့မဟုတ် ရင်းမြစ်တွင် စစ်ဆေးရန် လိုသည်ဟု မှတ်သားထားသည်။"}},
	{"instrument.law", {"Law", "กฎหมาย", "ဥပဒေ"}},
	{"instrument.decree", {"Decree", "กฤษฎีกา", "အမိန့်ကြော်ငြာစာ"}},
	{"instrument.regulation", {"Regulation", "ระเบียบ", "နည်းဥပဒေ"}},
	{"instrument.mou",
	 {"Memorandum of understanding (MOU)", "บันทึกความเข้าใจ (MOU)",
	  "နားလည်မှု စာချွန်လွှာ (MOU)"}},
	{"instrument.cabinet_resolution",
	 {"Cabinet resolution", "มติคณะรัฐมนตรี", "ဝန်ကြီးအဖွဲ့ ဆုံးဖြတ်ချက်"}},
	{"instrument.declaration", {"Declaration", "ปฏิญญา", "ကြေညာစာတမ်း"}},
	{"instrument.announcement",
	 {"Announcement", "ประกาศ", "ထုတ်ပြန်ကြေညာချက်"}},
	{"instrument.measure", {"Measure", "มาตรการ", "အစီအမံ"}},
	{"method",
	 {"Compared around {at}: {n} months before ({from0} to {to0}) and {n} "
	  "months from it ({from1} to {to1}).",
	  "เปรียบเทียบรอบวันที่ {at}: {n} เดือนก่อนหน้า ({from0} ถึง {to0}) "
	  "และ {n} เดือนนับจากวันนั้น ({from1} ถึง {to1})",
	  "{at} ဝန်းကျင်တွင် နှိုင်းယှဉ်ထားသည် - မတိုင်မီ {n} လ ({from0} မှ "
	  "{to0} အထိ) နှင့် ထိုနေ့မှစ၍ {n} လ ({from1} မှ {to1} အထိ)။"}},
	{"places",
	 {"Acts in {places} only.", "นับเฉพาะการกระทำที่เกิดใน {places}",
	  "{places} တွင် ဖြစ်ပွားသော ကျူးလွန်မှုများကိုသာ ရေတွက်ထားသည်။"}},
	{"counting",
	 {"Persons count people: a group of 120 counts 120. An act counts on "
	  "a side only when its date, at the precision known, lies wholly in "
	  "that window. These are what the network documented, not an "
	  "estimate of all that happened.",
	  "จำนวนบุคคลนับเป็นจำนวนคน: กลุ่ม 120 คนนับเป็น 120 คน "
	  "การกระทำจะถูกนับในช่วงใดก็ต่อเมื่อวันที่ของการกระทำนั้น "
	  "ตามความละเอียดที่ทราบ อยู่ภายในช่วงนั้นทั้งหมด "
	  "ตัวเลขเหล่านี้คือสิ่งที่เครือข่ายได้บันทึกไว้ "
	  "ไม่ใช่การประมาณการเหตุการณ์ทั้งหมดที่เกิดขึ้น",
	  "ပုဂ္ဂိုလ်ဦးရေသည် လူဦးရေကို ရေတွက်ခြင်း ဖြစ်သည် - လူ ၁၂၀ ပါဝင်သော "
	  "အုပ်စုကို ၁၂၀ ဟု ရေတွက်သည်။ ကျူးလွန်မှုတစ်ခုကို ၎င်း၏ ရက်စွဲ "
	  "(သိရှိသည့် အတိအကျအဆင့်အတိုင်း) သည် ကာလတစ်ခုအတွင်း အပြည့်အဝ "
	  "ကျရောက်မှသာ ထိုဘက်တွင် ရေတွက်သည်။ ဤကိန်းဂဏန်းများသည် ကွန်ရက်က "
	  "မှတ်တမ်းတင်ထားသည်များ ဖြစ်ပြီး ဖြစ်ပွားခဲ့သမျှ အားလုံး၏ "
	  "ခန့်မှန်းချက် မဟုတ်ပါ။"}},
	{"compare", {"Before and after", "ก่อนและหลัง", "မတိုင်မီနှင့် နောက်ပိုင်း"}},
	{"by.act_type", {"Act type", "ประเภทการกระทำ", "ကျူးလွန်မှု အမျိုးအစား"}},
	{"by.nationality", {"Nationality", "สัญชาติ", "နိုင်ငံသား"}},
	{"acts", {"Acts", "การกระทำ", "ကျူးလွန်မှု"}},
	{"before", {"Before", "ก่อน", "မတိုင်မီ"}},
	{"after", {"After", "หลัง", "နောက်ပိုင်း"}},
	{"change", {"Change", "การเปลี่ยนแปลง", "ပြောင်းလဲမှု"}},
	{"unplaced",
	 {"Dated too coarsely to place on either side: {acts} acts, {persons} "
	  "persons.",
	  "ระบุวันที่ไม่ละเอียดพอที่จะจัดไว้ในช่วงก่อนหรือหลังได้: "
	  "การกระทำ {acts} รายการ บุคคล {persons} คน",
	  "ရက်စွဲ အတိအကျ မရှိ၍ မတိုင်မီ သို့မဟုတ် နောက်ပိုင်း တစ်ဘက်ဘက်တွင် "
	  "ထည့်၍ မရသည်များ - ကျူးလွန်မှု {acts} ခု၊ ပုဂ္ဂိုလ် {persons} ဦး။"}},
	{"cat.before", {"{label}, before", "{label} ก่อน", "{label}၊ မတိုင်မီ"}},
	{"cat.after", {"{label}, after", "{label} หลัง", "{label}၊ နောက်ပိုင်း"}},
	{"bars.title",
	 {"Persons before and after", "จำนวนคนก่อนและหลัง",
	  "မတိုင်မီနှင့် နောက်ပိုင်း လူဦးရေ"}},
	{"bars.desc",
	 {"Horizontal bars: persons in each category before and after the "
	  "policy's date",
	  "แผนภูมิแท่งแนวนอน: จำนวนคนในแต่ละประเภท "
	  "ก่อนและหลังวันที่ของนโยบาย",
	  "အလျားလိုက် ဘားဂရပ် - မူဝါဒ၏ ရက်စွဲ မတိုင်မီနှင့် နောက်ပိုင်းတွင် "
	  "အမျိုးအစားတစ်ခုစီရှိ လူဦးရေ"}},
	{"policy.source", {"Policy source", "แหล่งที่มาของนโยบาย", "မူဝါဒ ရင်းမြစ်"}},
};

#define NWORDS (sizeof(words) / sizeof(words[0]))

struct page {
	struct mrm_buf *b;
	const struct mrm_vocab *v;
	const struct mrm_policy_impact *r;
	int lang;
	char k[16];
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

static const char *word(const struct page *p, const char *key)
{
	return report_word(words, NWORDS, p->lang, key);
}

/* Into `out`: message `key` filled in (pairs of name, value, then NULL). */
static int fill(const struct page *p, struct mrm_buf *out, const char *key, ...)
{
	va_list ap;
	int rc;

	va_start(ap, key);
	rc = report_vfill(word(p, key), out, ap);
	va_end(ap);
	return rc;
}

/* Write message `key`, filled in and escaped. */
static void say(struct page *p, const char *key, ...)
{
	va_list ap;

	if (p->rc)
		return;
	va_start(ap, key);
	p->rc = report_vsay(word(p, key), p->b, ap);
	va_end(ap);
}

static const char style[] =
	"body{font-family:\"Noto Sans\",\"Noto Sans Thai\",\"Noto Sans "
	"Myanmar\",Padauk,\"Myanmar Text\",\"Noto Sans Khmer\",\"Noto Sans "
	"Lao\",\"Leelawadee UI\",Tahoma,\"DejaVu Sans\",Arial,sans-serif;"
	"margin:2em auto;max-width:62em;padding:0 1.5em;color:#111;"
	"background:#fff;line-height:1.5}\n"
	":lang(th){line-height:1.7}\n:lang(my){line-height:1.9}\n"
	"h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:2px solid "
	"#0072b2}\n"
	".edition{font-weight:bold;text-transform:uppercase;"
	"letter-spacing:.05em;color:#555;margin:0}\n"
	"dl.policy{display:grid;grid-template-columns:max-content auto;"
	"gap:.2em 1em}dl.policy dt{font-weight:bold}dl.policy dd{margin:0}\n"
	".note{background:#f3f6f9;border-left:4px solid #0072b2;"
	"padding:.6em 1em}\n.note.estimate,.note.public{border-color:#d55e00}"
	"\n.note.internal{border-color:#b00020;background:#fdecee}\n"
	"table.data{border-collapse:collapse;margin:.8em 0}\n"
	"table.data th,table.data td{border:1px solid #bbb;padding:.25em .6em;"
	"text-align:left}\ntable.data thead th{background:#eef2f6}\n"
	"table.data .num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"table.data tfoot th,table.data tfoot td{font-weight:bold}\n"
	"svg.chart{display:block;width:100%;max-width:720px;height:auto}\n"
	"svg.chart text{font-family:inherit;fill:#222}\n"
	"@page{size:A4;margin:16mm 14mm 18mm}\n"
	"@media print{body{margin:0;max-width:none;font-size:10.5pt}"
	"figure,table,.note{break-inside:avoid;page-break-inside:avoid}}\n";

/* What a reader sees for a row's code (malloc'd; NULL: no memory). */
static char *row_label(const struct page *p, const char *code)
{
	if (!strcmp(code, MRM_STATS_ALL))
		return strdup(word(p, "total"));
	if (!*code || !strcmp(code, "unknown"))
		return strdup(word(p, "unknown"));
	return strdup(mrm_vocab_label(p->v, mrm_stats_dim_scheme(p->r->by),
				      code, mrm_report_langs[p->lang]));
}

static void item(struct page *p, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	put(p, "<dt>");
	say(p, key, NULL);
	put(p, "</dt><dd>");
	esc(p, value);
	put(p, "</dd>\n");
}

static void policy_part(struct page *p)
{
	const struct mrm_policy *pol = &p->r->policy;
	char key[64];
	const char *instrument;

	snprintf(key, sizeof(key), "instrument.%s", pol->instrument);
	instrument = word(p, key);
	put(p, "<h2>");
	say(p, "policy", NULL);
	put(p, "</h2>\n<dl class=\"policy\">\n");
	item(p, "key", pol->key);
	item(p, "country",
	     mrm_vocab_label(p->v, "country", pol->country,
			     mrm_report_langs[p->lang]));
	item(p, "instrument", instrument == key ? pol->instrument : instrument);
	item(p, "summary", pol->summary);
	item(p, "adopted", pol->adopted);
	item(p, "from", pol->effective_from);
	item(p, "until", pol->effective_to);
	item(p, "source", pol->source);
	item(p, "url", pol->source_url);
	item(p, "note", pol->note);
	put(p, "</dl>\n");
	if (pol->estimate) {
		put(p, "<p class=\"note estimate\">");
		say(p, "estimate", NULL);
		put(p, "</p>\n");
	}
}

static void method_part(struct page *p)
{
	const struct mrm_policy_impact *r = p->r;
	char n[16];

	snprintf(n, sizeof(n), "%u", r->window);
	put(p, "<p class=\"note\">");
	say(p, "method", "at", r->at, "n", n, "from0", r->from[0], "to0",
	    r->to[0], "from1", r->from[1], "to1", r->to[1], NULL);
	put(p, " ");
	if (*r->places) {
		say(p, "places", "places", r->places, NULL);
		put(p, " ");
	}
	say(p, "counting", NULL);
	put(p, "</p>\n");
	if (r->public) {
		put(p, "<p class=\"note public\">");
		say(p, "note.public", "k", p->k, NULL);
	} else {
		put(p, "<p class=\"note internal\">");
		say(p, "note.internal", NULL);
	}
	put(p, "</p>\n");
}

static void figure_td(struct page *p, const struct mrm_policy_figure *f)
{
	char text[24];

	mrm_policy_figure_text(p->r, f, text, sizeof(text));
	put(p, "<td class=\"num\">");
	esc(p, text);
	put(p, "</td>");
}

static void pair_tds(struct page *p, const struct mrm_policy_figure f[2])
{
	char change[24];

	figure_td(p, &f[0]);
	figure_td(p, &f[1]);
	mrm_policy_change_text(f, change, sizeof(change));
	put(p, "<td class=\"num\">%s</td>", change);
}

static const char *by_label(const struct page *p)
{
	return word(p, strcmp(p->r->by, "act_type") ? "by.nationality"
						    : "by.act_type");
}

static void row_th(struct page *p, const char *code)
{
	char *label = row_label(p, code);

	if (!label && !p->rc)
		p->rc = MRM_ERR_NOMEM;
	put(p, "<th>");
	esc(p, label);
	put(p, "</th>");
	free(label);
}

static void table_part(struct page *p)
{
	const struct mrm_policy_impact *r = p->r;
	char acts[24], persons[24];

	put(p, "<h2>");
	say(p, "compare", NULL);
	put(p, "</h2>\n<table class=\"data\">\n<thead><tr><th rowspan=\"2\">");
	esc(p, by_label(p));
	put(p, "</th><th colspan=\"3\">");
	say(p, "acts", NULL);
	put(p, "</th><th colspan=\"3\">");
	say(p, "measure.persons", NULL);
	put(p, "</th></tr>\n<tr>");
	for (int i = 0; i < 2; i++) {
		put(p, "<th class=\"num\">");
		say(p, "before", NULL);
		put(p, "</th><th class=\"num\">");
		say(p, "after", NULL);
		put(p, "</th><th class=\"num\">");
		say(p, "change", NULL);
		put(p, "</th>");
	}
	put(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nrows; i++) {
		if (i + 1 == r->nrows)
			put(p, "</tbody>\n<tfoot>");
		put(p, "<tr>");
		row_th(p, r->rows[i].code);
		pair_tds(p, r->rows[i].acts);
		pair_tds(p, r->rows[i].persons);
		put(p, "</tr>\n");
	}
	put(p, "</tfoot>\n</table>\n<p>");
	mrm_policy_figure_text(r, &r->unplaced_acts, acts, sizeof(acts));
	mrm_policy_figure_text(r, &r->unplaced_persons, persons,
			       sizeof(persons));
	say(p, "unplaced", "acts", acts, "persons", persons, NULL);
	put(p, "</p>\n");
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
static int chart_part(struct page *p)
{
	const struct mrm_policy_impact *r = p->r;
	size_t n = (r->nrows - 1) * 2;
	char **texts = calloc(n + 1, sizeof(*texts));
	char(*marks)[16] = calloc(n + 1, sizeof(*marks));
	struct mrm_svg_value *vals = calloc(n + 1, sizeof(*vals));
	struct mrm_svg_series series = {word(p, "measure.persons"), vals};
	struct mrm_buf text = MRM_BUF_INIT(TEXT_MAX);
	struct mrm_buf legend = MRM_BUF_INIT(256);
	int rc = MRM_ERR_NOMEM;

	if (!texts || !marks || !vals)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct mrm_policy_impact_row *row = &r->rows[i / 2];
		char *label = row_label(p, row->code);

		rc = label ? fill(p, &text, i % 2 ? "cat.after" : "cat.before",
				  "label", label, NULL)
			   : MRM_ERR_NOMEM;
		free(label);
		if (rc || !(texts[i] = mrm_buf_detach(&text))) {
			rc = rc ? rc : MRM_ERR_NOMEM;
			goto out;
		}
		vals[i] = svg_value(r, &row->persons[i % 2], marks[i]);
	}
	if ((rc = fill(p, &legend, "legend.withheld", "k", p->k, NULL)))
		goto out;
	rc = n ? mrm_svg_bars(p->b,
			      &(struct mrm_svg_chart){
				      .id = "impact",
				      .title = word(p, "bars.title"),
				      .desc = word(p, "bars.desc"),
				      .x_label = word(p, "measure.persons"),
				      .y_label = by_label(p),
				      .cats = (const char *const *)texts,
				      .ncats = n,
				      .series = &series,
				      .nseries = 1,
				      .withheld = legend.ptr})
	       : 0;
out:
	for (size_t i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
	free(marks);
	free(vals);
	mrm_buf_release(&text);
	mrm_buf_release(&legend);
	return rc;
}

int mrm_policy_impact_html(struct mrm_store *st,
			   const struct mrm_policy_impact *r, const char *lang,
			   struct mrm_buf *out, struct mrm_error *err)
{
	struct page p = {out, mrm_store_vocab(st), r, 0, "", 0};
	struct mrm_buf title = MRM_BUF_INIT(TEXT_MAX);

	int rc = report_lang(lang, &p.lang, err);

	if (rc)
		return rc;
	snprintf(p.k, sizeof(p.k), "%u", r->k);
	p.rc = fill(&p, &title, "title", "title", r->policy.title, NULL);
	put(&p,
	    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<meta "
	    "name=\"generator\" content=\"Migrant Rights Monitor "
	    "(mrm)\">\n<title>",
	    mrm_report_langs[p.lang]);
	esc(&p, title.ptr);
	put(&p,
	    "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
	    "<p class=\"edition\">",
	    style);
	say(&p, r->public ? "edition.public" : "edition.internal", NULL);
	put(&p, "</p>\n<h1>");
	esc(&p, title.ptr);
	put(&p, "</h1>\n</header>\n");
	policy_part(&p);
	method_part(&p);
	table_part(&p);
	if (!p.rc) {
		put(&p, "<figure>\n");
		if (!p.rc)
			p.rc = chart_part(&p);
		put(&p, "</figure>\n");
	}
	put(&p, "<footer><p>");
	say(&p, "policy.source", NULL);
	put(&p, ": ");
	esc(&p, r->policy.source);
	put(&p, "</p>\n<p>");
	say(&p, "made-with", NULL);
	put(&p, "</p></footer>\n</body>\n</html>\n");
	mrm_buf_release(&title);
	if (p.rc)
		return mrm_error_set(err, p.rc, NULL, "%s",
				     p.rc == MRM_ERR_LIMIT
					     ? "the report is too large"
					     : "out of memory");
	return 0;
}

int mrm_policy_impact_csv(const struct mrm_policy_impact *r,
			  struct mrm_buf *out)
{
	char t[6][MRM_POLICY_FIGURE_MAX];
	int rc = mrm_buf_addf(out,
			      "%s,acts_before,acts_after,acts_change,"
			      "persons_before,persons_after,persons_change\n",
			      r->by);

	for (size_t i = 0; !rc && i < r->nrows; i++) {
		const struct mrm_policy_impact_row *row = &r->rows[i];

		mrm_policy_row_texts(r, row, t);
		rc = mrm_buf_addf(out, "%s,%s,%s,%s,%s,%s,%s\n",
				  !strcmp(row->code, MRM_STATS_ALL) ? "total"
				  : *row->code			    ? row->code
								    : "unknown",
				  t[0], t[1], t[2], t[3], t[4], t[5]);
	}
	return rc;
}

int report_policy_page(struct report_part *p, struct mrm_error *err)
{
	const struct mrm_report_opts *o = p->o;
	struct mrm_policy_impact_opts io = {.key = o->policy,
					    .at = o->at,
					    .window = o->window,
					    .by = o->by,
					    .country = o->country,
					    .public = o->public,
					    .k = o->k};
	struct mrm_policy_impact *r = NULL;
	struct mrm_buf *csv;
	int rc = mrm_policy_impact(p->st, &io, &r, err);

	if (!rc)
		rc = mrm_policy_impact_html(p->st, r, mrm_report_langs[p->lang],
					    p->html, err);
	if (!rc && (csv = report_part_csv(p, "policy-impact")) &&
	    (rc = mrm_policy_impact_csv(r, csv)))
		mrm_error_set(err, rc, NULL, "cannot build the table");
	mrm_policy_impact_free(r);
	return rc;
}
