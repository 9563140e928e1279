/* demo.c - see include/mrm/demo.h: synthetic Mekong caseload as native CSV */
#include "mrm/demo.h"

#include "mrm/buf.h"
#include "mrm/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT       ((size_t)256 << 10)
#define BUF_MAX	       ((size_t)16 << 20)
#define PROGRESS_EVERY 4096UL
#define RING	       64  /* remembered persons per corridor, for reuse */
#define CELL	       384 /* bytes of one formatted cell */
#define NELEM(a)       (sizeof(a) / sizeof((a)[0]))

/* ---- the columns (every name is from docs/native-csv.md) ---- */

/* clang-format off */
#define COLUMNS(X)                                                            \
	X(EKEY, "event.key") X(EORG, "event.org") X(ETITLE, "event.title")    \
	X(ESUM, "event.summary") X(ESTART, "event.start_date")                \
	X(ECOUNTRY, "event.country") X(EADMIN1, "event.admin1")               \
	X(EPLACE, "event.place") X(ELAT, "event.latitude")                    \
	X(ELON, "event.longitude") X(RAID, "attr.raid_size")                  \
	X(ATYPE, "act.type") X(ASTART, "act.start_date")                      \
	X(AEND, "act.end_date") X(AUTH, "arrest.authority")                   \
	X(REASON, "arrest.reason_given") X(DEMAND, "arrest.money_demanded")   \
	X(PAID, "arrest.money_paid") X(ACUR, "arrest.currency")               \
	X(FTYPE, "detention.facility_type")                                   \
	X(FNAME, "detention.facility_name")                                   \
	X(CONSUL, "detention.consular_access") X(ROUTE, "deportation.route")  \
	X(CHECK, "deportation.checkpoint") X(FORMAL, "deportation.formal")    \
	X(DCOST, "deportation.cost") X(DCUR, "deportation.currency")          \
	X(RORG, "return.receiving_org") X(RSUP, "return.support")             \
	X(PTYPE, "perpetrator.type") X(VKEY, "victim.key")                    \
	X(VUNIT, "victim.unit") X(VSIZE, "victim.group_size")                 \
	X(VNAME, "victim.name") X(VSEX, "victim.sex")                         \
	X(VBIRTH, "victim.birth_date") X(VNAT, "victim.nationality")          \
	X(VDOC, "victim.doc_status") X(VOCC, "victim.occupation")             \
	X(VSECT, "victim.sector") X(VCHILD, "victim.child")                   \
	X(VCONTACT, "victim.contact") X(VHEALTH, "victim.health")             \
	X(SKIND, "source.kind") X(SREL, "source.reliability")                 \
	X(SDATE, "source.date") X(ITYPE, "intervention.type")                 \
	X(IORG, "intervention.org") X(ICOMP, "intervention.compensation")     \
	X(ICUR, "intervention.currency")
/* clang-format on */

#define X_ENUM(id, name) C_##id,
#define X_NAME(id, name) name,
enum col { COLUMNS(X_ENUM) NCOL };
static const char *const header[NCOL] = {COLUMNS(X_NAME)};

/* ---- tables ---- */

struct wstr {
	const char *s;
	unsigned w;
};

enum { O_TH, O_MM, O_KH, O_LA, O_VN, O_CN };

static const struct mrm_demo_org orgs[] = {
	{"MKN-TH", "Mekong Migrant Network (synthetic) Thailand", "TH"},
	{"MKN-MM", "Mekong Migrant Network (synthetic) Myanmar", "MM"},
	{"MKN-KH", "Mekong Migrant Network (synthetic) Cambodia", "KH"},
	{"MKN-LA", "Mekong Migrant Network (synthetic) Laos", "LA"},
	{"MKN-VN", "Mekong Migrant Network (synthetic) Vietnam", "VN"},
	{"MKN-CN", "Mekong Migrant Network (synthetic) China", "CN"},
};

enum { L_TH, L_ZH, L_VI };	 /* the script of the destination */
enum { N_MM, N_KH, N_LA, N_VN }; /* the script of names */

struct corridor {
	unsigned w;	  /* per mille */
	int origin, dest; /* org indexes */
	int lang, names;
	const char *demonym; /* in the origin's script */
	const char *phone;   /* country prefix of fake numbers */
	const char *cur;     /* local currency */
	struct wstr doc[7];
	struct wstr cp[5]; /* checkpoints; .w 0 ends */
	const char *route;
};

