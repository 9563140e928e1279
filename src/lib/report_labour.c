/*
 * report_labour.c - the body of report template "labour-rights": wages
 * owed by corridor and by sector (per currency), the recruitment cost
 * burden by corridor beside the legal cap, every reference figure used
 * with its source and dates, and the comparative welfare table.
 *
 * Figures about records go through the statistics engine (so --public
 * applies its disclosure control); the counts made here (costs compared
 * with the cap, figures used) are withheld under k the same way.
 */
#include "report_internal.h"

#include "mrm/csv.h"
#include "mrm/fields.h"
#include "mrm/ref.h"
#include "mrm/report.h"
#include "mrm/stats.h"
#include "mrm/store.h"
#include "mrm/svg.h"
#include "mrm/vocab.h"
#include "mrm/wages.h"
#include "mrm/welfare.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIGURES_MAX   256
#define CORRIDORS_MAX 64

/* The body's own words; the words every report shares are report.c's. */
static const struct report_msg lmsgs[] = {
	{"part.wages", {"Wages owed", "ค่าจ้างค้างจ่าย", "ပေးရန်ကျန်ရှိသော လုပ်ခလစာ"}},
	{"s.owed.corridor",
	 {"Wages owed by corridor", "ค่าจ้างค้างจ่าย จำแนกตามเส้นทางการย้ายถิ่น",
	  "ရွှေ့ပြောင်းလမ်းကြောင်းအလိုက် ပေးရန်ကျန်ရှိသော လုပ်ခလစာ"}},
	{"s.owed.sector",
	 {"Wages owed by sector", "ค่าจ้างค้างจ่าย จำแนกตามภาคเศรษฐกิจ",
	  "လုပ်ငန်းကဏ္ဍအလိုက် ပေးရန်ကျန်ရှိသော လုပ်ခလစာ"}},
	{"part.recruitment",
	 {"Recruitment costs", "ค่าใช้จ่ายในการจัดหางาน",
	  "အလုပ်ရှာဖွေခန့်ထားရေး ကုန်ကျစရိတ်"}},
	{"s.burden",
	 {"Recruitment cost burden by corridor, compared with the legal cap",
	  "ภาระค่าใช้จ่ายในการจัดหางาน จำแนกตามเส้นทางการย้ายถิ่น "
	  "เทียบกับเพดานตามกฎหมาย",
	  "ရွှေ့ပြောင်းလမ်းကြောင်းအလိုက် အလုပ်ရှာဖွေခန့်ထားရေး "
	  "ကုန်ကျစရိတ် ဝန်ထုပ်ဝန်ပိုးနှင့် ဥပဒေအရ ကန့်သတ်ထားသော "
	  "အများဆုံးပမာဏ"}},
	{"part.reference",
	 {"Reference figures", "ตัวเลขอ้างอิง", "ကိုးကားချက် ကိန်းဂဏန်းများ"}},
	{"s.figures",
	 {"Minimum wages, living wages and caps used",
	  "ค่าจ้างขั้นต่ำ ค่าจ้างเพื่อชีวิต และเพดานที่ใช้คำนวณ",
	  "တွက်ချက်ရာတွင် အသုံးပြုထားသော အနည်းဆုံးလုပ်ခ၊ "
	  "လူနေမှုအတွက် လုံလောက်သောလုပ်ခနှင့် အများဆုံးပမာဏများ"}},
	{"part.welfare", {"Social security", "ประกันสังคม", "လူမှုဖူလုံရေး"}},
	{"s.welfare",
	 {"Comparative welfare table", "ตารางเปรียบเทียบสวัสดิการ",
	  "လူမှုဖူလုံရေး နှိုင်းယှဉ်ဇယား"}},
	{"col.corridor", {"Corridor", "เส้นทางการย้ายถิ่น", "ရွှေ့ပြောင်းလမ်းကြောင်း"}},
	{"col.sector", {"Sector", "ภาคเศรษฐกิจ", "လုပ်ငန်းကဏ္ဍ"}},
	{"col.currency", {"Currency", "สกุลเงิน", "ငွေကြေး"}},
	{"col.records", {"Wage records", "บันทึกค่าจ้าง", "လုပ်ခလစာ မှတ်တမ်း"}},
	{"col.owed", {"Wages owed", "ค่าจ้างค้างจ่าย", "ပေးရန်ကျန်ရှိသော လုပ်ခလစာ"}},
	{"col.costs",
	 {"Costs with a burden", "รายการที่คำนวณภาระได้",
	  "ဝန်ထုပ်ဝန်ပိုး တွက်ချက်နိုင်သော ကုန်ကျစရိတ်"}},
	{"col.mean",
	 {"Mean burden (% of a month's earnings)",
	  "ภาระเฉลี่ย (% ของรายได้หนึ่งเดือน)", "ပျမ်းမျှ ဝန်ထုပ်ဝန်ပိုး (တစ်လဝင်ငွေ၏ %)"}},
	{"col.median",
	 {"Median burden (%)", "มัธยฐานของภาระ (%)", "အလယ်ကိန်း ဝန်ထုပ်ဝန်ပိုး (%)"}},
	{"col.cap", {"Legal cap", "เพดานตามกฎหมาย", "ဥပဒေအရ အများဆုံးပမာဏ"}},
	{"col.compared",
	 {"Costs compared with the cap", "รายการที่เทียบกับเพดานได้",
	  "အများဆုံးပမာဏနှင့် နှိုင်းယှဉ်ထားသော ကုန်ကျစရိတ်"}},
	{"col.over",
	 {"Of them over the cap", "ในจำนวนนี้ เกินเพดาน",
	  "ယင်းတို့အနက် အများဆုံးပမာဏထက် ကျော်လွန်သည်"}},
	{"col.figure", {"Figure", "ตัวเลข", "ကိန်းဂဏန်း"}},
	{"col.table", {"Table", "ตาราง", "ဇယား"}},
	{"col.amount", {"Amount", "จำนวน", "ပမာဏ"}},
	{"col.from", {"In force from", "มีผลตั้งแต่", "အသက်ဝင်သည့်နေ့"}},
	{"col.to", {"Until", "ถึง", "အထိ"}},
	{"col.source", {"Source", "แหล่งที่มา", "ရင်းမြစ်"}},
	{"col.used", {"Records", "จำนวนบันทึก", "မှတ်တမ်း အရေအတွက်"}},
	{"unknown", {"unknown", "ไม่ทราบ", "မသိရ"}},
	{"none", {"none in force", "ไม่มีที่บังคับใช้", "အသက်ဝင်နေသည် မရှိ"}},
	{"estimate", {"estimate", "ค่าประมาณ", "ခန့်မှန်းချက်"}},
	{"empty",
	 {"No records in this period.", "ไม่มีบันทึกในช่วงเวลานี้",
	  "ဤကာလအတွင်း မှတ်တမ်း မရှိပါ။"}},
	{"note.owed",
	 {"Each wage record is compared with the legal minimum in force at "
	  "its place on the first day of its period (the figures are listed "
	  "in section 4); records with no minimum in force are left out. "
	  "Amounts are per currency and never converted. As of {date}.",
	  "บันทึกค่าจ้างแต่ละรายการเทียบกับค่าจ้างขั้นต่ำตามกฎหมายที่มีผล"
	  "บังคับ ณ สถานที่นั้นในวันแรกของช่วงเวลาที่บันทึก (ตัวเลขอยู่ใน"
	  "ส่วนที่ 4) บันทึกที่ไม่มีค่าจ้างขั้นต่ำบังคับใช้จะไม่นับรวม "
	  "จำนวนเงินแยกตามสกุลเงินและไม่มีการแปลงค่า ข้อมูล ณ วันที่ {date}",
	  "လုပ်ခလစာ မှတ်တမ်းတစ်ခုစီကို ၎င်း၏ကာလ ပထမနေ့တွင် ထိုနေရာ၌ "
	  "အသက်ဝင်နေသော ဥပဒေအရ အနည်းဆုံးလုပ်ခနှင့် နှိုင်းယှဉ်ထားသည် "
	  "(ကိန်းဂဏန်းများကို အပိုင်း ၄ တွင် ဖော်ပြထားသည်)။ အနည်းဆုံးလုပ်ခ "
	  "အသက်ဝင်နေခြင်း မရှိသော မှတ်တမ်းများကို ထည့်မတွက်ပါ။ "
	  "ပမာဏများကို ငွေကြေးအလိုက် ပြထားပြီး မပြောင်းလဲပါ။ {date} "
	  "နေ့အထိ။"}},
	{"note.burden",
	 {"Burden: what the worker paid to be recruited over their monthly "
	  "earnings at destination (SDG indicator 10.7.1), in per cent. The "
	  "cap shown is the one in force on {date}; each cost is compared "
	  "with the cap in force on its own date, in the cap's currency or "
	  "through a market exchange rate. Costs with no earnings or no rate "
	  "have no burden.",
	  "ภาระ: ค่าใช้จ่ายที่แรงงานจ่ายเพื่อให้ได้งาน หารด้วยรายได้ต่อเดือน"
	  "ในประเทศปลายทาง (ตัวชี้วัด SDG 10.7.1) เป็นร้อยละ เพดานที่แสดงคือ"
	  "เพดานที่มีผล ณ วันที่ {date} แต่ละรายการเทียบกับเพดานที่มีผลในวันที่"
	  "ของรายการนั้น ในสกุลเงินของเพดานหรือผ่านอัตราแลกเปลี่ยนตลาด "
	  "รายการที่ไม่มีข้อมูลรายได้หรืออัตราแลกเปลี่ยนจะไม่มีค่าภาระ",
	  "ဝန်ထုပ်ဝန်ပိုး — အလုပ်ရရန် အလုပ်သမား ပေးခဲ့ရသော ပမာဏကို "
	  "ဦးတည်နိုင်ငံရှိ လစဉ်ဝင်ငွေဖြင့် စားထားသော ရာခိုင်နှုန်း (SDG "
	  "ညွှန်ကိန်း 10.7.1)။ ပြထားသော အများဆုံးပမာဏသည် {date} နေ့တွင် "
	  "အသက်ဝင်နေသော ပမာဏ ဖြစ်သည်။ ကုန်ကျစရိတ်တစ်ခုစီကို ၎င်း၏နေ့စွဲတွင် "
	  "အသက်ဝင်နေသော အများဆုံးပမာဏနှင့် ထိုငွေကြေးဖြင့် (သို့) "
	  "ဈေးကွက်ငွေလဲနှုန်းဖြင့် နှိုင်းယှဉ်သည်။ ဝင်ငွေ (သို့) ငွေလဲနှုန်း "
	  "မရှိသော ကုန်ကျစရိတ်များတွင် ဝန်ထုပ်ဝန်ပိုး မရှိပါ။"}},
	{"note.figures",
	 {"Every reference figure the tables above used, with its source "
	  "and the dates it is in force; estimates are marked.",
	  "ตัวเลขอ้างอิงทุกตัวที่ตารางข้างต้นใช้ พร้อมแหล่งที่มาและวันที่มีผล"
	  "บังคับ ค่าประมาณมีเครื่องหมายกำกับ",
	  "အထက်ပါဇယားများတွင် အသုံးပြုထားသော ကိုးကားချက် ကိန်းဂဏန်းတိုင်းကို "
	  "ရင်းမြစ်နှင့် အသက်ဝင်သည့်နေ့စွဲများနှင့်အတူ ဖော်ပြထားသည်။ "
	  "ခန့်မှန်းချက်များကို အမှတ်အသားပြုထားသည်။"}},
	{"note.figures.public",
	 {"Public edition: figures used by fewer than {k} records are not "
	  "listed.",
	  "ฉบับเผยแพร่: ไม่แสดงตัวเลขที่ใช้กับบันทึกน้อยกว่า {k} รายการ",
	  "အများပြည်သူသုံး ထုတ်ဝေမှု — မှတ်တမ်း {k} ခုထက် နည်းသော "
	  "ကိန်းဂဏန်းများကို မဖော်ပြပါ။"}},
};

