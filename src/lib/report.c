/*
 * report.c - see include/mrm/report.h
 *
 * A template is a static table of sections; a section is one statistics
 * query, shown as a table and (for most) a chart. Everything the report
 * says in words comes from the message table below, in English, Thai and
 * Burmese; everything else is a figure, a code or a vocabulary label.
 *
 * The report is built whole in memory, after every query has run, and only
 * then written out.
 */
#include "mrm/report.h"

#include "report_internal.h"

#include "mrm/buf.h"
#include "mrm/csv.h"
#include "mrm/stats.h"
#include "mrm/store.h"
#include "mrm/svg.h"
#include "mrm/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REPORT_MAX    ((size_t)64 << 20) /* the HTML */
#define TABLE_CSV_MAX ((size_t)16 << 20) /* one table as CSV */
#define TEXT_MAX      4096		 /* one message, filled in */
#define SECTIONS_MAX  16
#define GAP_FILL_MAX  1200 /* periods a time axis is filled out to */

const char *const mrm_report_langs[] = {"en", "th", "my", NULL};

/* ---- the report's own words ---- */

static const struct report_msg msgs[] = {
	{"title.add-monitoring",
	 {"Arrest, detention, deportation and return of migrant workers",
	  "การจับกุม การกักขัง การเนรเทศ และการส่งกลับแรงงานข้ามชาติ",
	  "ရွှေ့ပြောင်းအလုပ်သမားများ ဖမ်းဆီးခံရခြင်း၊ ထိန်းသိမ်းခံရခြင်း၊ "
	  "နိုင်ငံပြန်ပို့ခံရခြင်းနှင့် ပြန်လည်လက်ခံခြင်း"}},
	{"title.deaths-and-missing",
	 {"Migrants dead and missing", "ผู้ย้ายถิ่นที่เสียชีวิตและสูญหาย",
	  "သေဆုံးသူနှင့် ပျောက်ဆုံးသူ ရွှေ့ပြောင်းသွားလာသူများ"}},
	{"intro.add-monitoring",
	 {"Figures count people, not records: the arrest of a group of 120 "
	  "people counts 120. They cover what the network's member "
	  "organisations documented; they are not an estimate of "
	  "everything that happened.",
	  "ตัวเลขในรายงานนี้นับจำนวนคน ไม่ใช่จำนวนรายการ "
	  "การจับกุมคนกลุ่มหนึ่ง 120 คนนับเป็น 120 คน "
	  "ตัวเลขครอบคลุมเฉพาะสิ่งที่องค์กรสมาชิกของเครือข่ายได้บันทึกไว้ "
	  "ไม่ใช่การประมาณการเหตุการณ์ทั้งหมดที่เกิดขึ้น",
	  "ဤကိန်းဂဏန်းများသည် မှတ်တမ်းအရေအတွက်ကို မဟုတ်ဘဲ လူဦးရေကို "
	  "ရေတွက်ထားခြင်း ဖြစ်သည်။ လူ ၁၂၀ ပါဝင်သော အုပ်စုတစ်စု "
	  "ဖမ်းဆီးခံရလျှင် ၁၂၀ ဟု ရေတွက်သည်။ ကွန်ရက်အဖွဲ့ဝင် "
	  "အဖွဲ့အစည်းများ မှတ်တမ်းတင်ထားသည်များကိုသာ ဖော်ပြထားခြင်းဖြစ်ပြီး "
	  "ဖြစ်ပွားခဲ့သမျှ အားလုံး၏ ခန့်မှန်းချက် မဟုတ်ပါ။"}},
	{"intro.deaths-and-missing",
	 {"Figures count people: the dead and the missing recorded for each "
	  "incident.",
	  "ตัวเลขนับจำนวนคน "
	  "คือผู้เสียชีวิตและผู้สูญหายที่บันทึกไว้ในแต่ละเหตุการณ์",
	  "ကိန်းဂဏန်းများသည် ဖြစ်ရပ်တစ်ခုစီတွင် မှတ်တမ်းတင်ထားသော "
	  "သေဆုံးသူနှင့် ပျောက်ဆုံးသူ လူဦးရေကို ရေတွက်ထားခြင်း ဖြစ်သည်။"}},
	{"edition.public",
	 {"Public edition", "ฉบับเผยแพร่สาธารณะ", "အများပြည်သူအတွက် ထုတ်ပြန်သည့်မူ"}},
	{"edition.internal",
	 {"Internal edition: not for publication", "ฉบับใช้ภายใน: ห้ามเผยแพร่",
	  "အတွင်းရေးသုံးမူ - ထုတ်ပြန်ရန် မဟုတ်ပါ"}},
	{"note.internal",
	 {"No disclosure control was applied: small figures are shown as "
	  "they are and could help identify someone. Make a public edition "
	  "(--public) of anything that leaves the organisation.",
	  "รายงานฉบับนี้ไม่ได้ผ่านการควบคุมการเปิดเผยข้อมูล "
	  "ตัวเลขที่มีค่าน้อยแสดงตามจริงและอาจช่วยให้ระบุตัวบุคคลได้ "
	  "หากจะเผยแพร่ออกนอกองค์กร ให้จัดทำฉบับเผยแพร่สาธารณะ (--public)",
	  "ထုတ်ဖော်မှု ထိန်းချုပ်ခြင်း မပြုလုပ်ထားပါ။ "
	  "ကိန်းဂဏန်းငယ်များကို မူရင်းအတိုင်း ပြသထားသဖြင့် "
	  "လူတစ်ဦးချင်းကို ဖော်ထုတ်သိရှိနိုင်ပါသည်။ "
	  "အဖွဲ့အစည်းပြင်ပသို့ ပေးပို့မည်ဆိုပါက "
	  "အများပြည်သူအတွက် မူ (--public) ကို ထုတ်ယူပါ။"}},
	{"note.public",
	 {"Disclosure control: so that no one can be identified, a figure "
	  "that describes fewer than {k} people is shown as \"<{k}\", and a "
	  "figure shown as \"x\" is withheld so that such a figure cannot "
	  "be worked out from the totals. In the charts both are hatched "
	  "and carry the same mark instead of a number.",
	  "การควบคุมการเปิดเผยข้อมูล: เพื่อไม่ให้สามารถระบุตัวบุคคลได้ "
	  "ตัวเลขที่หมายถึงคนน้อยกว่า {k} คนจะแสดงเป็น \"<{k}\" "
	  "และตัวเลขที่แสดงเป็น \"x\" "
	  "ถูกปกปิดไว้เพื่อไม่ให้คำนวณย้อนกลับจากยอดรวมได้ "
	  "ในแผนภูมิ "
	  "ทั้งสองกรณีแสดงเป็นลายเส้นทแยงพร้อมเครื่องหมายเดียวกันแทนตัวเลข",
	  "ထုတ်ဖော်မှု ထိန်းချုပ်ခြင်း - မည်သူ့ကိုမျှ ဖော်ထုတ်သိရှိနိုင်ခြင်း "
	  "မရှိစေရန် လူ {k} ဦးထက် နည်းသော ကိန်းဂဏန်းကို \"<{k}\" ဟု "
	  "ပြသထားပြီး \"x\" ဟု ပြသထားသော ကိန်းဂဏန်းကို စုစုပေါင်းများမှ "
	  "ပြန်လည်တွက်ချက်၍ မရစေရန် ချန်လှပ်ထားပါသည်။ ဂရပ်များတွင် "
	  "၎င်းတို့ကို ကိန်းဂဏန်းအစား မျဉ်းစောင်းခြစ်ကွက်ဖြင့် "
	  "အမှတ်အသား တူညီစွာ ပြသထားပါသည်။"}},
	{"period", {"Period", "ช่วงเวลา", "ကာလ"}},
	{"period.all",
	 {"all dates recorded", "ทุกช่วงเวลาที่มีการบันทึก",
	  "မှတ်တမ်းတင်ထားသော ကာလအားလုံး"}},
	{"period.range",
	 {"{from} to {to}", "{from} ถึง {to}", "{from} မှ {to} အထိ"}},
	{"period.from", {"from {from}", "ตั้งแต่ {from}", "{from} မှစ၍"}},
	{"period.to", {"up to {to}", "จนถึง {to}", "{to} အထိ"}},
	{"generated", {"Generated", "จัดทำเมื่อ", "ထုတ်ယူသည့်အချိန်"}},
	{"source", {"Data source", "แหล่งข้อมูล", "အချက်အလက် ရင်းမြစ်"}},
	{"credit.orgs",
	 {"documentation by the network's member organisations ({orgs})",
	  "ข้อมูลที่บันทึกโดยองค์กรสมาชิกของเครือข่าย ({orgs})",
	  "ကွန်ရက်အဖွဲ့ဝင် အဖွဲ့အစည်းများ ({orgs}) ၏ မှတ်တမ်းများ"}},
	{"credit.none", {"none", "ไม่มี", "မရှိ"}},
	{"contents", {"Contents", "สารบัญ", "မာတိကာ"}},
	{"method",
	 {"Sources and method", "แหล่งข้อมูลและวิธีการ", "ရင်းမြစ်နှင့် နည်းလမ်း"}},
	{"made-with",
	 {"Made with Migrant Rights Monitor (mrm). Only counts, codes and "
	  "vocabulary labels appear in this report: no names, no narratives, "
	  "no free text from the records.",
	  "จัดทำด้วยโปรแกรม Migrant Rights Monitor (mrm) "
	  "รายงานนี้มีเพียงตัวเลข รหัส และคำศัพท์มาตรฐานเท่านั้น "
	  "ไม่มีชื่อบุคคล ไม่มีคำบรรยายเหตุการณ์ "
	  "และไม่มีข้อความอิสระจากบันทึก",
	  "Migrant Rights Monitor (mrm) ဖြင့် ပြုစုထားသည်။ "
	  "ဤအစီရင်ခံစာတွင် ကိန်းဂဏန်းများ၊ ကုဒ်များနှင့် "
	  "စံသတ်မှတ်ထားသော ဝေါဟာရများသာ ပါဝင်ပြီး အမည်များ၊ "
	  "ဖြစ်ရပ်အကြောင်း ရေးသားချက်များနှင့် မှတ်တမ်းများမှ "
	  "စာသားများ မပါဝင်ပါ။"}},
	{"total", {"Total", "รวม", "စုစုပေါင်း"}},
	{"unknown", {"Not recorded", "ไม่ได้บันทึก", "မှတ်တမ်းမရှိ"}},
	{"month.unknown",
	 {"{year}, month not recorded", "{year} (ไม่ได้บันทึกเดือน)",
	  "{year} (လ မှတ်တမ်းမရှိ)"}},
	{"empty",
	 {"No records for this period.", "ไม่มีข้อมูลในช่วงเวลานี้",
	  "ဤကာလအတွက် မှတ်တမ်း မရှိပါ။"}},
	{"note.undated",
	 {"Figures without a known date, or month, are in the table but not "
	  "in the chart.",
	  "ตัวเลขที่ไม่ทราบวันที่หรือเดือนปรากฏในตาราง "
	  "แต่ไม่ปรากฏในแผนภูมิ",
	  "ရက်စွဲ သို့မဟုတ် လ မသိရှိသော ကိန်းဂဏန်းများကို ဇယားတွင် "
	  "ဖော်ပြထားသော်လည်း ဂရပ်တွင် မပါဝင်ပါ။"}},
	{"legend.withheld",
	 {"withheld (<{k} or x)", "ปกปิด (<{k} หรือ x)",
	  "ချန်လှပ်ထားသည် (<{k} သို့မဟုတ် x)"}},
	{"chart.bars", {"Bar chart", "แผนภูมิแท่ง", "ဘားဂရပ်"}},
	{"chart.stacked",
	 {"Stacked bar chart", "แผนภูมิแท่งแบบซ้อน", "အထပ်လိုက် ဘားဂရပ်"}},
	{"chart.line", {"Line chart", "แผนภูมิเส้น", "မျဉ်းဂရပ်"}},
	{"chart.desc",
	 {"{kind}: {title}. Every figure is in the table below.",
	  "{kind}: {title} ตัวเลขทั้งหมดอยู่ในตารางด้านล่าง",
	  "{kind} - {title}။ ကိန်းဂဏန်းအားလုံးကို အောက်ပါဇယားတွင် "
	  "ဖော်ပြထားသည်။"}},
	{"measure.persons", {"Persons", "จำนวนคน", "လူဦးရေ"}},
	{"days.count", {"Detentions", "จำนวนครั้งที่ถูกกักขัง", "ထိန်းသိမ်းခံရမှု အကြိမ်ရေ"}},
	{"days.mean", {"Mean (days)", "ค่าเฉลี่ย (วัน)", "ပျမ်းမျှ (ရက်)"}},
	{"days.median", {"Median (days)", "ค่ามัธยฐาน (วัน)", "အလယ်ကိန်း (ရက်)"}},
	{"days.p90",
	 {"90th percentile (days)", "เปอร์เซ็นไทล์ที่ 90 (วัน)",
	  "၉၀ ရာခိုင်နှုန်းမြောက် တန်ဖိုး (ရက်)"}},
	{"note.days",
	 {"Days from the first to the last day of detention, both counted, "
	  "for detentions whose start (and end, if it is over) is known to "
	  "the day; a detention still going on is counted up to today. A "
	  "detention counts once however many people it held.",
	  "จำนวนวันนับตั้งแต่วันแรกถึงวันสุดท้ายของการกักขัง "
	  "โดยนับทั้งสองวัน "
	  "เฉพาะการกักขังที่ทราบวันเริ่มต้น (และวันสิ้นสุด หากสิ้นสุดแล้ว) "
	  "ถึงระดับวัน การกักขังที่ยังไม่สิ้นสุดนับถึงวันนี้ "
	  "การกักขังแต่ละครั้งนับเป็นหนึ่งครั้ง "
	  "ไม่ว่าจะมีผู้ถูกกักขังกี่คน",
	  "ထိန်းသိမ်းခံရသည့် ပထမနေ့မှ နောက်ဆုံးနေ့အထိ (နှစ်ရက်စလုံး "
	  "အပါအဝင်) ရက်အရေအတွက် ဖြစ်သည်။ စတင်သည့်ရက် (ပြီးဆုံးပါက "
	  "ပြီးဆုံးသည့်ရက်) ကို ရက်အထိ သိရှိသော ထိန်းသိမ်းမှုများကိုသာ "
	  "ထည့်သွင်းထားသည်။ ယခုထိ ထိန်းသိမ်းခံနေရဆဲ ဖြစ်ပါက ယနေ့အထိ "
	  "ရေတွက်သည်။ ထိန်းသိမ်းမှုတစ်ခုတွင် လူမည်မျှ ပါဝင်စေကာမူ "
	  "တစ်ကြိမ်အဖြစ်သာ ရေတွက်သည်။"}},
	{"note.perp",
	 {"Each arrest is counted under the first type of perpetrator "
	  "recorded for it.",
	  "การจับกุมแต่ละครั้งนับตามประเภทผู้กระทำประเภทแรกที่บันทึกไว้",
	  "ဖမ်းဆီးမှုတစ်ခုစီကို ၎င်းအတွက် ပထမဆုံး မှတ်တမ်းတင်ထားသော "
	  "ကျူးလွန်သူ အမျိုးအစားအောက်တွင် ရေတွက်သည်။"}},
	{"note.iom",
	 {"The Missing Migrants Project's method excludes deaths in "
	  "detention, during deportation and after return: these figures "
	  "do not include them.",
	  "วิธีการเก็บข้อมูลของโครงการ Missing Migrants "
	  "ไม่นับรวมการเสียชีวิตระหว่างถูกกักขัง ระหว่างการเนรเทศ "
	  "และหลังการส่งกลับ ตัวเลขเหล่านี้จึงไม่รวมกรณีดังกล่าว",
	  "Missing Migrants Project ၏ နည်းလမ်းတွင် ထိန်းသိမ်းခံထားရစဉ်၊ "
	  "နိုင်ငံပြန်ပို့ခံရစဉ်နှင့် ပြန်ရောက်ပြီးနောက် "
	  "သေဆုံးမှုများကို ထည့်သွင်းမထားပါ။ ထို့ကြောင့် "
	  "ဤကိန်းဂဏန်းများတွင် ၎င်းတို့ မပါဝင်ပါ။"}},
	{"dim.year", {"Year", "ปี", "ခုနှစ်"}},
	{"dim.month", {"Month", "เดือน", "လ"}},
	{"dim.nationality", {"Nationality", "สัญชาติ", "နိုင်ငံသား"}},
	{"dim.checkpoint", {"Border checkpoint", "จุดผ่านแดน", "နယ်စပ်ဂိတ်"}},
	{"dim.perpetrator_type",
	 {"Type of perpetrator", "ประเภทผู้กระทำ", "ကျူးလွန်သူ အမျိုးအစား"}},
	{"dim.act_type", {"Act", "ประเภทเหตุการณ์", "ဖြစ်ရပ် အမျိုးအစား"}},
	{"dim.org", {"Organisation", "องค์กร", "အဖွဲ့အစည်း"}},
	{"part.arrest", {"Arrest", "การจับกุม", "ဖမ်းဆီးခြင်း"}},
	{"part.detention", {"Detention", "การกักขัง", "ထိန်းသိမ်းခြင်း"}},
	{"part.deportation", {"Deportation", "การเนรเทศ", "နိုင်ငံပြန်ပို့ခြင်း"}},
	{"part.return", {"Return and reception", "การรับตัวกลับ", "ပြန်လည်လက်ခံခြင်း"}},
	{"part.sea", {"Southeast Asia", "เอเชียตะวันออกเฉียงใต้", "အရှေ့တောင်အာရှ"}},
	{"part.world", {"All regions", "ทุกภูมิภาค", "ဒေသအားလုံး"}},
	{"s.arrests_year",
	 {"Persons arrested, by year", "จำนวนผู้ถูกจับกุม จำแนกตามปี",
	  "ဖမ်းဆီးခံရသူ ဦးရေ (ခုနှစ်အလိုက်)"}},
	{"s.arrest_perp",
	 {"Persons arrested, by type of perpetrator",
	  "จำนวนผู้ถูกจับกุม จำแนกตามประเภทผู้กระทำ",
	  "ဖမ်းဆီးခံရသူ ဦးရေ (ကျူးလွန်သူ အမျိုးအစားအလိုက်)"}},
	{"s.detained_nat",
	 {"Persons detained, by nationality", "จำนวนผู้ถูกกักขัง จำแนกตามสัญชาติ",
	  "ထိန်းသိမ်းခံရသူ ဦးရေ (နိုင်ငံသားအလိုက်)"}},
	{"s.days_nat",
	 {"Length of detention, by nationality",
	  "ระยะเวลาการกักขัง จำแนกตามสัญชาติ", "ထိန်းသိမ်းခံရသည့် ကြာချိန် (နိုင်ငံသားအလိုက်)"}},
	{"s.deported_cp",
	 {"Persons deported, by border checkpoint",
	  "จำนวนผู้ถูกเนรเทศ จำแนกตามจุดผ่านแดน", "နိုင်ငံပြန်ပို့ခံရသူ ဦးရေ (နယ်စပ်ဂိတ်အလိုက်)"}},
	{"s.deported_month",
	 {"Persons deported, by month and nationality",
	  "จำนวนผู้ถูกเนรเทศ จำแนกตามเดือนและสัญชาติ",
	  "နိုင်ငံပြန်ပို့ခံရသူ ဦးရေ (လနှင့် နိုင်ငံသားအလိုက်)"}},
	{"s.returns_nat",
	 {"Persons received on return, by nationality",
	  "จำนวนผู้ที่ได้รับการรับตัวกลับ จำแนกตามสัญชาติ",
	  "ပြန်လည်လက်ခံခဲ့သူ ဦးရေ (နိုင်ငံသားအလိုက်)"}},
	{"s.sea_year",
	 {"Dead and missing in Southeast Asia, by year",
	  "ผู้เสียชีวิตและผู้สูญหายในเอเชียตะวันออกเฉียงใต้ จำแนกตามปี",
	  "အရှေ့တောင်အာရှတွင် သေဆုံးသူနှင့် ပျောက်ဆုံးသူ "
	  "(ခုနှစ်အလိုက်)"}},
	{"s.all_year",
	 {"Dead and missing in all regions, by year",
	  "ผู้เสียชีวิตและผู้สูญหายในทุกภูมิภาค จำแนกตามปี",
	  "ဒေသအားလုံးတွင် သေဆုံးသူနှင့် ပျောက်ဆုံးသူ (ခုနှစ်အလိုက်)"}},
	{"title.labour-rights",
	 {"Labour rights: wages owed, recruitment costs and social security",
	  "สิทธิแรงงาน: ค่าจ้างค้างจ่าย ค่าใช้จ่ายในการจัดหางาน และการประกันสังคม",
	  "အလုပ်သမားအခွင့်အရေး — ပေးရန်ကျန်ရှိသော လုပ်ခလစာ၊ "
	  "အလုပ်ရှာဖွေခန့်ထားရေး ကုန်ကျစရိတ်နှင့် လူမှုဖူလုံရေး"}},
	{"intro.labour-rights",
	 {"What the migrant workers documented by the network's member "
	  "organisations were owed against the legal minimum wage, what they "
	  "paid to be recruited, and what social security covers them. Every "
	  "reference figure is shown with its source and the dates it is in "
	  "force.",
	  "ค่าจ้างที่แรงงานข้ามชาติซึ่งองค์กรสมาชิกของเครือข่ายบันทึกไว้ยังไม่ได้รับ"
	  "เมื่อเทียบกับค่าจ้างขั้นต่ำตามกฎหมาย ค่าใช้จ่ายที่พวกเขาจ่ายเพื่อให้ได้งาน "
	  "และความคุ้มครองทางประกันสังคมที่มีสำหรับพวกเขา ตัวเลขอ้างอิงทุกตัวแสดง"
	  "พร้อมแหล่งที่มาและวันที่มีผลบังคับใช้",
	  "ကွန်ရက်အဖွဲ့ဝင် အဖွဲ့အစည်းများ မှတ်တမ်းတင်ထားသော "
	  "ရွှေ့ပြောင်းအလုပ်သမားများ ဥပဒေအရ အနည်းဆုံးလုပ်ခနှင့် "
	  "နှိုင်းယှဉ်လျှင် မရရှိသေးသော လုပ်ခလစာ၊ အလုပ်ရရန် ပေးခဲ့ရသော "
	  "ကုန်ကျစရိတ်နှင့် ၎င်းတို့ရရှိနိုင်သော လူမှုဖူလုံရေး "
	  "အကာအကွယ်။ ကိုးကားချက် ကိန်းဂဏန်းတိုင်းကို ရင်းမြစ်နှင့် "
	  "အသက်ဝင်သည့်နေ့စွဲများနှင့်အတူ ဖော်ပြထားသည်။"}},
	{"note.labour",
	 {"Wages owed and recruitment costs are worked out as docs/wages.md "
	  "describes, from the wage records and recruitment costs the member "
	  "organisations documented: they are not an estimate of all that "
	  "migrant workers are owed.",
	  "ค่าจ้างค้างจ่ายและค่าใช้จ่ายในการจัดหางานคำนวณตามวิธีใน "
	  "docs/wages.md จากบันทึกที่องค์กรสมาชิกจัดทำ "
	  "ไม่ใช่การประมาณการของค่าจ้างค้างจ่ายทั้งหมดของแรงงานข้ามชาติ",
	  "ပေးရန်ကျန်ရှိသော လုပ်ခလစာနှင့် အလုပ်ရှာဖွေခန့်ထားရေး "
	  "ကုန်ကျစရိတ်များကို docs/wages.md ပါ နည်းလမ်းအတိုင်း "
	  "အဖွဲ့ဝင်အဖွဲ့အစည်းများ မှတ်တမ်းတင်ထားသော မှတ်တမ်းများမှ "
	  "တွက်ချက်ထားသည်။ ရွှေ့ပြောင်းအလုပ်သမားအားလုံး ရရန်ရှိသော "
	  "ပမာဏ၏ ခန့်မှန်းချက် မဟုတ်ပါ။"}},
};