static const struct corridor corridors[] = {
	{550,
	 O_MM,
	 O_TH,
	 L_TH,
	 N_MM,
	 "ဗမာ",
	 "+66 8",
	 "THB",
	 {{"undocumented", 38},
	  {"pink_card", 25},
	  {"certificate_of_identity", 10},
	  {"mou_passport", 10},
	  {"nv_passport", 6},
	  {"work_permit", 6},
	  {"border_pass", 5}},
	 {{"th-maesot", 45},
	  {"th-ranong", 25},
	  {"th-maesai", 20},
	  {"th-phunamron", 10}},
	 "informal crossing of the Moei river"},
	{180,
	 O_KH,
	 O_TH,
	 L_TH,
	 N_KH,
	 "ខ្មែរ",
	 "+66 8",
	 "THB",
	 {{"undocumented", 40},
	  {"pink_card", 15},
	  {"mou_passport", 15},
	  {"border_pass", 20},
	  {"work_permit", 10}},
	 {{"th-aranyaprathet", 55},
	  {"th-hatlek", 20},
	  {"th-chongchom", 15},
	  {"th-banlaem", 10}},
	 "handed over at Poipet"},
	{100,
	 O_LA,
	 O_TH,
	 L_TH,
	 N_LA,
	 "ລາວ",
	 "+66 9",
	 "THB",
	 {{"undocumented", 50},
	  {"pink_card", 15},
	  {"mou_passport", 15},
	  {"border_pass", 10},
	  {"work_permit", 10}},
	 {{"th-nongkhai", 40},
	  {"th-mukdahan", 20},
	  {"th-chiangkhong", 15},
	  {"th-nakhonphanom", 15},
	  {"th-chongmek", 10}},
	 "boat across the Mekong"},
	{70,
	 O_MM,
	 O_CN,
	 L_ZH,
	 N_MM,
	 "ဗမာ",
	 "+86 13",
	 "CNY",
	 {{"undocumented", 60}, {"border_pass", 35}, {"work_permit", 5}},
	 {{"cn-ruili", 100}},
	 "Ruili - Muse, through the fence"},
	{50,
	 O_VN,
	 O_CN,
	 L_ZH,
	 N_VN,
	 "Việt",
	 "+86 15",
	 "CNY",
	 {{"undocumented", 60}, {"border_pass", 40}},
	 {{"cn-hekou", 40}, {"cn-dongxing", 35}, {"cn-youyiguan", 25}},
	 "handed to Vietnamese border guards"},
	{25,
	 O_LA,
	 O_CN,
	 L_ZH,
	 N_LA,
	 "ລາວ",
	 "+86 18",
	 "CNY",
	 {{"undocumented", 50}, {"border_pass", 50}},
	 {{"cn-mohan", 100}},
	 "Mohan - Boten"},
	{25,
	 O_KH,
	 O_VN,
	 L_VI,
	 N_KH,
	 "ខ្មែរ",
	 "+84 9",
	 "VND",
	 {{"undocumented", 60}, {"border_pass", 40}},
	 {{NULL, 0}},
	 "Mộc Bài - Bavet"},
};
#define NCORR NELEM(corridors)

enum prof { P_FISH, P_GARM, P_URBAN, P_AGRI, P_IND, P_TOUR, P_BORDER };

struct place {
	const char *admin1, *name, *lat, *lon;
	int prof;
	const char *cp;		/* the nearest checkpoint, if any */
	unsigned char w[NCORR]; /* weight in each corridor */
};

static const struct place places[] = {
	{"TH-10",
	 "กรุงเทพฯ",
	 "13.7563",
	 "100.5018",
	 P_URBAN,
	 NULL,
	 {14, 22, 30}},
	{"TH-10", "บางแค", "13.7116", "100.4069", P_URBAN, NULL, {4, 4, 6}},
	{"TH-63", "แม่สอด", "16.7136", "98.5747", P_GARM, "th-maesot", {16}},
	{"TH-85", "ระนอง", "9.9658", "98.6348", P_FISH, "th-ranong", {10, 1}},
	{"TH-74", "มหาชัย", "13.5475", "100.2744", P_FISH, NULL, {16, 8, 4}},
	{"TH-20", "ศรีราชา", "13.1737", "100.9311", P_IND, NULL, {3, 14, 6}},
	{"TH-20", "พัทยา", "12.9236", "100.8825", P_TOUR, NULL, {2, 6, 4}},
	{"TH-50", "เชียงใหม่", "18.7883", "98.9853", P_AGRI, NULL, {8, 1, 6}},
	{"TH-57",
	 "แม่สาย",
	 "20.4283",
	 "99.8761",
	 P_AGRI,
	 "th-maesai",
	 {5, 0, 6}},
	{"TH-57",
	 "เชียงของ",
	 "20.2640",
	 "100.4050",
	 P_AGRI,
	 "th-chiangkhong",
	 {1, 0, 6}},
	{"TH-27",
	 "อรัญประเทศ",
	 "13.6929",
	 "102.5066",
	 P_AGRI,
	 "th-aranyaprathet",
	 {0, 16, 1}},
	{"TH-43",
	 "หนองคาย",
	 "17.8783",
	 "102.7413",
	 P_AGRI,
	 "th-nongkhai",
	 {0, 0, 14}},
	{"TH-90", "สงขลา", "7.1898", "100.5954", P_FISH, NULL, {4, 6, 2}},
	{"TH-90", "หาดใหญ่", "7.0084", "100.4747", P_URBAN, NULL, {2, 2, 1}},
	{"TH-83", "ภูเก็ต", "7.8804", "98.3923", P_TOUR, NULL, {4, 3, 2}},
	{"TH-11", "สมุทรปราการ", "13.5991", "100.5998", P_IND, NULL, {5, 10, 8}},
	{"TH-71", "สังขละบุรี", "15.1531", "98.4531", P_AGRI, "th-phunamron", {3}},
	{"TH-84", "สุราษฎร์ธานี", "9.1382", "99.3215", P_AGRI, NULL, {3, 4, 2}},
	{"TH-86", "ชุมพร", "10.4930", "99.1800", P_FISH, NULL, {2, 3, 1}},
	{"CN-YN-DH",
	 "瑞丽",
	 "24.0128",
	 "97.8511",
	 P_BORDER,
	 "cn-ruili",
	 {0, 0, 0, 50}},
	{"CN-YN-DH",
	 "芒市",
	 "24.4337",
	 "98.5886",
	 P_BORDER,
	 NULL,
	 {0, 0, 0, 15}},
	{"CN-YN-KM",
	 "昆明",
	 "25.0389",
	 "102.7183",
	 P_URBAN,
	 NULL,
	 {0, 0, 0, 15, 10, 10}},
	{"CN-YN-XSBN",
	 "景洪",
	 "22.0094",
	 "100.7973",
	 P_BORDER,
	 NULL,
	 {0, 0, 0, 20, 0, 30}},
	{"CN-YN-XSBN",
	 "勐腊",
	 "21.4595",
	 "101.5647",
	 P_BORDER,
	 "cn-mohan",
	 {0, 0, 0, 0, 0, 60}},
	{"CN-YN-HH",
	 "河口",
	 "22.5294",
	 "103.9393",
	 P_BORDER,
	 "cn-hekou",
	 {0, 0, 0, 0, 35}},
	{"CN-GX-FCG",
	 "东兴",
	 "21.5472",
	 "107.9719",
	 P_BORDER,
	 "cn-dongxing",
	 {0, 0, 0, 0, 30}},
	{"CN-GX-CZ",
	 "凭祥",
	 "22.0940",
	 "106.7664",
	 P_BORDER,
	 "cn-youyiguan",
	 {0, 0, 0, 0, 25}},
	{"VN-44",
	 "Châu Đốc",
	 "10.7000",
	 "105.1167",
	 P_AGRI,
	 NULL,
	 {0, 0, 0, 0, 0, 0, 50}},
	{"VN-37",
	 "Mộc Bài",
	 "11.0723",
	 "106.1982",
	 P_BORDER,
	 NULL,
	 {0, 0, 0, 0, 0, 0, 50}},
};