static const char *T(const struct report_part *p, const char *key)
{
	return report_word(lmsgs, sizeof(lmsgs) / sizeof(lmsgs[0]), p->lang,
			   key);
}

static void put(struct report_part *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct report_part *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (mrm_buf_vaddf(p->html, fmt, ap) && !p->rc)
		p->rc = MRM_ERR_NOMEM;
	va_end(ap);
}

static void esc(struct report_part *p, const char *s)
{
	if (mrm_svg_escape(p->html, s) && !p->rc)
		p->rc = MRM_ERR_NOMEM;
}

/* Message `key` with its {name} placeholders filled from the NULL-ended
 * (name, value) pairs that follow, escaped. */
static void say(struct report_part *p, const char *key, ...)
{
	va_list ap;
	int rc;

	va_start(ap, key);
	rc = report_vsay(T(p, key), p->html, ap);
	va_end(ap);
	if (rc && !p->rc)
		p->rc = MRM_ERR_NOMEM;
}

static const char *lang(const struct report_part *p)
{
	return mrm_report_langs[p->lang];
}

/* A dimension value as a reader sees it: labels of countries (corridors
 * "Myanmar → Thailand") and sectors, "unknown", "Total". */
static void label(struct report_part *p, const char *dim, const char *code)
{
	const struct mrm_vocab *v = mrm_store_vocab(p->st);

	if (!strcmp(code, MRM_STATS_ALL)) {
		esc(p, T(p, "total"));
	} else if (!*code || !strcmp(code, "unknown")) {
		esc(p, T(p, "unknown"));
	} else if (!strcmp(dim, "corridor") && strchr(code, '-')) {
		char from[16];
		const char *to = strchr(code, '-') + 1;

		snprintf(from, sizeof(from), "%.*s", (int)(to - 1 - code),
			 code);
		esc(p, strcmp(from, "unknown")
			       ? mrm_vocab_label(v, "country", from, lang(p))
			       : T(p, "unknown"));
		put(p, " → ");
		esc(p, strcmp(to, "unknown")
			       ? mrm_vocab_label(v, "country", to, lang(p))
			       : T(p, "unknown"));
	} else {
		esc(p, mrm_vocab_label(v, mrm_stats_dim_scheme(dim), code,
				       lang(p)));
	}
}