/* ---- templates ---- */

enum chart { CH_TABLE, CH_BARS, CH_STACKED, CH_LINE };

struct section {
	const char *part;  /* message key of a part heading starting here */
	const char *title; /* message key */
	const char *slug;  /* CSV file name */
	const char *measure, *by;
	const char *where[3];
	enum chart chart;
	const char *note; /* message key, or NULL */
};

struct tmpl {
	const char *name;
	const char *credit; /* fixed credit, or NULL: the organisations */
	const char *notes[2];
	const struct section *sections;
	size_t nsections;
	/* A part of its own (report_internal.h), after the sections: its body,
	 * or with `page` set the whole page, which report.c writes as it is. */
	int (*part)(struct report_part *p, struct mrm_error *err);
	int page;
};

static const struct section add_monitoring[] = {
	{.part = "part.arrest",
	 .title = "s.arrests_year",
	 .slug = "arrests-by-year",
	 .measure = "persons",
	 .by = "year",
	 .where = {"act_type=arrest"},
	 .chart = CH_LINE},
	{.title = "s.arrest_perp",
	 .slug = "arrests-by-perpetrator-type",
	 .measure = "persons",
	 .by = "perpetrator_type",
	 .where = {"act_type=arrest"},
	 .chart = CH_BARS,
	 .note = "note.perp"},
	{.part = "part.detention",
	 .title = "s.detained_nat",
	 .slug = "detained-by-nationality",
	 .measure = "persons",
	 .by = "nationality",
	 .where = {"act_type=detention"},
	 .chart = CH_BARS},
	{.title = "s.days_nat",
	 .slug = "detention-days-by-nationality",
	 .measure = "detention-days",
	 .by = "nationality",
	 .chart = CH_TABLE,
	 .note = "note.days"},
	{.part = "part.deportation",
	 .title = "s.deported_cp",
	 .slug = "deportations-by-checkpoint",
	 .measure = "persons",
	 .by = "checkpoint",
	 .where = {"act_type=deportation"},
	 .chart = CH_BARS},
	{.title = "s.deported_month",
	 .slug = "deportations-by-month-nationality",
	 .measure = "persons",
	 .by = "month,nationality",
	 .where = {"act_type=deportation"},
	 .chart = CH_STACKED},
	{.part = "part.return",
	 .title = "s.returns_nat",
	 .slug = "returns-by-nationality",
	 .measure = "persons",
	 .by = "nationality",
	 .where = {"act_type=return_reception"},
	 .chart = CH_BARS},
};