struct sector {
	const char *code;
	unsigned female; /* percent */
	const char *occ[2];
};

static const struct sector sectors[] = {
	{"fishing", 5, {"ลูกเรือประมง deckhand", "fisher"}},
	{"seafood_processing", 65, {"shrimp peeler", "ล้งปลา fish sorter"}},
	{"agriculture", 40, {"farm worker", "rubber tapper"}},
	{"construction", 25, {"construction worker", "กรรมกร labourer"}},
	{"manufacturing", 50, {"factory worker", "machine operator"}},
	{"garments", 75, {"sewing machine operator", "garment packer"}},
	{"domestic_work", 90, {"domestic worker", "แม่บ้าน housekeeper"}},
	{"hospitality", 60, {"restaurant worker", "hotel cleaner"}},
	{"entertainment", 80, {"karaoke worker", "bar hostess"}},
	{"other", 40, {"market vendor", "scrap collector"}},
};

/* Sector weights by place profile, in the order of sectors[]. */
static const unsigned char prof_sector[][NELEM(sectors)] = {
	[P_FISH] = {35, 30, 5, 8, 5, 0, 5, 5, 2, 5},
	[P_GARM] = {0, 0, 15, 10, 15, 45, 5, 5, 2, 3},
	[P_URBAN] = {0, 2, 2, 30, 15, 5, 20, 15, 6, 5},
	[P_AGRI] = {0, 0, 50, 15, 5, 2, 10, 8, 4, 6},
	[P_IND] = {0, 5, 5, 20, 45, 10, 5, 5, 2, 3},
	[P_TOUR] = {5, 2, 5, 25, 2, 0, 8, 40, 10, 3},
	[P_BORDER] = {0, 0, 35, 20, 15, 5, 8, 7, 5, 5},
};

/* Perpetrator sets. */
enum {
	PS_NONE,
	PS_ARREST,
	PS_DETAIN,
	PS_DEPORT,
	PS_EMPLOYER,
	PS_BROKER,
	PS_STATE,
	PS_VIOL,
	PS_LOCAL,
	PS_TRAFF,
	PS_UNKNOWN
};

static const struct wstr perp_sets[][4] = {
	[PS_NONE] = {{NULL, 0}},
	[PS_ARREST] = {{"police", 45},
		       {"immigration", 40},
		       {"military", 8},
		       {"border_guard", 7}},
	[PS_DETAIN] = {{"immigration", 50},
		       {"detention_staff", 30},
		       {"police", 20}},
	[PS_DEPORT] = {{"immigration", 70},
		       {"police", 20},
		       {"border_guard", 10}},
	[PS_EMPLOYER] = {{"employer", 1}},
	[PS_BROKER] = {{"broker", 60}, {"recruitment_agency", 40}},
	[PS_STATE] = {{"police", 60},
		      {"local_authority", 20},
		      {"border_guard", 10},
		      {"military", 10}},
	[PS_VIOL] = {{"employer", 40},
		     {"other_person", 30},
		     {"police", 20},
		     {"unknown", 10}},
	[PS_LOCAL] = {{"local_authority", 60}, {"employer", 40}},
	[PS_TRAFF] = {{"trafficker", 60}, {"broker", 20}, {"employer", 20}},
	[PS_UNKNOWN] = {{"unknown", 60},
			{"employer", 20},
			{"armed_group", 10},
			{"police", 10}},
};

/* Intervention sets. */
enum {
	IS_NONE,
	IS_LABOUR,
	IS_LEGAL,
	IS_PROTECT,
	IS_MEDICAL,
	IS_CHILD,
	IS_RETURN
};

static const struct wstr int_sets[][4] = {
	[IS_NONE] = {{NULL, 0}},
	[IS_LABOUR] = {{"complaint_labour_office", 50},
		       {"legal_aid", 40},
		       {"complaint_labour_court", 10}},
	[IS_LEGAL] = {{"legal_aid", 70}, {"complaint_police", 30}},
	[IS_PROTECT] = {{"shelter", 35},
			{"referral", 25},
			{"legal_aid", 25},
			{"repatriation_support", 15}},
	[IS_MEDICAL] = {{"medical_aid", 60},
			{"complaint_police", 20},
			{"psychosocial_support", 20}},
	[IS_CHILD] = {{"referral", 70}, {"legal_aid", 30}},
	[IS_RETURN] = {{"consular_assistance", 40},
		       {"repatriation_support", 40},
		       {"legal_aid", 20}},
};

/* An event kind: up to five acts (the first always), a title, a summary. */
struct kind {
	unsigned w; /* per mille */
	struct {
		const char *type;
		unsigned pct;
		int perp;
	} act[5];
	const char *th[2], *my, *zh, *vi, *en;
	const char *summary;
	int iset;
	unsigned ipct;
	unsigned char money, child, fishing;
};

enum { K_ADD }; /* kinds[0]: arrest - detention - deportation - return */