static void withheld_td(struct report_part *p, const char *text, int num)
{
	put(p, "<td class=\"%s\">", num ? "num" : "");
	esc(p, text);
	put(p, "</td>");
}

static int run(struct report_part *p, const char *measure, const char *by,
	       struct mrm_stats_result **res, struct mrm_error *err)
{
	struct mrm_stats_query q = {0};

	q.measure = measure;
	q.by = by;
	q.from = p->o->from;
	q.to = p->o->to;
	q.public = p->o->public;
	q.k = p->k;
	return mrm_stats_run(p->st, &q, res, err);
}

static void csv_row(struct mrm_buf *b, const char *const *f, size_t n)
{
	if (b)
		mrm_csv_put_record(b, f, n);
}

static void section_open(struct report_part *p, int n, const char *part,
			 const char *title)
{
	if (part) {
		put(p, "<h2>");
		esc(p, T(p, part));
		put(p, "</h2>\n");
	}
	put(p, "<section class=\"sec\" id=\"s%d\">\n<h3>%d. ", n, n);
	esc(p, T(p, title));
	put(p, "</h3>\n");
}

static void th(struct report_part *p, const char *key, int num)
{
	put(p, "<th scope=\"col\"%s>", num ? " class=\"num\"" : "");
	esc(p, T(p, key));
	put(p, "</th>");
}