/* The IOM Missing Migrants import: its regions are an attribute, usable as
 * a filter (disclosure control keeps free-text attributes out of
 * breakdowns). */
static const struct section deaths_and_missing[] = {
	{.part = "part.sea",
	 .title = "s.sea_year",
	 .slug = "southeast-asia-by-year",
	 .measure = "persons",
	 .by = "year,act_type",
	 .where = {"act_type=death,missing", "attr.region=Southeast Asia"},
	 .chart = CH_STACKED},
	{.part = "part.world",
	 .title = "s.all_year",
	 .slug = "all-regions-by-year",
	 .measure = "persons",
	 .by = "year,act_type",
	 .where = {"act_type=death,missing"},
	 .chart = CH_STACKED},
};

#define NSECT(a) (sizeof(a) / sizeof((a)[0]))

static const struct tmpl templates[] = {
	{.name = "add-monitoring",
	 .sections = add_monitoring,
	 .nsections = NSECT(add_monitoring)},
	{.name = "deaths-and-missing",
	 .credit = "IOM Missing Migrants Project, missingmigrants.iom.int, CC "
		   "BY 4.0",
	 .notes = {"note.iom"},
	 .sections = deaths_and_missing,
	 .nsections = NSECT(deaths_and_missing)},
	/* a body: report.c writes the page around it */
	{.name = "labour-rights",
	 .notes = {"note.labour"},
	 .part = report_labour_body},
	/* the whole page: the one of mrm policy impact --format html */
	{.name = "policy-impact", .part = report_policy_page, .page = 1},
};