static const struct kind kinds[] = {
	{600,
	 {{"arrest", 100, PS_ARREST}},
	 {"ตำรวจตรวจค้นแคมป์ก่อสร้าง", "จับกุมแรงงานข้ามชาติ"},
	 "ရွှေ့ပြောင်းအလုပ်သမား ဖမ်းဆီးခံရ",
	 "边境执法抓捕外籍务工人员",
	 "Công an bắt giữ lao động",
	 "raid and arrest of",
	 "Arrested in a raid; most such arrests end in detention and "
	 "deportation.",
	 IS_RETURN,
	 15,
	 0,
	 0,
	 0},
	{120,
	 {{"wage_theft", 100, PS_EMPLOYER},
	  {"unlawful_deductions", 60, PS_EMPLOYER},
	  {"document_confiscation", 35, PS_EMPLOYER},
	  {"violence", 10, PS_EMPLOYER}},
	 {"ค่าจ้างค้างจ่าย", "นายจ้างไม่จ่ายค่าแรง"},
	 "လုပ်ခမပေး",
	 "拖欠工资",
	 "Nợ lương",
	 "unpaid wages of",
	 "The employer withheld wages and made deductions.",
	 IS_LABOUR,
	 60,
	 1,
	 0,
	 0},
	{60,
	 {{"recruitment_fee_abuse", 100, PS_BROKER},
	  {"debt_bondage", 60, PS_BROKER},
	  {"document_confiscation", 40, PS_EMPLOYER},
	  {"wage_theft", 30, PS_EMPLOYER}},
	 {"ค่านายหน้าเกินจริง", "หนี้นายหน้า"},
	 "အကျိုးဆောင်ခ အလွန်အကျွံ",
	 "中介费过高",
	 "Phí môi giới quá cao",
	 "excessive recruitment fees charged to",
	 "A broker charged excessive fees, repaid from wages.",
	 IS_LEGAL,
	 40,
	 1,
	 0,
	 0},
	{40,
	 {{"document_confiscation", 100, PS_EMPLOYER},
	  {"wage_theft", 40, PS_EMPLOYER},
	  {"extortion", 25, PS_STATE},
	  {"arrest", 20, PS_ARREST}},
	 {"นายจ้างยึดเอกสาร", "ยึดพาสปอร์ตแรงงาน"},
	 "စာရွက်စာတမ်း သိမ်းဆည်း",
	 "雇主扣押证件",
	 "Giữ giấy tờ",
	 "documents confiscated from",
	 "The employer kept identity and work documents.",
	 IS_LABOUR,
	 40,
	 1,
	 0,
	 0},
	{50,
	 {{"extortion", 100, PS_STATE},
	  {"arrest", 30, PS_ARREST},
	  {"violence", 20, PS_STATE}},
	 {"เจ้าหน้าที่รีดไถ", "เรียกเงินแลกอิสรภาพ"},
	 "ငွေညှစ်",
	 "勒索",
	 "Tống tiền",
	 "extortion of",
	 "Officials demanded money under threat of arrest.",
	 IS_LEGAL,
	 20,
	 0,
	 0,
	 0},
	{40,
	 {{"violence", 100, PS_VIOL},
	  {"wage_theft", 25, PS_EMPLOYER},
	  {"denial_of_health_care", 25, PS_LOCAL}},
	 {"ทำร้ายร่างกาย", "ถูกทำร้าย"},
	 "ရိုက်နှက်ခံရ",
	 "暴力殴打",
	 "Bạo lực",
	 "assault on",
	 "Physical assault.",
	 IS_MEDICAL,
	 30,
	 0,
	 0,
	 0},
	{25,
	 {{"denial_of_health_care", 100, PS_LOCAL},
	  {"extortion", 15, PS_STATE}},
	 {"ปฏิเสธการรักษา", "โรงพยาบาลไม่รับรักษา"},
	 "ဆေးကုသမှု ငြင်းပယ်",
	 "拒绝医疗",
	 "Từ chối chữa bệnh",
	 "health care refused to",
	 "A hospital refused treatment without documents.",
	 IS_MEDICAL,
	 40,
	 0,
	 0,
	 0},
	{13,
	 {{"denial_of_education", 100, PS_LOCAL},
	  {"birth_registration_denied", 30, PS_LOCAL}},
	 {"โรงเรียนไม่รับเด็ก", "เด็กไม่ได้เรียน"},
	 "ကျောင်းမတက်ရ",
	 "拒绝入学",
	 "Từ chối nhập học",
	 "school refused for children of",
	 "A school refused to enrol a migrant child.",
	 IS_CHILD,
	 40,
	 0,
	 1,
	 0},
	{12,
	 {{"birth_registration_denied", 100, PS_LOCAL},
	  {"denial_of_education", 30, PS_LOCAL}},
	 {"ไม่ออกสูติบัตร", "แจ้งเกิดไม่ได้"},
	 "မွေးစာရင်း မရ",
	 "拒绝出生登记",
	 "Không đăng ký khai sinh",
	 "birth registration refused for children of",
	 "The district office refused to register a birth.",
	 IS_CHILD,
	 40,
	 0,
	 1,
	 0},
	{15,
	 {{"forced_labour", 100, PS_EMPLOYER},
	  {"debt_bondage", 60, PS_BROKER},
	  {"document_confiscation", 60, PS_EMPLOYER},
	  {"trafficking", 40, PS_TRAFF},
	  {"violence", 30, PS_EMPLOYER}},
	 {"แรงงานบังคับบนเรือประมง", "บังคับใช้แรงงาน"},
	 "အတင်းအဓမ္မ အလုပ်ခိုင်း",
	 "强迫劳动",
	 "Lao động cưỡng bức",
	 "forced labour of",
	 "Workers were held at sea and forced to work unpaid.",
	 IS_PROTECT,
	 70,
	 0,
	 0,
	 1},
	{10,
	 {{"trafficking", 100, PS_TRAFF},
	  {"forced_labour", 60, PS_EMPLOYER},
	  {"document_confiscation", 40, PS_TRAFF},
	  {"sexual_violence", 10, PS_TRAFF}},
	 {"ค้ามนุษย์", "ขบวนการค้ามนุษย์"},
	 "လူကုန်ကူး",
	 "人口贩卖",
	 "Buôn người",
	 "trafficking of",
	 "Recruited with false promises and sold to an employer.",
	 IS_PROTECT,
	 70,
	 0,
	 0,
	 1},
	{7,
	 {{"death", 100, PS_UNKNOWN}, {"denial_of_health_care", 20, PS_LOCAL}},
	 {"เสียชีวิตระหว่างทำงาน", "พบศพแรงงาน"},
	 "သေဆုံး",
	 "死亡",
	 "Tử vong",
	 "death among",
	 "A worker died; the family was not told.",
	 IS_LEGAL,
	 30,
	 0,
	 0,
	 0},
	{5,
	 {{"missing", 100, PS_UNKNOWN}},
	 {"แรงงานหายตัว", "หายสาบสูญ"},
	 "ပျောက်ဆုံး",
	 "失踪",
	 "Mất tích",
	 "disappearance of",
	 "A worker has not been heard of since.",
	 IS_LEGAL,
	 30,
	 0,
	 0,
	 0},
	{3,
	 {{"sexual_violence", 100, PS_VIOL}, {"violence", 40, PS_VIOL}},
	 {"ล่วงละเมิดทางเพศ", "ข่มขืนแรงงานหญิง"},
	 "လိင်ပိုင်းဆိုင်ရာ အကြမ်းဖက်",
	 "性暴力",
	 "Bạo lực tình dục",
	 "sexual violence against",
	 "Sexual assault at the workplace.",
	 IS_MEDICAL,
	 60,
	 0,
	 0,
	 0},
};