/* ---- wages owed ---- */

static void owed_row(struct report_part *p, const struct mrm_stats_result *r,
		     const struct mrm_stats_cell *c, const char *dim,
		     struct mrm_buf *csv)
{
	char value[64], count[64];
	const char *f[4];

	mrm_stats_value_text(r, c, value, sizeof(value));
	if (c->mark == MRM_STATS_SHOWN)
		snprintf(count, sizeof(count), "%lld", (long long)c->count);
	else
		snprintf(count, sizeof(count), "%s", value);
	put(p, "<tr><th scope=\"row\">");
	label(p, dim, c->key[0]);
	put(p, "</th><td>");
	esc(p, c->currency ? c->currency : "");
	put(p, "</td>");
	withheld_td(p, count, 1);
	withheld_td(p, value, 1);
	put(p, "</tr>\n");
	f[0] = c->key[0];
	f[1] = c->currency ? c->currency : "";
	f[2] = count;
	f[3] = value;
	csv_row(csv, f, 4);
}

static int section_owed(struct report_part *p, int n, const char *dim,
			struct mrm_error *err)
{
	struct mrm_stats_result *r = NULL;
	char title[32], slug[32];
	struct mrm_buf *csv;
	const char *head[] = {dim, "currency", "records", "owed"};
	size_t rows = 0;
	int rc;