const char *const mrm_report_templates[] = {
	"add-monitoring", "deaths-and-missing", "labour-rights",
	"policy-impact", NULL};

/* ---- the writer ---- */

struct rep {
	struct mrm_store *st;
	const struct mrm_vocab *vocab;
	const struct mrm_report_opts *o;
	const struct tmpl *t;
	int lang;
	unsigned k;
	char kbuf[16];
	struct mrm_buf *b;
	int rc; /* the first failure to write */
	size_t ncharts;
};

static void put(struct rep *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct rep *r, const char *fmt, ...)
{
	va_list ap;

	if (r->rc)
		return;
	va_start(ap, fmt);
	r->rc = mrm_buf_vaddf(r->b, fmt, ap);
	va_end(ap);
}

static void esc(struct rep *r, const char *s)
{
	if (!r->rc)
		r->rc = mrm_svg_escape(r->b, s);
}

const char *report_word(const struct report_msg *tab, size_t n, int lang,
			const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tab[i].key, key))
			return tab[i].text[lang];
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (!strcmp(msgs[i].key, key))
			return msgs[i].text[lang];
	return key;
}

static const char *msg(const struct rep *r, const char *key)
{
	return report_word(NULL, 0, r->lang, key);
}

int report_vfill(const char *p, struct mrm_buf *out, va_list ap)
{
	int rc = 0;

	mrm_buf_reset(out);
	while (!rc && *p) {
		const char *open = strchr(p, '{'), *close, *value = NULL;
		va_list aq;

		if (!open || !(close = strchr(open, '}'))) {
			rc = mrm_buf_adds(out, p);
			break;
		}
		rc = mrm_buf_add(out, p, (size_t)(open - p));
		va_copy(aq, ap);
		for (const char *name;
		     !value && (name = va_arg(aq, const char *));) {
			const char *v = va_arg(aq, const char *);

			if (strlen(name) == (size_t)(close - open - 1) &&
			    !strncmp(name, open + 1, strlen(name)))
				value = v ? v : "";
		}
		va_end(aq);
		if (!rc)
			rc = value ? mrm_buf_adds(out, value)
				   : mrm_buf_add(out, open,
						 (size_t)(close - open + 1));
		p = close + 1;
	}
	if (!rc && !out->ptr)
		rc = mrm_buf_adds(out, "");
	return rc;
}

int report_vsay(const char *text, struct mrm_buf *html, va_list ap)
{
	struct mrm_buf filled = MRM_BUF_INIT(TEXT_MAX);
	int rc = report_vfill(text, &filled, ap);

	if (!rc)
		rc = mrm_svg_escape(html, filled.ptr);
	mrm_buf_release(&filled);
	return rc;
}

/*
 * Message `key` with its {name} placeholders filled from the NULL-ended
 * (name, value) pairs in `ap`, as plain text into `out` (reset first).
 */
static int vfill(const struct rep *r, struct mrm_buf *out, const char *key,
		 va_list ap)
{
	return report_vfill(msg(r, key), out, ap);
}

/* Into `out`: message `key` filled in (pairs of name, value, then NULL). */
static int fill(const struct rep *r, struct mrm_buf *out, const char *key, ...)
{
	va_list ap;
	int rc;

	va_start(ap, key);
	rc = vfill(r, out, key, ap);
	va_end(ap);
	return rc;
}

/* Write message `key`, filled in and escaped. */
static void say(struct rep *r, const char *key, ...)
{
	va_list ap;

	if (r->rc)
		return;
	va_start(ap, key);
	r->rc = report_vsay(msg(r, key), r->b, ap);
	va_end(ap);
}

/* ---- labels ---- */

static const char *dim_label(const struct rep *r, const char *dim)
{
	char key[96];
	const char *m;

	snprintf(key, sizeof(key), "dim.%s", dim);
	m = msg(r, key);
	return m == key ? dim : m;
}

/* What a reader sees for `code` of `dim` (malloc'd; NULL: no memory). */
static char *value_label(const struct rep *r, const char *dim, const char *code)
{
	const char *scheme = mrm_stats_dim_scheme(dim);
	size_t n = strlen(code);

	if (!strcmp(code, MRM_STATS_ALL))
		return strdup(msg(r, "total"));
	if (!*code || !strcmp(code, "unknown"))
		return strdup(msg(r, "unknown"));
	if (!strcmp(dim, "month") && n == 12 && !strcmp(code + 4, "-unknown")) {
		struct mrm_buf b = MRM_BUF_INIT(TEXT_MAX);
		char year[5];

		memcpy(year, code, 4);
		year[4] = '\0';
		if (fill(r, &b, "month.unknown", "year", year, NULL)) {
			mrm_buf_release(&b);
			return NULL;
		}
		return mrm_buf_detach(&b);
	}
	if (scheme)
		return strdup(mrm_vocab_label(r->vocab, scheme, code,
					      mrm_report_langs[r->lang]));
	return strdup(code);
}

/* ---- a result laid out as a grid ---- */

/* The values of one dimension, in the order they are shown. */
struct axis {
	char **code;
	const struct mrm_stats_cell **tot; /* the cell summing this value */
	size_t n, cap;
};

struct grid {
	const struct mrm_stats_result *res;
	struct axis rows, cols; /* cols: one "*" for a single dimension */
	const struct mrm_stats_cell **cell; /* [row * cols.n + col] */
	const struct mrm_stats_cell *total;
	char **rowl, **coll; /* labels */
};

static void axis_release(struct axis *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->code[i]);
	free(a->code);
	free(a->tot);
	memset(a, 0, sizeof(*a));
}

static size_t axis_find(const struct axis *a, const char *code)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->code[i], code))
			return i;
	return (size_t)-1;
}

static int axis_add(struct axis *a, const char *code)
{
	if (axis_find(a, code) != (size_t)-1)
		return 0;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char **c = realloc(a->code, cap * sizeof(*c));
		const struct mrm_stats_cell **t =
			c ? realloc(a->tot, cap * sizeof(*t)) : NULL;

		if (c)
			a->code = c;
		if (!t)
			return MRM_ERR_NOMEM;
		a->tot = t;
		a->cap = cap;
	}
	if (!(a->code[a->n] = strdup(code)))
		return MRM_ERR_NOMEM;
	a->tot[a->n++] = NULL;
	return 0;
}

static int is_time(const char *dim)
{
	return !strcmp(dim, "year") || !strcmp(dim, "month");
}

/* The position of a period on its axis (years, or months since year 0);
 * 0 when `code` is not a plain period ("unknown", "2019-unknown"). */