/* Names, in the script of each nationality. */
static const char *const my_syl[] = {
	"ကျော်", "ဇင်", "အောင်", "မြင့်", "သန်း", "ဝင်း",  "နိုင်",  "လှ", "ထွန်း", "စိုး",
	"မိုး",	"ခိုင်", "နွယ်",   "သီတာ", "ဖြူ",  "စန္ဒာ", "ဌေး", "ရီ", "မာ",  "ဆွေ"};
static const char *const my_pre[2][3] = {{"မ", "ဒေါ်", "မ"},
					 {"မောင်", "ကို", "ဦး"}};
static const char *const km_fam[] = {"សុខ", "ចាន់", "គឹម", "ហេង",
				     "ម៉ៅ", "សែម", "ប៉ុល", "ឡុង"};
static const char *const km_giv[2][6] = {
	{"ស្រីមុំ", "ចន្ធូ", "សុផល", "ស្រីនាង", "ធារី", "សុខា"},
	{"សុភា", "វណ្ណា", "រិទ្ធី", "ដារ៉ា", "សំណាង", "បូរ៉ា"}};
static const char *const lo_fam[] = {"ພົມມະຈັນ", "ສີຫາລາດ", "ແກ້ວມະນີ",
				     "ວົງສາ",   "ສຸລິຍະ",	 "ໄຊຍະວົງ"};
static const char *const lo_giv[2][5] = {
	{"ນ້ອຍ", "ແສງດາວ", "ບົວພັນ", "ຄຳແພງ", "ມະນີວອນ"},
	{"ສົມພອນ", "ບຸນມີ", "ຄຳພັນ", "ສີສະຫວາດ", "ທອງສຸກ"}};
static const char *const vi_fam[] = {"Nguyễn", "Trần", "Lê",   "Phạm",
				     "Hoàng",  "Vũ",   "Đặng", "Bùi"};
static const char *const vi_mid[2][2] = {{"Thị", "Ngọc"}, {"Văn", "Đức"}};
static const char *const vi_giv[2][6] = {
	{"Lan", "Hương", "Mai", "Hoa", "Thảo", "Linh"},
	{"Hùng", "Dũng", "Tuấn", "Nam", "Long", "Quang"}};

static const struct wstr source_kinds[] = {{"interview", 40},
					   {"document", 15},
					   {"media", 20},
					   {"official", 10},
					   {"ngo_report", 15}};
static const struct wstr reliabilities[] = {
	{"1", 3}, {"2", 10}, {"3", 35}, {"4", 37}, {"5", 15}};
static const struct wstr reasons[] = {
	{"No work permit", 35},
	{"Illegal entry", 30},
	{"Working outside the permitted province", 15},
	{"Expired documents", 15},
	{"No reason given", 5}};
static const struct wstr supports[] = {{"Transport home and food", 40},
				       {"Medical check and referral", 20},
				       {"Cash assistance and counselling", 25},
				       {"Family tracing", 15}};

/* ---- the generator ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n). */
static unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int chance(struct rng *r, unsigned pct)
{
	return below(r, 100) < pct;
}

static const char *pick_ws(struct rng *r, const struct wstr *v, size_t n)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < n && v[i].s; i++)
		total += v[i].w;
	if (!total)
		return NULL;
	x = below(r, total);
	for (i = 0; x >= v[i].w; i++)
		x -= v[i].w;
	return v[i].s;
}

#define PICK(r, arr) ((arr)[below((r), (unsigned)NELEM(arr))])

struct person {
	char key[16], name[160], birth[16], size[16], contact[32];
	const char *sex, *doc, *occ, *health;
	const struct sector *sec;
	int child;
};

struct event {
	const struct corridor *co;
	const struct place *pl;
	const struct kind *k;
	const char *org;
	long day; /* days since 1970-01-01 */
	int prec; /* 1 year, 2 month, 3 day */
	unsigned rows;
	struct person v;
	char key[24], title[CELL], summary[CELL], start[16], sdate[16];
	const char *skind, *srel;
};

struct gen {
	struct rng r;
	struct mrm_buf out;
	FILE *fp;
	unsigned long persons, groups, pending, flushed;
	struct person ring[NCORR][RING];
	unsigned ringn[NCORR];
	const char *f[NCOL];
	char cell[NCOL][CELL];
};