	snprintf(title, sizeof(title), "s.owed.%s", dim);
	snprintf(slug, sizeof(slug), "wages-owed-by-%s", dim);
	if ((rc = run(p, "wages-owed", dim, &r, err)))
		return rc;
	section_open(p, n, n == 1 ? "part.wages" : NULL, title);
	csv = report_part_csv(p, slug);
	csv_row(csv, head, 4);
	put(p, "<table class=\"data\"><thead><tr>");
	th(p, !strcmp(dim, "corridor") ? "col.corridor" : "col.sector", 0);
	th(p, "col.currency", 0);
	th(p, "col.records", 1);
	th(p, "col.owed", 1);
	put(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->ncells; i++)
		if (mrm_stats_cell_is_full(r, &r->cells[i])) {
			owed_row(p, r, &r->cells[i], dim, csv);
			rows++;
		}
	put(p, "</tbody>\n<tfoot>\n");
	for (size_t i = 0; i < r->ncells; i++)
		if (!mrm_stats_cell_is_full(r, &r->cells[i]))
			owed_row(p, r, &r->cells[i], dim, csv);
	put(p, "</tfoot></table>\n");
	if (!rows) {
		put(p, "<p class=\"empty\">");
		esc(p, T(p, "empty"));
		put(p, "</p>\n");
	}
	put(p, "<p class=\"note-s\">");
	say(p, "note.owed", "date", p->day, NULL);
	put(p, "</p>\n</section>\n");
	mrm_stats_result_free(r);
	return 0;
}

/* ---- the figures used, and the costs compared with a cap ---- */

struct used {
	struct mrm_ref_figure f;
	long records;
};

struct corridor {
	char code[16];
	long compared, over;
};

struct walk {
	struct report_part *p;
	const struct mrm_ref *ref;
	long from, to;
	struct used used[FIGURES_MAX];
	size_t nused;
	struct corridor cor[CORRIDORS_MAX];
	size_t ncor;
};

static void use(struct walk *w, const struct mrm_ref_figure *f)
{
	size_t i;

	for (i = 0; i < w->nused; i++)
		if (w->used[i].f.table == f->table &&
		    !strcmp(w->used[i].f.key, f->key))
			break;
	if (i == w->nused) {
		if (w->nused == FIGURES_MAX)
			return;
		w->used[w->nused].f = *f;
		w->used[w->nused++].records = 0;
	}
	w->used[i].records++;
}

static struct corridor *corridor_of(struct walk *w, const char *code)
{
	for (size_t i = 0; i < w->ncor; i++)
		if (!strcmp(w->cor[i].code, code))
			return &w->cor[i];
	if (w->ncor == CORRIDORS_MAX)
		return NULL;
	memset(&w->cor[w->ncor], 0, sizeof(w->cor[0]));
	snprintf(w->cor[w->ncor].code, sizeof(w->cor[0].code), "%s", code);
	return &w->cor[w->ncor++];
}

/* The records the statistics count: a date within --from/--to. */
static int in_range(const struct walk *w, const char *date)
{
	long d;

	if (!w->from && !w->to)
		return 1;
	if (!*date || mrm_ref_date(date, 0, &d, NULL))
		return 0;
	return (!w->from || d >= w->from) && (!w->to || d <= w->to);
}