static int period_of(const char *dim, const char *code, long *at)
{
	int y, m, n = 0;

	if (!strcmp(dim, "year") && strlen(code) == 4 &&
	    sscanf(code, "%4d%n", &y, &n) == 1 && n == 4) {
		*at = y;
		return 1;
	}
	if (!strcmp(dim, "month") && strlen(code) == 7 &&
	    sscanf(code, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && m >= 1 &&
	    m <= 12) {
		*at = (long)y * 12 + m - 1;
		return 1;
	}
	return 0;
}

/* Periods with nothing recorded between the first and the last are
 * zeros, not gaps: add them. */
static int fill_periods(struct axis *a, const char *dim)
{
	long lo = 0, hi = -1, at;
	char code[48];
	int rc = 0;

	for (size_t i = 0; i < a->n; i++)
		if (period_of(dim, a->code[i], &at)) {
			lo = hi < lo ? at : (at < lo ? at : lo);
			hi = hi < at ? at : hi;
		}
	if (hi < lo || hi - lo > GAP_FILL_MAX)
		return 0;
	for (at = lo; !rc && at <= hi; at++) {
		if (!strcmp(dim, "year"))
			snprintf(code, sizeof(code), "%04ld", at);
		else
			snprintf(code, sizeof(code), "%04ld-%02ld", at / 12,
				 at % 12 + 1);
		rc = axis_add(a, code);
	}
	return rc;
}

static int is_unknown(const char *code)
{
	return !*code || !strcmp(code, "unknown");
}

/* How an axis is ordered: periods in time order; bars by size, largest
 * first, withheld ones after the published; the series of a chart in
 * vocabulary order, so that a value keeps its colour from chart to chart.
 * "unknown" always comes last. */
enum order { BY_TIME, BY_SIZE, BY_VOCAB };

static size_t vocab_rank(const struct rep *r, const char *scheme,
			 const char *code)
{
	size_t n = 0;
	const struct mrm_term *t =
		scheme ? mrm_vocab_terms(r->vocab, scheme, &n) : NULL;

	for (size_t i = 0; t && i < n; i++)
		if (!strcmp(t[i].code, code))
			return i;
	return (size_t)-1;
}

static int axis_before(const struct rep *r, const struct axis *a, size_t i,
		       size_t j, enum order order, const char *scheme)
{
	const struct mrm_stats_cell *x = a->tot[i], *y = a->tot[j];
	int ux = is_unknown(a->code[i]), uy = is_unknown(a->code[j]);
	int wx, wy;

	if (ux != uy)
		return uy;
	if (order == BY_VOCAB) {
		size_t rx = vocab_rank(r, scheme, a->code[i]);
		size_t ry = vocab_rank(r, scheme, a->code[j]);

		if (rx != ry)
			return rx < ry;
	} else if (order == BY_SIZE) {
		wx = x && x->mark != MRM_STATS_SHOWN;
		wy = y && y->mark != MRM_STATS_SHOWN;
		if (wx != wy)
			return wy;
		if (!wx && (x ? x->value : 0) != (y ? y->value : 0))
			return (x ? x->value : 0) > (y ? y->value : 0);
	}
	return strcmp(a->code[i], a->code[j]) < 0;
}

static void axis_sort(const struct rep *r, struct axis *a, const char *dim,
		      int series)
{
	enum order order = is_time(dim) ? BY_TIME : series ? BY_VOCAB : BY_SIZE;
	const char *scheme = mrm_stats_dim_scheme(dim);

	/* insertion sort: the axes are short, and this keeps a context */
	for (size_t i = 1; i < a->n; i++)
		for (size_t j = i;
		     j > 0 && axis_before(r, a, j, j - 1, order, scheme); j--) {
			char *c = a->code[j];
			const struct mrm_stats_cell *t = a->tot[j];

			a->code[j] = a->code[j - 1];
			a->tot[j] = a->tot[j - 1];
			a->code[j - 1] = c;
			a->tot[j - 1] = t;
		}
}

static void grid_release(struct grid *g)
{
	for (size_t i = 0; g->rowl && i < g->rows.n; i++)
		free(g->rowl[i]);
	for (size_t i = 0; g->coll && i < g->cols.n; i++)
		free(g->coll[i]);
	free(g->rowl);
	free(g->coll);
	free(g->cell);
	axis_release(&g->rows);
	axis_release(&g->cols);
	memset(g, 0, sizeof(*g));
}

static int all_keys(const struct mrm_stats_result *res,
		    const struct mrm_stats_cell *c)
{
	for (size_t d = 0; d < res->ndims; d++)
		if (strcmp(c->key[d], MRM_STATS_ALL))
			return 0;
	return 1;
}

/* The values of both axes, the cells summing each, the total. */
static int grid_axes(struct grid *g, const struct rep *r)
{
	const struct mrm_stats_result *res = g->res;
	int two = res->ndims == 2, rc = 0;

	for (size_t i = 0; !rc && i < res->ncells; i++) {
		const struct mrm_stats_cell *c = &res->cells[i];

		if (!mrm_stats_cell_is_full(res, c))
			continue;
		rc = axis_add(&g->rows, c->key[0]);
		if (!rc)
			rc = axis_add(&g->cols,
				      two ? c->key[1] : MRM_STATS_ALL);
	}
	if (!rc && is_time(res->dims[0]))
		rc = fill_periods(&g->rows, res->dims[0]);
	if (!rc && two && is_time(res->dims[1]))
		rc = fill_periods(&g->cols, res->dims[1]);
	for (size_t i = 0; !rc && i < res->ncells; i++) {
		const struct mrm_stats_cell *c = &res->cells[i];
		int all0 = !strcmp(c->key[0], MRM_STATS_ALL);
		int all1 = two && !strcmp(c->key[1], MRM_STATS_ALL);
		size_t at;

		if (all_keys(res, c))
			g->total = c;
		else if (!all0 && (all1 || !two) &&
			 (at = axis_find(&g->rows, c->key[0])) != (size_t)-1)
			g->rows.tot[at] = c;
		else if (all0 && two &&
			 (at = axis_find(&g->cols, c->key[1])) != (size_t)-1)
			g->cols.tot[at] = c;
	}
	if (!rc) {
		axis_sort(r, &g->rows, res->dims[0], 0);
		if (two)
			axis_sort(r, &g->cols, res->dims[1], 1);
	}
	return rc;
}

static int grid_build(struct grid *g, struct rep *r,
		      const struct mrm_stats_result *res)
{
	int two = res->ndims == 2, rc;

	memset(g, 0, sizeof(*g));
	g->res = res;
	if (res->ndims < 1 || res->ndims > 2)
		return MRM_ERR_INVALID;
	rc = grid_axes(g, r);
	if (rc)
		return rc;
	g->cell = calloc(g->rows.n * g->cols.n + 1, sizeof(*g->cell));
	g->rowl = calloc(g->rows.n + 1, sizeof(*g->rowl));
	g->coll = calloc(g->cols.n + 1, sizeof(*g->coll));
	if (!g->cell || !g->rowl || !g->coll)
		return MRM_ERR_NOMEM;
	for (size_t i = 0; i < res->ncells; i++) {
		const struct mrm_stats_cell *c = &res->cells[i];
		size_t ri, ci;

		if (!mrm_stats_cell_is_full(res, c))
			continue;
		ri = axis_find(&g->rows, c->key[0]);
		ci = two ? axis_find(&g->cols, c->key[1]) : 0;
		if (ri != (size_t)-1 && ci != (size_t)-1)
			g->cell[ri * g->cols.n + ci] = c;
	}
	for (size_t i = 0; i < g->rows.n; i++)
		if (!(g->rowl[i] =
			      value_label(r, res->dims[0], g->rows.code[i])))
			return MRM_ERR_NOMEM;
	for (size_t i = 0; i < g->cols.n; i++)
		if (!(g->coll[i] = two ? value_label(r, res->dims[1],
						     g->cols.code[i])
				       : strdup(msg(r, "measure.persons"))))
			return MRM_ERR_NOMEM;
	return 0;
}

/* ---- tables ---- */

static void value_td(struct rep *r, const struct mrm_stats_result *res,
		     const struct mrm_stats_cell *c)
{
	char text[64] = "0";

	if (c)
		mrm_stats_value_text(res, c, text, sizeof(text));
	put(r, "<td class=\"num%s\">",
	    c && c->mark != MRM_STATS_SHOWN ? " withheld" : "");
	esc(r, text);
	put(r, "</td>");
}

static void th_row(struct rep *r, const char *label)
{
	put(r, "<th scope=\"row\">");
	esc(r, label);
	put(r, "</th>");
}

static void th_col(struct rep *r, const char *label, int num)
{
	put(r, "<th scope=\"col\"%s>", num ? " class=\"num\"" : "");
	esc(r, label);
	put(r, "</th>");
}

static void table_open(struct rep *r, const char *caption)
{
	put(r, "<table class=\"data\"><caption>");
	esc(r, caption);
	put(r, "</caption>\n<thead><tr>");
}

/* One dimension: a row per value; two: rows by columns, with totals. */
static void table_counts(struct rep *r, const struct grid *g,
			 const char *caption)
{
	const struct mrm_stats_result *res = g->res;
	int two = res->ndims == 2;

	table_open(r, caption);
	th_col(r, dim_label(r, res->dims[0]), 0);
	for (size_t c = 0; c < g->cols.n; c++)
		th_col(r, g->coll[c], 1);
	if (two)
		th_col(r, msg(r, "total"), 1);
	put(r, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < g->rows.n; i++) {
		put(r, "<tr>");
		th_row(r, g->rowl[i]);
		for (size_t c = 0; c < g->cols.n; c++)
			value_td(r, res, g->cell[i * g->cols.n + c]);
		if (two)
			value_td(r, res, g->rows.tot[i]);
		put(r, "</tr>\n");
	}
	put(r, "</tbody>\n<tfoot><tr>");
	th_row(r, msg(r, "total"));
	for (size_t c = 0; two && c < g->cols.n; c++)
		value_td(r, res, g->cols.tot[c]);
	value_td(r, res, g->total);
	put(r, "</tr></tfoot></table>\n");
}

static void days_tds(struct rep *r, const struct mrm_stats_result *res,
		     const struct mrm_stats_cell *c)
{
	char text[64];

	if (!c) {
		put(r, "<td class=\"num\">0</td><td class=\"num\"></td>"
		       "<td class=\"num\"></td><td class=\"num\"></td>");
		return;
	}
	if (c->mark != MRM_STATS_SHOWN) {
		mrm_stats_value_text(res, c, text, sizeof(text));
		for (int i = 0; i < 4; i++) {
			put(r, "<td class=\"num withheld\">");
			esc(r, text);
			put(r, "</td>");
		}
		return;
	}
	put(r, "<td class=\"num\">%lld</td><td class=\"num\">%.1f</td>",
	    (long long)c->count, c->mean);
	if (mrm_stats_quantiles_shown(res, c))
		put(r, "<td class=\"num\">%.1f</td><td class=\"num\">%.1f</td>",
		    c->median, c->p90);
	else
		put(r, "<td class=\"num\">-</td><td class=\"num\">-</td>");
}

static void table_days(struct rep *r, const struct grid *g, const char *caption)
{
	const struct mrm_stats_result *res = g->res;

	table_open(r, caption);
	th_col(r, dim_label(r, res->dims[0]), 0);
	th_col(r, msg(r, "days.count"), 1);
	th_col(r, msg(r, "days.mean"), 1);
	th_col(r, msg(r, "days.median"), 1);
	th_col(r, msg(r, "days.p90"), 1);
	put(r, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < g->rows.n; i++) {
		put(r, "<tr>");
		th_row(r, g->rowl[i]);
		days_tds(r, res, g->cell[i]);
		put(r, "</tr>\n");
	}
	put(r, "</tbody>\n<tfoot><tr>");
	th_row(r, msg(r, "total"));
	days_tds(r, res, g->total);
	put(r, "</tr></tfoot></table>\n");
}

/* ---- charts ---- */

static struct mrm_svg_value chart_value(const struct mrm_stats_cell *c,
					const char *primary)
{
	struct mrm_svg_value v = {0, NULL};

	if (c && c->mark == MRM_STATS_PRIMARY)
		v.mark = primary;
	else if (c && c->mark == MRM_STATS_SECONDARY)
		v.mark = "x";
	else if (c)
		v.v = (double)c->value;
	return v;
}

/* The rows a chart shows: all, or for a time axis the plain periods. */
static size_t chart_rows(const struct grid *g, size_t *rows)
{
	const char *dim = g->res->dims[0];
	size_t n = 0;
	long at;

	for (size_t i = 0; i < g->rows.n; i++)
		if (!is_time(dim) || period_of(dim, g->rows.code[i], &at))
			rows[n++] = i;
	return n;
}

static int draw(struct rep *r, const struct section *s, const struct grid *g,
		const char *title, size_t *shown)
{
	const char *kind = s->chart == CH_BARS	    ? "chart.bars"
			   : s->chart == CH_STACKED ? "chart.stacked"
						    : "chart.line";
	size_t nr, ns = s->chart == CH_BARS ? 1 : g->cols.n;
	size_t *rows = calloc(g->rows.n + 1, sizeof(*rows));
	const char **cats = calloc(g->rows.n + 1, sizeof(*cats));
	struct mrm_svg_value *vals =
		calloc((g->rows.n + 1) * ns, sizeof(*vals));
	struct mrm_svg_value *tots = calloc(g->rows.n + 1, sizeof(*tots));
	struct mrm_svg_series *series = calloc(ns, sizeof(*series));
	struct mrm_buf desc = MRM_BUF_INIT(TEXT_MAX),
		       legend = MRM_BUF_INIT(256);
	char id[32], primary[16];
	struct mrm_svg_chart c = {0};
	int rc = MRM_ERR_NOMEM;

	*shown = 0;
	if (!rows || !cats || !vals || !tots || !series)
		goto out;
	nr = chart_rows(g, rows);
	if (!nr) {
		rc = 0;
		goto out;
	}
	snprintf(primary, sizeof(primary), "<%u", r->k);
	snprintf(id, sizeof(id), "chart-%zu", ++r->ncharts);
	for (size_t i = 0; i < nr; i++) {
		cats[i] = g->rowl[rows[i]];
		tots[i] = chart_value(g->res->ndims == 2 ? g->rows.tot[rows[i]]
							 : g->cell[rows[i]],
				      primary);
		for (size_t j = 0; j < ns; j++)
			vals[j * nr + i] = chart_value(
				g->cell[rows[i] * g->cols.n + j], primary);
	}
	for (size_t j = 0; j < ns; j++)
		series[j] = (struct mrm_svg_series){g->coll[j], vals + j * nr};
	rc = fill(r, &desc, "chart.desc", "kind", msg(r, kind), "title", title,
		  NULL);
	if (!rc)
		rc = fill(r, &legend, "legend.withheld", "k", r->kbuf, NULL);
	if (rc)
		goto out;
	c = (struct mrm_svg_chart){id, title,  desc.ptr, NULL, NULL,	  cats,
				   nr, series, ns,	 tots, legend.ptr};
	if (s->chart == CH_BARS) {
		c.x_label = msg(r, "measure.persons");
		c.y_label = dim_label(r, g->res->dims[0]);
		c.totals = NULL;
	} else {
		c.x_label = dim_label(r, g->res->dims[0]);
		c.y_label = msg(r, "measure.persons");
	}
	put(r, "<figure>\n");
	if (!r->rc)
		r->rc = s->chart == CH_BARS	 ? mrm_svg_bars(r->b, &c)
			: s->chart == CH_STACKED ? mrm_svg_stacked(r->b, &c)
						 : mrm_svg_line(r->b, &c);
	put(r, "</figure>\n");
	*shown = nr;
	rc = 0;
out:
	mrm_buf_release(&desc);
	mrm_buf_release(&legend);
	free(rows);
	free(cats);
	free(vals);
	free(tots);
	free(series);
	return rc;
}

/* ---- sections ---- */

static int section_html(struct rep *r, size_t idx,
			const struct mrm_stats_result *res)
{
	const struct section *s = &r->t->sections[idx];
	const char *title = msg(r, s->title);
	struct grid g;
	size_t shown = 0;
	int rc;

	if (s->part) {
		put(r, "<h2 id=\"part-%zu\">", idx + 1);
		esc(r, msg(r, s->part));
		put(r, "</h2>\n");
	}
	put(r, "<section class=\"sec\" id=\"s%zu\">\n<h3>%zu. ", idx + 1,
	    idx + 1);
	esc(r, title);
	put(r, "</h3>\n");
	rc = grid_build(&g, r, res);
	if (rc)
		goto out;
	if (!g.rows.n) {
		put(r, "<p class=\"empty\">");
		say(r, "empty", NULL);
		put(r, "</p>\n");
	} else {
		if (s->chart != CH_TABLE &&
		    (rc = draw(r, s, &g, title, &shown)))
			goto out;
		if (res->days)
			table_days(r, &g, title);
		else
			table_counts(r, &g, title);
		if (s->chart != CH_TABLE && shown < g.rows.n) {
			put(r, "<p class=\"note-s\">");
			say(r, "note.undated", NULL);
			put(r, "</p>\n");
		}
	}
	if (s->note) {
		put(r, "<p class=\"note-s\">");
		say(r, s->note, NULL);
		put(r, "</p>\n");
	}
	put(r, "</section>\n");
out:
	grid_release(&g);
	return rc;
}

/* The table as CSV, with codes: as `mrm stats --format csv` writes it. */
static int section_csv(const struct mrm_stats_result *res, struct mrm_buf *b)
{
	const char *f[MRM_STATS_DIMS_MAX + 5];
	char text[5][64];
	size_t n = 0;
	int rc;

	for (size_t d = 0; d < res->ndims; d++)
		f[n++] = res->dims[d];
	if (res->days) {
		f[n++] = "count";
		f[n++] = "days";
		f[n++] = "mean";
		f[n++] = "median";
		f[n++] = "p90";
	} else {
		f[n++] = "value";
	}
	rc = mrm_csv_put_record(b, f, n);
	for (size_t i = 0; !rc && i < res->ncells; i++) {
		const struct mrm_stats_cell *c = &res->cells[i];

		n = 0;
		for (size_t d = 0; d < res->ndims; d++)
			f[n++] = c->key[d];
		mrm_stats_value_text(res, c, text[0], sizeof(text[0]));
		if (res->days && c->mark == MRM_STATS_SHOWN) {
			snprintf(text[1], sizeof(text[1]), "%lld",
				 (long long)c->count);
			snprintf(text[2], sizeof(text[2]), "%.1f", c->mean);
			snprintf(text[3], sizeof(text[3]), "%.1f", c->median);
			snprintf(text[4], sizeof(text[4]), "%.1f", c->p90);
			if (!mrm_stats_quantiles_shown(res, c))
				strcpy(text[3], "-"), strcpy(text[4], "-");
			f[n++] = text[1];
			f[n++] = text[0];
			f[n++] = text[2];
			f[n++] = text[3];
			f[n++] = text[4];
		} else {
			for (int k = 0; k < (res->days ? 5 : 1); k++)
				f[n++] = text[0];
		}
		rc = mrm_csv_put_record(b, f, n);
	}
	return rc;
}

/* ---- the page ---- */

static const char style[] =
	":root{color-scheme:light}\n"
	"body{font-family:\"Noto Sans\",\"Noto Sans Thai\",\"Noto Sans "
	"Myanmar\",Padauk,\"Myanmar Text\",\"Noto Sans Khmer\",\"Khmer UI\","
	"\"Noto Sans Lao\",\"Lao UI\",\"Leelawadee UI\",Tahoma,\"DejaVu Sans\","
	"Arial,sans-serif;margin:2em auto;max-width:62em;padding:0 1.5em;"
	"color:#111;background:#fff;line-height:1.5}\n"
	":lang(th){line-height:1.7}\n"
	":lang(my){line-height:1.9}\n"
	"h1{font-size:1.6em;margin:.2em 0 .4em}\n"
	"h2{font-size:1.3em;border-bottom:2px solid #0072b2;"
	"padding-bottom:.2em;margin-top:2em}\n"
	"h3{font-size:1.1em;margin-top:1.6em}\n"
	".edition{font-weight:bold;text-transform:uppercase;"
	"letter-spacing:.05em;color:#555;margin:0}\n"
	".meta{color:#333;margin:.2em 0}\n"
	".note{background:#f3f6f9;border-left:4px solid #0072b2;"
	"padding:.6em 1em;margin:1em 0}\n"
	".note.public{border-color:#d55e00}\n"
	".note.internal{border-color:#b00020;background:#fdecee}\n"
	".note-s{font-size:.9em;color:#333}\n"
	"figure{margin:1em 0}\n"
	"svg.chart{display:block;width:100%;max-width:720px;height:auto}\n"
	"svg.chart text{font-family:inherit;fill:#222}\n"
	"svg.chart text.mark{font-style:italic}\n"
	"table.data{border-collapse:collapse;margin:.8em 0;font-size:.92em}\n"
	"table.data caption{text-align:left;font-weight:bold;padding:.3em 0}\n"
	"table.data th,table.data td{border:1px solid #bbb;"
	"padding:.25em .6em;text-align:left;vertical-align:top}\n"
	"table.data thead th{background:#eef2f6}\n"
	"table.data .num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"table.data tfoot th,table.data tfoot td{font-weight:bold}\n"
	"td.withheld{font-style:italic;color:#8a3b00}\n"
	"footer{margin-top:3em;border-top:1px solid #bbb;font-size:.92em}\n"
	"nav.toc ol{padding-left:1.6em}\n"
	"nav.toc a{color:inherit}\n"
	"@page{size:A4;margin:16mm 14mm 18mm}\n"
	"@media print{\n"
	"body{margin:0;max-width:none;padding:0;font-size:10.5pt;color:#000}\n"
	"*{background:none!important;box-shadow:none!important}\n"
	".note{border-left:2pt solid #000}\n"
	"figure,table,svg,.note,nav.toc{break-inside:avoid;"
	"page-break-inside:avoid}\n"
	"tr{break-inside:avoid;page-break-inside:avoid}\n"
	"thead{display:table-header-group}\n"
	"h2,h3{break-after:avoid;page-break-after:avoid}\n"
	"svg.chart{max-width:100%}\n"
	"}\n";

static void head(struct rep *r, const char *title)
{
	put(r,
	    "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"Migrant Rights Monitor "
	    "(mrm)\">\n<title>",
	    mrm_report_langs[r->lang]);
	esc(r, title);
	put(r, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void period(struct rep *r)
{
	const char *from = r->o->from, *to = r->o->to;

	say(r, "period", NULL);
	put(r, ": ");
	if (from && to)
		say(r, "period.range", "from", from, "to", to, NULL);
	else if (from)
		say(r, "period.from", "from", from, NULL);
	else if (to)
		say(r, "period.to", "to", to, NULL);
	else
		say(r, "period.all", NULL);
}

static void credit(struct rep *r, const char *orgs)
{
	say(r, "source", NULL);
	put(r, ": ");
	if (r->t->credit)
		esc(r, r->t->credit);
	else
		say(r, "credit.orgs", "orgs",
		    *orgs ? orgs : msg(r, "credit.none"), NULL);
}

static void header(struct rep *r, const char *orgs)
{
	char title[64], when[64];
	time_t now = r->o->generated ? r->o->generated : time(NULL);
	struct tm tm;

	snprintf(title, sizeof(title), "title.%s", r->t->name);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	head(r, msg(r, title));
	put(r, "<header>\n<p class=\"edition\">");
	say(r, r->o->public ? "edition.public" : "edition.internal", NULL);
	put(r, "</p>\n<h1>");
	say(r, title, NULL);
	put(r, "</h1>\n<p class=\"meta\">");
	period(r);
	put(r, "</p>\n<p class=\"meta\">");
	say(r, "generated", NULL);
	put(r, ": ");
	esc(r, when);
	put(r, "</p>\n<p class=\"meta\">");
	credit(r, orgs);
	put(r, "</p>\n</header>\n");
	if (r->o->public) {
		put(r, "<p class=\"note public\">");
		say(r, "note.public", "k", r->kbuf, NULL);
	} else {
		put(r, "<p class=\"note internal\">");
		say(r, "note.internal", NULL);
	}
	put(r, "</p>\n<p class=\"intro\">");
	snprintf(title, sizeof(title), "intro.%s", r->t->name);
	say(r, title, NULL);
	put(r, "</p>\n");
}

static void contents(struct rep *r)
{
	put(r, "<nav class=\"toc\">\n<h2>");
	say(r, "contents", NULL);
	put(r, "</h2>\n<ol>\n");
	for (size_t i = 0; i < r->t->nsections; i++) {
		put(r, "<li><a href=\"#s%zu\">", i + 1);
		say(r, r->t->sections[i].title, NULL);
		put(r, "</a></li>\n");
	}
	put(r, "</ol>\n</nav>\n");
}

static void footer(struct rep *r, const char *orgs)
{
	put(r, "<footer>\n<h2>");
	say(r, "method", NULL);
	put(r, "</h2>\n<p>");
	credit(r, orgs);
	put(r, "</p>\n");
	for (size_t i = 0; i < 2 && r->t->notes[i]; i++) {
		put(r, "<p>");
		say(r, r->t->notes[i], NULL);
		put(r, "</p>\n");
	}
	if (r->o->public) {
		put(r, "<p>");
		say(r, "note.public", "k", r->kbuf, NULL);
		put(r, "</p>\n");
	}
	put(r, "<p>");
	say(r, "made-with", NULL);
	put(r, "</p>\n</footer>\n</body>\n</html>\n");
}

/* ---- running it ---- */

static void list_names(const char *const *names, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; names[i] && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? ", " : "", names[i]);
}

int report_lang(const char *lang, int *index, struct mrm_error *err)
{
	char valid[256];

	lang = lang && *lang ? lang : "en";
	for (int i = 0; mrm_report_langs[i]; i++)
		if (!strcmp(lang, mrm_report_langs[i])) {
			*index = i;
			return 0;
		}
	list_names(mrm_report_langs, valid, sizeof(valid));
	return mrm_error_set(err, MRM_ERR_INVALID, "--lang",
			     "unknown language \"%s\"; valid: %s", lang, valid);
}

/* The options that only the policy-impact template takes go with it, and
 * it needs a policy; its period is the policy's windows. */
static int check_policy_opts(const struct rep *r,
			     const struct mrm_report_opts *o,
			     struct mrm_error *err)
{
	const char *opt = o->policy    ? "--policy"
			  : o->at      ? "--at"
			  : o->window  ? "--window"
			  : o->by      ? "--by"
			  : o->country ? "--country"
				       : NULL;

	if (r->t->part != report_policy_page) {
		if (opt)
			return mrm_error_set(err, MRM_ERR_INVALID, opt,
					     "only --template policy-impact "
					     "takes this");
		return 0;
	}
	if (!o->policy || !*o->policy)
		return mrm_error_set(err, MRM_ERR_INVALID, "--policy",
				     "the policy-impact report needs a policy "
				     "key (see mrm policy list)");
	if (o->from || o->to)
		return mrm_error_set(err, MRM_ERR_INVALID,
				     o->from ? "--from" : "--to",
				     "the policy-impact report compares the "
				     "months before and after the policy's "
				     "date: set --at and --window, not "
				     "--from or --to");
	return 0;
}

static int resolve(struct rep *r, const struct mrm_report_opts *o,
		   struct mrm_error *err)
{
	char valid[256];
	int rc;

	r->t = NULL;
	for (size_t i = 0; i < NSECT(templates); i++)
		if (o->template_name &&
		    !strcmp(o->template_name, templates[i].name))
			r->t = &templates[i];
	if (!r->t) {
		list_names(mrm_report_templates, valid, sizeof(valid));
		return mrm_error_set(err, MRM_ERR_INVALID, "--template",
				     "unknown template \"%s\"; valid: %s",
				     o->template_name ? o->template_name : "",
				     valid);
	}
	if ((rc = report_lang(o->lang, &r->lang, err)) ||
	    (rc = check_policy_opts(r, o, err)))
		return rc;
	if (o->k == 1 || o->k > 1000)
		return mrm_error_set(err, MRM_ERR_INVALID, "--k",
				     "the threshold must be 2 to 1000, not %u",
				     o->k);
	r->k = o->k ? o->k : MRM_STATS_K_DEFAULT;
	snprintf(r->kbuf, sizeof(r->kbuf), "%u", r->k);
	return 0;
}

static int run(struct rep *r, const char *measure, const char *by,
	       const char *const *where, size_t nwhere, int public,
	       struct mrm_stats_result **res, struct mrm_error *err)
{
	struct mrm_stats_query q = {0};

	q.measure = measure;
	q.by = by;
	for (size_t i = 0; i < nwhere && where[i]; i++)
		q.where[q.nwhere++] = where[i];
	q.from = r->o->from;
	q.to = r->o->to;
	q.public = public;
	q.k = r->k;
	return mrm_stats_run(r->st, &q, res, err);
}

/* The organisations whose records the report counts, by code. */
static int org_codes(struct rep *r, struct mrm_buf *out, struct mrm_error *err)
{
	struct mrm_stats_result *res = NULL;
	int rc = run(r, "events", "org", NULL, 0, 0, &res, err);

	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < res->ncells; i++) {
		const struct mrm_stats_cell *c = &res->cells[i];

		if (mrm_stats_cell_is_full(res, c) && c->value > 0 &&
		    !is_unknown(c->key[0]))
			rc = mrm_buf_addf(out, "%s%s", out->len ? ", " : "",
					  c->key[0]);
	}
	if (!rc && !out->ptr)
		rc = mrm_buf_adds(out, "");
	mrm_stats_result_free(res);
	return rc ? mrm_error_set(err, rc, NULL, "out of memory") : 0;
}

/* Write `data` to DIR/NAME through a temporary file: mode 0600, and no
 * half-written file under the final name. */
static int write_private(const char *dir, const char *name,
			 const struct mrm_buf *data, struct mrm_error *err)
{
	char path[4096], tmp[4200];
	size_t off = 0;
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return mrm_error_set(err, MRM_ERR_IO, tmp, "cannot create: %s",
				     strerror(errno));
	if (fchmod(fd, 0600))
		rc = MRM_ERR_IO;
	while (!rc && off < data->len) {
		ssize_t n = write(fd, data->ptr + off, data->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = MRM_ERR_IO;
		else
			off += (size_t)n;
	}
	if (close(fd) && !rc)
		rc = MRM_ERR_IO;
	if (!rc && rename(tmp, path))
		rc = MRM_ERR_IO;
	if (rc) {
		mrm_error_set(err, MRM_ERR_IO, path, "cannot write: %s",
			      strerror(errno));
		unlink(tmp);
	}
	return rc;
}

struct mrm_buf *report_part_csv(struct report_part *p, const char *name)
{
	struct mrm_buf *b;

	if (!p->o->csv_dir || p->ncsv == REPORT_PART_CSV_MAX)
		return NULL;
	snprintf(p->csv_name[p->ncsv], sizeof(p->csv_name[0]), "%02zu-%s.csv",
		 p->ncsv + 1, name);
	b = &p->csv[p->ncsv++];
	mrm_buf_init(b, TABLE_CSV_MAX);
	return b;
}

/* The tables of the sections, then those of the template's part, into the
 * CSV directory (created, mode 0700, if missing). */
static int write_csvs(struct rep *r, struct mrm_stats_result **res,
		      const struct report_part *part, struct mrm_error *err)
{
	struct mrm_buf b = MRM_BUF_INIT(TABLE_CSV_MAX);
	struct stat sb;
	char name[128];
	int rc = 0;

	if (mkdir(r->o->csv_dir, 0700) && errno != EEXIST)
		return mrm_error_set(err, MRM_ERR_IO, r->o->csv_dir,
				     "cannot create the directory: %s",
				     strerror(errno));
	if (stat(r->o->csv_dir, &sb) || !S_ISDIR(sb.st_mode))
		return mrm_error_set(err, MRM_ERR_IO, r->o->csv_dir,
				     "is not a directory");
	for (size_t i = 0; !rc && i < r->t->nsections; i++) {
		mrm_buf_reset(&b);
		snprintf(name, sizeof(name), "%02zu-%s.csv", i + 1,
			 r->t->sections[i].slug);
		rc = section_csv(res[i], &b);
		if (rc)
			mrm_error_set(err, rc, name, "cannot build the table");
		else
			rc = write_private(r->o->csv_dir, name, &b, err);
	}
	for (size_t i = 0; !rc && i < part->ncsv; i++)
		rc = write_private(r->o->csv_dir, part->csv_name[i],
				   &part->csv[i], err);
	mrm_buf_release(&b);
	return rc;
}

static int render(struct rep *r, struct mrm_stats_result **res,
		  const char *orgs, const struct mrm_buf *body,
		  struct mrm_error *err)
{
	header(r, orgs);
	if (r->t->nsections)
		contents(r);
	for (size_t i = 0; !r->rc && i < r->t->nsections; i++) {
		int rc = section_html(r, i, res[i]);

		if (rc && !r->rc)
			r->rc = rc;
	}
	if (!r->rc && body && body->len &&
	    mrm_buf_add(r->b, body->ptr, body->len))
		r->rc = MRM_ERR_LIMIT;
	footer(r, orgs);
	if (r->rc)
		return mrm_error_set(err, r->rc, NULL, "%s",
				     r->rc == MRM_ERR_LIMIT
					     ? "the report is too large"
					     : "out of memory");
	return 0;
}

/* The template's part: its body into `body`, or its whole page into the
 * report's page. */
static int run_part(struct rep *r, struct report_part *part,
		    struct mrm_buf *body, struct mrm_error *err)
{
	time_t now = r->o->generated ? r->o->generated : time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(part->day, sizeof(part->day), "%Y-%m-%d", &tm);
	part->st = r->st;
	part->o = r->o;
	part->lang = r->lang;
	part->k = r->k;
	part->html = r->t->page ? r->b : body;
	return r->t->part(part, err);
}

int mrm_report_write(struct mrm_store *st, const struct mrm_report_opts *o,
		     FILE *html, struct mrm_error *err)
{
	struct mrm_stats_result *res[SECTIONS_MAX] = {0};
	struct mrm_buf out = MRM_BUF_INIT(REPORT_MAX);
	struct mrm_buf orgs = MRM_BUF_INIT(64 * 1024);
	struct mrm_buf body = MRM_BUF_INIT(REPORT_MAX);
	struct report_part part = {0};
	struct rep r = {0};
	int rc;

	mrm_error_clear(err);
	r.st = st;
	r.o = o;
	r.b = &out;
	r.vocab = mrm_store_vocab(st);
	rc = resolve(&r, o, err);
	for (size_t i = 0; !rc && i < r.t->nsections; i++) {
		const struct section *s = &r.t->sections[i];

		rc = run(&r, s->measure, s->by, s->where, NSECT(s->where),
			 o->public, &res[i], err);
		if (rc)
			mrm_error_prefix(err, "section \"%s\"", s->slug);
	}
	if (!rc && r.t->part)
		rc = run_part(&r, &part, &body, err);
	if (!rc && !r.t->page)
		rc = org_codes(&r, &orgs, err);
	if (!rc && !r.t->page)
		rc = render(&r, res, orgs.ptr, &body, err);
	if (!rc && fwrite(out.ptr, 1, out.len, html) != out.len)
		rc = mrm_error_set(err, MRM_ERR_IO, NULL,
				   "writing the report failed");
	if (!rc && fflush(html))
		rc = mrm_error_set(err, MRM_ERR_IO, NULL,
				   "writing the report failed: %s",
				   strerror(errno));
	if (!rc && o->csv_dir)
		rc = write_csvs(&r, res, &part, err);
	for (size_t i = 0; i < SECTIONS_MAX; i++)
		mrm_stats_result_free(res[i]);
	for (size_t i = 0; i < part.ncsv; i++)
		mrm_buf_release(&part.csv[i]);
	mrm_buf_release(&body);
	mrm_buf_release(&out);
	mrm_buf_release(&orgs);
	return rc;
}