/* Format a day (days since 1970-01-01, >= 0) at precision 1-3. */
static void fmt_date(char *out, size_t size, long z, int prec)
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (prec == 1)
		snprintf(out, size, "%04ld", y);
	else if (prec == 2)
		snprintf(out, size, "%04ld-%02ld", y, m);
	else
		snprintf(out, size, "%04ld-%02ld-%02ld", y, m, d);
}

static const char *cellf(struct gen *g, enum col c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format into column c's cell and point the column at it. */
static const char *cellf(struct gen *g, enum col c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->cell[c], CELL, fmt, ap);
	va_end(ap);
	return g->f[c] = g->cell[c];
}

static void make_name(struct rng *r, struct person *p, int names, int male)
{
	const char *a, *b, *c;

	switch (names) {
	case N_MM:
		a = my_pre[male][below(r, 3)];
		b = PICK(r, my_syl);
		c = PICK(r, my_syl);
		snprintf(p->name, sizeof(p->name), "%s%s%s", a, b, c);
		break;
	case N_KH:
		snprintf(p->name, sizeof(p->name), "%s %s", PICK(r, km_fam),
			 PICK(r, km_giv[male]));
		break;
	case N_LA:
		a = PICK(r, lo_giv[male]);
		snprintf(p->name, sizeof(p->name), "%s %s", a, PICK(r, lo_fam));
		break;
	default:
		a = PICK(r, vi_fam);
		b = PICK(r, vi_mid[male]);
		snprintf(p->name, sizeof(p->name), "%s %s %s", a, b,
			 PICK(r, vi_giv[male]));
		break;
	}
}

/* The victim of an event: a group, a new person or (10%) one seen before. */
static void make_victim(struct gen *g, struct event *e)
{
	struct rng *r = &g->r;
	struct person *p = &e->v;
	size_t ci = (size_t)(e->co - corridors);
	unsigned sw[NELEM(sectors)], total = 0, x;
	size_t s;
	long age;
	int male;

	memset(p, 0, sizeof(*p));
	if (!e->k->child && g->ringn[ci] && chance(r, 10)) {
		*p = g->ring[ci][below(r, g->ringn[ci])];
		return;
	}
	for (s = 0; s < NELEM(sectors); s++)
		total += sw[s] = prof_sector[e->pl->prof][s];
	x = below(r, total);
	for (s = 0; x >= sw[s]; s++)
		x -= sw[s];
	if (e->k->fishing && chance(r, 75))
		s = 0;
	p->sec = &sectors[s];
	p->occ = p->sec->occ[below(r, 2)];
	p->doc = pick_ws(r, e->co->doc, NELEM(e->co->doc));
	if (!e->k->child && chance(r, 20)) {
		unsigned n =
			chance(r, 80) ? 2 + below(r, 14) : 16 + below(r, 135);

		snprintf(p->key, sizeof(p->key), "g-%06lu", ++g->groups);
		snprintf(p->size, sizeof(p->size), "%u", n);
		return;
	}
	snprintf(p->key, sizeof(p->key), "p-%06lu", ++g->persons);
	strcpy(p->size, "1");
	male = !chance(r, e->k->child ? 50 : p->sec->female);
	p->sex = male ? "male" : "female";
	make_name(r, p, e->co->names, male);
	p->child = e->k->child || chance(r, 3);
	age = e->k->child ? 2 + below(r, 15)
	      : p->child  ? 14 + below(r, 4)
			  : 18 + below(r, 38);
	fmt_date(p->birth, sizeof(p->birth),
		 e->day - age * 365 - (long)below(r, 365),
		 chance(r, 60) ? 3 : 1);
	if (chance(r, 20))
		snprintf(p->contact, sizeof(p->contact), "%s%u %03u %04u",
			 e->co->phone, below(r, 10), below(r, 1000),
			 below(r, 10000));
	x = below(r, 100);
	p->health = x < 2   ? "HIV positive; on ARV treatment"
		    : x < 3 ? "tuberculosis"
			    : NULL;
	if (!p->child) {
		g->ring[ci][g->ringn[ci] < RING ? g->ringn[ci]++
						: below(r, RING)] = *p;
	}
}

/* Start a row: the event, victim and (first row only) source columns. */
static void row_begin(struct gen *g, struct event *e, const char *type,
		      int perp)
{
	const struct person *v = &e->v;
	int group = v->sex == NULL;

	for (size_t i = 0; i < NCOL; i++)
		g->f[i] = "";
	g->f[C_EKEY] = e->key;
	g->f[C_EORG] = e->org;
	g->f[C_ETITLE] = e->title;
	if (!e->rows) {
		g->f[C_ESUM] = e->summary;
		g->f[C_ESTART] = e->start;
		g->f[C_ECOUNTRY] = orgs[e->co->dest].country;
		g->f[C_EADMIN1] = e->pl->admin1;
		g->f[C_EPLACE] = e->pl->name;
		g->f[C_ELAT] = e->pl->lat;
		g->f[C_ELON] = e->pl->lon;
		if (group)
			g->f[C_RAID] = v->size;
		g->f[C_SKIND] = e->skind;
		g->f[C_SREL] = e->srel;
		g->f[C_SDATE] = e->sdate;
	}
	g->f[C_ATYPE] = type;
	if (perp != PS_NONE)
		g->f[C_PTYPE] = pick_ws(&g->r, perp_sets[perp], 4);
	g->f[C_VKEY] = v->key;
	g->f[C_VUNIT] = group ? "group" : "individual";
	g->f[C_VSIZE] = v->size;
	g->f[C_VNAT] = orgs[e->co->origin].country;
	g->f[C_VDOC] = v->doc;
	g->f[C_VSECT] = v->sec->code;
	g->f[C_VOCC] = v->occ;
	if (!group) {
		g->f[C_VNAME] = v->name;
		g->f[C_VSEX] = v->sex;
		g->f[C_VBIRTH] = v->birth;
		g->f[C_VCHILD] = v->child ? "true" : "false";
		g->f[C_VCONTACT] = v->contact;
		if (v->health)
			g->f[C_VHEALTH] = v->health;
	}
}