static int wage_seen(void *ctx, const struct mrm_wage_record *r)
{
	struct walk *w = ctx;
	struct mrm_wage_calc c;

	if (!in_range(w, r->period_start) ||
	    mrm_wage_compute(w->ref, r, &c, NULL) || !c.min_ok)
		return 0;
	use(w, &c.minimum);
	if (c.living_ok)
		use(w, &c.living);
	return 0;
}

static int cost_seen(void *ctx, const struct mrm_recruitment_cost *r)
{
	struct walk *w = ctx;
	struct mrm_burden b;
	struct corridor *cor;
	int rc;

	if (*r->date && !in_range(w, r->date))
		return 0;
	if ((rc = mrm_burden_compute(w->p->st, w->ref, r, &b, NULL)))
		return rc;
	if (b.ok && b.rate_used)
		use(w, &b.rate);
	if (!b.cap_ok || !(cor = corridor_of(w, b.corridor)))
		return 0;
	use(w, &b.cap);
	cor->compared++;
	cor->over += b.over_cap > 0;
	return 0;
}

/* A count made here, under disclosure control in the public edition. */
static void count_text(const struct report_part *p, long n, char *out,
		       size_t size)
{
	if (p->o->public && n > 0 && (unsigned long)n < p->k)
		snprintf(out, size, "<%u", p->k);
	else
		snprintf(out, size, "%ld", n);
}

/* ---- recruitment burden ---- */

static void cap_cells(struct report_part *p, const struct mrm_ref *ref,
		      const char *corridor, const char *on, const char **f)
{
	static char amount[64];
	char origin[16];
	const char *dest = strchr(corridor, '-');
	struct mrm_ref_figure cap;

	f[0] = f[1] = f[2] = "";
	snprintf(origin, sizeof(origin), "%.*s",
		 dest ? (int)(dest - corridor) : 0, corridor);
	if (!dest || mrm_ref_fee_cap(ref, strcmp(origin, "??") ? origin : NULL,
				     dest + 1, on, &cap, NULL)) {
		put(p, "<td>");
		esc(p, T(p, "none"));
		put(p, "</td><td></td>");
		return;
	}
	mrm_money_format(cap.amount, cap.currency, amount, sizeof(amount));
	put(p, "<td class=\"num\">");
	esc(p, amount);
	put(p, " ");
	esc(p, cap.currency);
	put(p, "</td><td>");
	esc(p, cap.source);
	put(p, " (");
	esc(p, T(p, "col.from"));
	put(p, " ");
	esc(p, cap.effective_from);
	put(p, ")%s", cap.estimate ? ", " : "");
	if (cap.estimate)
		esc(p, T(p, "estimate"));
	put(p, "</td>");
	f[0] = amount;
	f[1] = cap.currency;
	f[2] = cap.key;
}

static void burden_row(struct report_part *p, const struct walk *w,
		       const struct mrm_stats_result *r,
		       const struct mrm_stats_cell *c, const char *code,
		       const char *on, struct mrm_buf *csv)
{
	char cnt[32] = "", mean[32] = "", median[32] = "", cmp[32], over[32];
	const struct corridor *cor = NULL;
	const char *f[9];

	for (size_t i = 0; i < w->ncor; i++)
		if (!strcmp(w->cor[i].code, code))
			cor = &w->cor[i];
	if (c && c->mark != MRM_STATS_SHOWN) {
		mrm_stats_value_text(r, c, cnt, sizeof(cnt));
		snprintf(mean, sizeof(mean), "%s", cnt);
		snprintf(median, sizeof(median), "%s", cnt);
	} else if (c) {
		snprintf(cnt, sizeof(cnt), "%lld", (long long)c->count);
		snprintf(mean, sizeof(mean), "%.1f", c->mean);
		if (mrm_stats_quantiles_shown(r, c))
			snprintf(median, sizeof(median), "%.1f", c->median);
		else
			snprintf(median, sizeof(median), "-");
	} else {
		snprintf(cnt, sizeof(cnt), "0");
	}
	count_text(p, cor ? cor->compared : 0, cmp, sizeof(cmp));
	count_text(p, cor ? cor->over : 0, over, sizeof(over));
	if (cor && p->o->public && (unsigned long)cor->compared < p->k)
		snprintf(over, sizeof(over), "x");
	put(p, "<tr><th scope=\"row\">");
	label(p, "corridor", code);
	put(p, "</th>");
	withheld_td(p, cnt, 1);
	withheld_td(p, mean, 1);
	withheld_td(p, median, 1);
	cap_cells(p, w->ref, code, on, &f[4]);
	withheld_td(p, cmp, 1);
	withheld_td(p, over, 1);
	put(p, "</tr>\n");
	f[0] = code;
	f[1] = cnt;
	f[2] = mean;
	f[3] = median;
	f[7] = cmp;
	f[8] = over;
	csv_row(csv, f, 9);
}

static int section_burden(struct report_part *p, int n, const struct walk *w,
			  struct mrm_error *err)
{
	struct mrm_stats_result *r = NULL;
	const char *on = p->o->to ? p->o->to : p->day;
	const char *head[] = {
		"corridor", "costs",	    "mean",    "median",
		"cap",	    "cap_currency", "cap_key", "compared_with_cap",
		"over_cap"};
	struct mrm_buf *csv;
	int rc, rows = 0;

	if ((rc = run(p, "recruitment-burden", "corridor", &r, err)))
		return rc;
	section_open(p, n, "part.recruitment", "s.burden");
	csv = report_part_csv(p, "recruitment-burden-by-corridor");
	csv_row(csv, head, 9);
	put(p, "<table class=\"data\"><thead><tr>");
	th(p, "col.corridor", 0);
	th(p, "col.costs", 1);
	th(p, "col.mean", 1);
	th(p, "col.median", 1);
	th(p, "col.cap", 1);
	th(p, "col.source", 0);
	th(p, "col.compared", 1);
	th(p, "col.over", 1);
	put(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->ncells; i++)
		if (mrm_stats_cell_is_full(r, &r->cells[i])) {
			burden_row(p, w, r, &r->cells[i], r->cells[i].key[0],
				   on, csv);
			rows++;
		}
	/* corridors with costs compared with a cap but no burden */
	for (size_t k = 0; k < w->ncor; k++) {
		int seen = 0;

		for (size_t i = 0; i < r->ncells; i++)
			seen |= mrm_stats_cell_is_full(r, &r->cells[i]) &&
				!strcmp(r->cells[i].key[0], w->cor[k].code);
		if (!seen) {
			burden_row(p, w, r, NULL, w->cor[k].code, on, csv);
			rows++;
		}
	}
	put(p, "</tbody></table>\n");
	if (!rows) {
		put(p, "<p class=\"empty\">");
		esc(p, T(p, "empty"));
		put(p, "</p>\n");
	}
	put(p, "<p class=\"note-s\">");
	say(p, "note.burden", "date", on, NULL);
	put(p, "</p>\n</section>\n");
	mrm_stats_result_free(r);
	return 0;
}

/* ---- the reference figures used ---- */