static int flush(struct gen *g)
{
	if (g->out.len &&
	    fwrite(g->out.ptr, 1, g->out.len, g->fp) != g->out.len)
		return MRM_ERR_IO;
	mrm_buf_reset(&g->out);
	g->flushed += g->pending;
	g->pending = 0;
	return 0;
}

static int row_end(struct gen *g, struct event *e)
{
	int rc = mrm_csv_put_record(&g->out, g->f, NCOL);

	if (rc)
		return rc == MRM_ERR_LIMIT ? MRM_ERR_NOMEM : rc;
	e->rows++;
	g->pending++;
	return 0;
}

static void money(struct gen *g, enum col amount, enum col cur,
		  const char *currency, unsigned thb)
{
	/* Rough local equivalents of an amount in baht. */
	if (!strcmp(currency, "CNY"))
		cellf(g, amount, "%u", thb / 5 < 50 ? 50 : thb / 5);
	else if (!strcmp(currency, "VND"))
		cellf(g, amount, "%u", thb * 700);
	else
		cellf(g, amount, "%u.00", thb);
	g->f[cur] = currency;
}

static const char *authority(const char *cc, const char *perp)
{
	static const struct {
		const char *cc, *perp, *text;
	} t[] = {
		{"TH", "police", "Royal Thai Police (ตำรวจ)"},
		{"TH", "immigration",
		 "Immigration police (ตำรวจตรวจคนเข้าเมือง)"},
		{"TH", "military", "Joint task force (ทหาร)"},
		{"TH", "border_guard", "Border patrol police (ตชด.)"},
		{"CN", "police", "Public Security Bureau (公安局)"},
		{"CN", "immigration",
		 "Immigration Administration (移民管理局)"},
		{"CN", "border_guard", "Border police (边境管理大队)"},
		{"VN", "police", "Công an (police)"},
		{"VN", "border_guard", "Bộ đội Biên phòng (border guard)"},
	};

	for (size_t i = 0; perp && i < NELEM(t); i++)
		if (!strcmp(t[i].cc, cc) && !strcmp(t[i].perp, perp))
			return t[i].text;
	return "Local police";
}

/* One generic act row of type `type` starting on `day` (or no date). */
static int act_row(struct gen *g, struct event *e, const char *type, int perp,
		   long day)
{
	struct rng *r = &g->r;
	const char *cur = e->co->cur;
	int labour = !strcmp(type, "wage_theft") ||
		     !strcmp(type, "unlawful_deductions") ||
		     !strcmp(type, "debt_bondage") ||
		     !strcmp(type, "forced_labour");

	row_begin(g, e, type, perp);
	if (day >= 0 && labour) {
		fmt_date(g->cell[C_ASTART], CELL, day - 30 - below(r, 330), 3);
		g->f[C_ASTART] = g->cell[C_ASTART];
		fmt_date(g->cell[C_AEND], CELL, day, 3);
		g->f[C_AEND] = g->cell[C_AEND];
	} else if (day >= 0) {
		fmt_date(g->cell[C_ASTART], CELL, day, 3);
		g->f[C_ASTART] = g->cell[C_ASTART];
	}
	if (!strcmp(type, "arrest")) {
		g->f[C_AUTH] =
			authority(orgs[e->co->dest].country, g->f[C_PTYPE]);
		g->f[C_REASON] = pick_ws(r, reasons, NELEM(reasons));
		if (chance(r, 30)) {
			unsigned amt = 500u * (1 + below(r, 20));

			money(g, C_DEMAND, C_ACUR, cur, amt);
			if (chance(r, 50))
				money(g, C_PAID, C_ACUR, cur, amt / 2);
		}
	}
	if (e->rows == 0 && chance(r, e->k->ipct) && e->k->iset != IS_NONE) {
		g->f[C_ITYPE] = pick_ws(r, int_sets[e->k->iset], 4);
		g->f[C_IORG] = e->org;
		if (e->k->money && chance(r, 40))
			money(g, C_ICOMP, C_ICUR, cur,
			      1000u * (2 + below(r, 60)));
	}
	return row_end(g, e);
}

/* arrest - detention - deportation - return reception. */
static int add_sequence(struct gen *g, struct event *e)
{
	static const char *const ftypes[] = {"immigration_detention_centre",
					     "police_cell", "prison"};
	static const char *const fsuffix[] = {" immigration detention centre",
					      " police station",
					      " provincial prison"};
	struct rng *r = &g->r;
	unsigned x, len, ft;
	long end;
	int rc, still;

	if ((rc = act_row(g, e, "arrest", PS_ARREST, e->day)))
		return rc;
	if (g->f[C_DEMAND][0] && chance(r, 60) &&
	    (rc = act_row(g, e, "extortion", PS_STATE, e->day)))
		return rc;
	if (chance(r, 8))
		return 0; /* released after paying */
	x = below(r, 100);
	len = x < 70   ? 1 + below(r, 30)
	      : x < 90 ? 31 + below(r, 60)
	      : x < 97 ? 91 + below(r, 90)
		       : 181 + below(r, 365);
	end = e->day + (long)len;
	still = chance(r, 3);
	row_begin(g, e, "detention", PS_DETAIN);
	fmt_date(g->cell[C_ASTART], CELL, e->day, 3);
	g->f[C_ASTART] = g->cell[C_ASTART];
	if (!still) {
		fmt_date(g->cell[C_AEND], CELL, end, 3);
		g->f[C_AEND] = g->cell[C_AEND];
	}
	x = below(r, 100);
	ft = x < 65 ? 0 : x < 95 ? 1 : 2;
	g->f[C_FTYPE] = ftypes[ft];
	cellf(g, C_FNAME, "%s%s", e->pl->name, fsuffix[ft]);
	g->f[C_CONSUL] = chance(r, 25) ? "true" : "false";
	if ((rc = row_end(g, e)) || still)
		return rc;

	row_begin(g, e, "deportation", PS_DEPORT);
	fmt_date(g->cell[C_ASTART], CELL, end, 3);
	g->f[C_ASTART] = g->cell[C_ASTART];
	g->f[C_FORMAL] = chance(r, 70) ? "true" : "false";
	if (e->pl->cp && chance(r, 75))
		g->f[C_CHECK] = e->pl->cp;
	else
		g->f[C_CHECK] = pick_ws(r, e->co->cp, NELEM(e->co->cp));
	if (!g->f[C_CHECK])
		g->f[C_CHECK] = "";
	if (g->f[C_FORMAL][0] == 'f' || !g->f[C_CHECK][0])
		g->f[C_ROUTE] = e->co->route;
	if (g->f[C_FORMAL][0] == 't' && chance(r, 25))
		money(g, C_DCOST, C_DCUR, e->co->cur, 500);
	if ((rc = row_end(g, e)) || !chance(r, 70))
		return rc;

	row_begin(g, e, "return_reception", PS_NONE);
	fmt_date(g->cell[C_ASTART], CELL, end + below(r, 2), 3);
	g->f[C_ASTART] = g->cell[C_ASTART];
	g->f[C_RORG] = orgs[e->co->origin].code;
	g->f[C_RSUP] = pick_ws(r, supports, NELEM(supports));
	return row_end(g, e);
}

static int one_event(struct gen *g, unsigned long n)
{
	static const long first = 15340; /* 2012-01-01 */
	static const long span = 5113;	 /* to 2025-12-31 */
	struct rng *r = &g->r;
	struct event e;
	unsigned x, total = 0;
	size_t i;
	const char *local;
	int rc = 0;

	memset(&e, 0, sizeof(e));
	x = below(r, 1000);
	for (i = 0; x >= corridors[i].w && i + 1 < NCORR; i++)
		x -= corridors[i].w;
	e.co = &corridors[i];
	for (i = 0; i < NELEM(places); i++)
		total += places[i].w[e.co - corridors];
	x = below(r, total);
	for (i = 0; x >= places[i].w[e.co - corridors]; i++)
		x -= places[i].w[e.co - corridors];
	e.pl = &places[i];
	x = below(r, 1000);
	for (i = 0; x >= kinds[i].w && i + 1 < NELEM(kinds); i++)
		x -= kinds[i].w;
	e.k = &kinds[i];
	e.org = orgs[chance(r, 85) ? e.co->dest : e.co->origin].code;
	e.day = first + (long)below(r, (unsigned)span + 1);
	x = below(r, 100);
	e.prec = x < 85 ? 3 : x < 96 ? 2 : 1;
	fmt_date(e.start, sizeof(e.start), e.day, e.prec);
	snprintf(e.key, sizeof(e.key), "demo-%06lu", n);
	make_victim(g, &e);

	if (e.co->lang == L_ZH)
		local = e.k->zh;
	else if (e.co->lang == L_VI)
		local = e.k->vi;
	else
		local = e.k->th[below(r, 2)];
	if (e.co->names == N_MM && chance(r, 30))
		local = e.k->my;
	snprintf(e.title, sizeof(e.title), "%s — %s %s workers in %s", local,
		 e.k->en, e.co->demonym, e.pl->name);
	snprintf(e.summary, sizeof(e.summary),
		 "Synthetic demo record. %s Corridor %s to %s; %s.",
		 e.k->summary, orgs[e.co->origin].country,
		 orgs[e.co->dest].country, e.v.sec->code);
	e.skind = pick_ws(r, source_kinds, NELEM(source_kinds));
	e.srel = pick_ws(r, reliabilities, NELEM(reliabilities));
	fmt_date(e.sdate, sizeof(e.sdate), e.day + (long)below(r, 60), 3);

	if (e.k == &kinds[K_ADD])
		return add_sequence(g, &e);
	for (i = 0; !rc && i < NELEM(e.k->act) && e.k->act[i].type; i++) {
		long day = i ? e.day + (long)below(r, 30) : e.day;

		if (!chance(r, e.k->act[i].pct))
			continue;
		rc = act_row(g, &e, e.k->act[i].type, e.k->act[i].perp,
			     chance(r, 90) ? day : -1);
	}
	return rc;
}

const struct mrm_demo_org *mrm_demo_orgs(size_t *count)
{
	if (count)
		*count = NELEM(orgs);
	return orgs;
}

int mrm_demo_write_csv(FILE *out, unsigned long events, uint64_t seed,
		       unsigned long *acts_out,
		       void (*progress)(void *ctx, unsigned long done),
		       void *ctx, struct mrm_error *err)
{
	struct gen *g = NULL;
	uint64_t sm = seed;
	unsigned long n;
	int rc = 0;

	if (acts_out)
		*acts_out = 0;
	if (!out)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "demo data: no output file");
	g = calloc(1, sizeof(*g));
	if (!g) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (int i = 0; i < 4; i++)
		g->r.s[i] = splitmix64(&sm);
	mrm_buf_init(&g->out, BUF_MAX);
	g->fp = out;
	rc = mrm_csv_put_record(&g->out, header, NCOL);
	for (n = 1; !rc && n <= events; n++) {
		rc = one_event(g, n);
		if (!rc && g->out.len >= FLUSH_AT)
			rc = flush(g);
		if (!rc && progress && n % PROGRESS_EVERY == 0)
			progress(ctx, n);
	}
	if (!rc)
		rc = flush(g);
	if (!rc && fflush(out))
		rc = MRM_ERR_IO;
	if (!rc && progress)
		progress(ctx, events);
	if (rc == MRM_ERR_IO)
		mrm_error_set(err, rc, NULL, "demo data: writing failed");
	else if (rc)
		rc = mrm_error_set(err, MRM_ERR_NOMEM, NULL, "out of memory");
out:
	if (g) {
		if (acts_out)
			*acts_out = g->flushed;
		mrm_buf_release(&g->out);
		free(g);
	}
	return rc;
}