static void section_figures(struct report_part *p, int n, const struct walk *w)
{
	const char *head[] = {"key",	      "table",	"amount",
			      "currency",     "unit",	"effective_from",
			      "effective_to", "source", "estimate",
			      "records"};
	struct mrm_buf *csv = report_part_csv(p, "reference-figures-used");
	char k[16];

	section_open(p, n, "part.reference", "s.figures");
	csv_row(csv, head, 10);
	put(p, "<table class=\"data\"><thead><tr>");
	th(p, "col.figure", 0);
	th(p, "col.table", 0);
	th(p, "col.amount", 1);
	th(p, "col.from", 0);
	th(p, "col.to", 0);
	th(p, "col.source", 0);
	th(p, "col.used", 1);
	put(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < w->nused; i++) {
		const struct mrm_ref_figure *f = &w->used[i].f;
		char amount[64], used[32];
		const char *row[10];

		if (p->o->public && (unsigned long)w->used[i].records < p->k)
			continue;
		mrm_money_format(f->amount, f->currency, amount,
				 sizeof(amount));
		snprintf(used, sizeof(used), "%ld", w->used[i].records);
		put(p, "<tr><th scope=\"row\">");
		esc(p, f->key);
		put(p, "</th><td>");
		esc(p, f->table->name);
		put(p, "</td><td class=\"num\">");
		esc(p, amount);
		put(p, " ");
		esc(p, f->currency);
		if (f->unit && *f->unit) {
			put(p, " / ");
			esc(p, f->unit);
		}
		if (f->quote && *f->quote) {
			char q[64];

			mrm_money_format(f->quote_amount, f->quote, q,
					 sizeof(q));
			put(p, " = ");
			esc(p, q);
			put(p, " ");
			esc(p, f->quote);
		}
		put(p, "</td><td>");
		esc(p, f->effective_from);
		put(p, "</td><td>");
		esc(p, f->effective_to ? f->effective_to : "");
		put(p, "</td><td>");
		esc(p, f->source);
		if (f->estimate) {
			put(p, " (");
			esc(p, T(p, "estimate"));
			put(p, ")");
		}
		put(p, "</td><td class=\"num\">%s</td></tr>\n", used);
		row[0] = f->key;
		row[1] = f->table->name;
		row[2] = amount;
		row[3] = f->currency;
		row[4] = f->unit ? f->unit : "";
		row[5] = f->effective_from;
		row[6] = f->effective_to ? f->effective_to : "";
		row[7] = f->source;
		row[8] = f->estimate ? "1" : "0";
		row[9] = used;
		csv_row(csv, row, 10);
	}
	put(p, "</tbody></table>\n<p class=\"note-s\">");
	say(p, "note.figures", NULL);
	if (p->o->public) {
		snprintf(k, sizeof(k), "%u", p->k);
		put(p, " ");
		say(p, "note.figures.public", "k", k, NULL);
	}
	put(p, "</p>\n</section>\n");
}

static int section_welfare(struct report_part *p, int n, struct mrm_error *err)
{
	struct mrm_welfare *wf = NULL;
	int rc = mrm_welfare_load(&wf, err);

	if (rc)
		return rc;
	section_open(p, n, "part.welfare", "s.welfare");
	rc = mrm_welfare_html_section(wf, mrm_report_langs[p->lang], p->html,
				      err);
	put(p, "</section>\n");
	free(wf);
	return rc;
}

static void toc(struct report_part *p)
{
	static const char *const titles[] = {"s.owed.corridor", "s.owed.sector",
					     "s.burden", "s.figures",
					     "s.welfare"};

	put(p, "<nav class=\"toc\">\n<h2>");
	esc(p, T(p, "contents"));
	put(p, "</h2>\n<ol>\n");
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		put(p, "<li><a href=\"#s%zu\">", i + 1);
		esc(p, T(p, titles[i]));
		put(p, "</a></li>\n");
	}
	put(p, "</ol>\n</nav>\n");
}

int report_labour_body(struct report_part *p, struct mrm_error *err)
{
	struct mrm_ref *ref = NULL;
	struct walk *w = calloc(1, sizeof(*w));
	int rc = w ? mrm_ref_load(&ref, err)
		   : mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");

	if (!rc) {
		w->p = p;
		w->ref = ref;
		if ((p->o->from &&
		     mrm_ref_date(p->o->from, 0, &w->from, err)) ||
		    (p->o->to && mrm_ref_date(p->o->to, 1, &w->to, err)))
			rc = MRM_ERR_INVALID;
	}
	if (!rc)
		rc = mrm_wages_each(p->st, 0, 0, wage_seen, w, err);
	if (!rc)
		rc = mrm_recruitment_each(p->st, 0, 0, cost_seen, w, err);
	if (!rc) {
		toc(p);
		rc = section_owed(p, 1, "corridor", err);
	}
	if (!rc)
		rc = section_owed(p, 2, "sector", err);
	if (!rc)
		rc = section_burden(p, 3, w, err);
	if (!rc)
		section_figures(p, 4, w);
	if (!rc)
		rc = section_welfare(p, 5, err);
	if (!rc && p->rc)
		rc = mrm_error_set(err, p->rc, NULL,
				   "out of memory building the report");
	mrm_ref_free(ref);
	free(w);
	return rc;
}
