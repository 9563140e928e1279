/* fields.c - see include/mrm/fields.h */
#include "mrm/fields.h"

#include "mrm/utf8.h"
#include "mrm/vocab.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define T(n, e, c)                                                             \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_TEXT, NULL, 0, 0                      \
	}
#define S(n, e, c)                                                             \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_SECRET, NULL, 0, 0                    \
	}
#define D(n, e, c)                                                             \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_DATE, NULL, 0, 0                      \
	}
#define V(n, e, c, s)                                                          \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_VOCAB, s, 0, 0                        \
	}
#define B(n, e, c)                                                             \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_BOOL, NULL, 0, 0                      \
	}
#define M(n, e, c, cur)                                                        \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_MONEY, cur, 0, 0                      \
	}
#define C(n, e, c)                                                             \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_CURRENCY, NULL, 0, 0                  \
	}
#define I(n, e, c, lo, hi)                                                     \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_INT, NULL, lo, hi                     \
	}
#define R(n, e, c, lo, hi)                                                     \
	{                                                                      \
		n, MRM_ENT_##e, c, MRM_F_REAL, NULL, lo, hi                    \
	}

const struct mrm_field mrm_fields[] = {
	{"event.key", MRM_ENT_EVENT, "key", MRM_F_TEXT, NULL, 0, 256},
	{"event.org", MRM_ENT_EVENT, "org_id", MRM_F_ORG, NULL, 0, 0},
	T("event.title", EVENT, "title"),
	T("event.summary", EVENT, "summary"),
	S("event.narrative", EVENT, "narrative"),
	D("event.start_date", EVENT, "start_date"),
	D("event.end_date", EVENT, "end_date"),
	V("event.country", EVENT, "country", "country"),
	V("event.admin1", EVENT, "admin1", "admin1"),
	T("event.district", EVENT, "district"),
	T("event.place", EVENT, "place"),
	R("event.latitude", EVENT, "latitude", -90, 90),
	R("event.longitude", EVENT, "longitude", -180, 180),
	T("event.status", EVENT, "status"),
	{"event.confidentiality", MRM_ENT_EVENT, "confidentiality", MRM_F_ENUM,
	 "public|restricted|confidential", 0, 0},

	V("act.type", ACT, "type", "act_type"),
	D("act.start_date", ACT, "start_date"),
	D("act.end_date", ACT, "end_date"),
	V("act.country", ACT, "country", "country"),
	V("act.admin1", ACT, "admin1", "admin1"),
	T("act.place", ACT, "place"),
	T("act.reason", ACT, "reason"),
	T("act.end_status", ACT, "end_status"),

	T("arrest.authority", ARREST, "authority"),
	T("arrest.reason_given", ARREST, "reason_given"),
	T("arrest.documents_held", ARREST, "documents_held"),
	M("arrest.money_demanded", ARREST, "money_demanded", "arrest.currency"),
	M("arrest.money_paid", ARREST, "money_paid", "arrest.currency"),
	C("arrest.currency", ARREST, "currency"),

	V("detention.facility_type", DETENTION, "facility_type",
	  "facility_type"),
	T("detention.facility_name", DETENTION, "facility_name"),
	B("detention.legal_counsel", DETENTION, "legal_counsel"),
	B("detention.consular_access", DETENTION, "consular_access"),
	T("detention.conditions", DETENTION, "conditions"),

	T("deportation.route", DEPORTATION, "route"),
	V("deportation.checkpoint", DEPORTATION, "checkpoint", "checkpoint"),
	B("deportation.formal", DEPORTATION, "formal"),
	T("deportation.handed_to", DEPORTATION, "handed_to"),
	M("deportation.cost", DEPORTATION, "cost", "deportation.currency"),
	C("deportation.currency", DEPORTATION, "currency"),

	T("return.receiving_org", RETURN, "receiving_org"),
	T("return.support", RETURN, "support"),

	V("perpetrator.type", PERPETRATOR, "type", "perpetrator_type"),
	T("perpetrator.name", PERPETRATOR, "name"),
	T("perpetrator.degree", PERPETRATOR, "degree"),

	{"victim.key", MRM_ENT_VICTIM, "key", MRM_F_TEXT, NULL, 0, 256},
	{"victim.unit", MRM_ENT_VICTIM, "unit", MRM_F_ENUM, "individual|group",
	 0, 0},
	I("victim.group_size", VICTIM, "group_size", 1, 10000000),
	S("victim.name", VICTIM, "name"),
	S("victim.other_names", VICTIM, "other_names"),
	V("victim.sex", VICTIM, "sex", "sex"),
	D("victim.birth_date", VICTIM, "birth_date"),
	V("victim.nationality", VICTIM, "nationality", "country"),
	T("victim.ethnicity", VICTIM, "ethnicity"),
	T("victim.languages", VICTIM, "languages"),
	V("victim.doc_status", VICTIM, "doc_status", "doc_status"),
	T("victim.occupation", VICTIM, "occupation"),
	V("victim.sector", VICTIM, "sector", "sector"),
	B("victim.child", VICTIM, "child"),
	/* a guardian's name can identify a child: sealed like the victim's */
	S("victim.guardian", VICTIM, "guardian"),
	S("victim.contact", VICTIM, "contact"),
	S("victim.health", VICTIM, "health"),

	V("source.kind", SOURCE, "kind", "source_kind"),
	T("source.name", SOURCE, "name"),
	T("source.url", SOURCE, "url"),
	I("source.reliability", SOURCE, "reliability", 1, 5),
	D("source.date", SOURCE, "date"),
	T("source.language", SOURCE, "language"),

	V("intervention.type", INTERVENTION, "type", "intervention_type"),
	T("intervention.org", INTERVENTION, "org"),
	D("intervention.start_date", INTERVENTION, "start_date"),
	D("intervention.end_date", INTERVENTION, "end_date"),
	T("intervention.response", INTERVENTION, "response"),
	T("intervention.status", INTERVENTION, "status"),
	M("intervention.compensation", INTERVENTION, "compensation",
	  "intervention.currency"),
	C("intervention.currency", INTERVENTION, "currency"),
};

const size_t mrm_field_count = sizeof(mrm_fields) / sizeof(mrm_fields[0]);

const enum mrm_entity mrm_act_parts[] = {MRM_ENT_ARREST, MRM_ENT_DETENTION,
					 MRM_ENT_DEPORTATION, MRM_ENT_RETURN,
					 MRM_ENT_PERPETRATOR};
const size_t mrm_act_nparts = sizeof(mrm_act_parts) / sizeof(mrm_act_parts[0]);

static const struct {
	const char *table, *prefix;
} entities[MRM_ENT_COUNT] = {
	[MRM_ENT_EVENT] = {"event", "event"},
	[MRM_ENT_ACT] = {"act", "act"},
	[MRM_ENT_ARREST] = {"act_arrest", "arrest"},
	[MRM_ENT_DETENTION] = {"act_detention", "detention"},
	[MRM_ENT_DEPORTATION] = {"act_deportation", "deportation"},
	[MRM_ENT_RETURN] = {"act_return", "return"},
	[MRM_ENT_PERPETRATOR] = {"involvement", "perpetrator"},
	[MRM_ENT_VICTIM] = {"person", "victim"},
	[MRM_ENT_SOURCE] = {"source", "source"},
	[MRM_ENT_INTERVENTION] = {"intervention", "intervention"},
};

const char *mrm_entity_table(enum mrm_entity ent)
{
	return entities[ent].table;
}

const char *mrm_entity_prefix(enum mrm_entity ent)
{
	return entities[ent].prefix;
}

/* Field indexes sorted by name, built once, for binary search: the import
 * looks fields up by name on every row. */
static unsigned char by_name[sizeof(mrm_fields) / sizeof(mrm_fields[0])];
static pthread_once_t by_name_once = PTHREAD_ONCE_INIT;

static int by_name_order(const void *a, const void *b)
{
	return strcmp(mrm_fields[*(const unsigned char *)a].name,
		      mrm_fields[*(const unsigned char *)b].name);
}

static void by_name_build(void)
{
	for (size_t i = 0; i < mrm_field_count; i++)
		by_name[i] = (unsigned char)i;
	qsort(by_name, mrm_field_count, 1, by_name_order);
}

int mrm_field_index(const char *name)
{
	size_t lo = 0, hi = mrm_field_count;

	pthread_once(&by_name_once, by_name_build);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, mrm_fields[by_name[mid]].name);

		if (!c)
			return by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int mrm_field_is_attr(const char *name)
{
	const char *p;

	if (strncmp(name, "attr.", 5) || !name[5] || strlen(name) > 64)
		return 0;
	for (p = name + 5; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return 0;
	return 1;
}

void mrm_field_suggest(const char *name, char *out, size_t size)
{
	size_t best[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
	int idx[3] = {-1, -1, -1};

	for (size_t i = 0; i < mrm_field_count; i++) {
		size_t d = mrm_utf8_distance(name, mrm_fields[i].name);

		for (int k = 0; k < 3; k++) {
			if (d < best[k]) {
				for (int j = 2; j > k; j--) {
					best[j] = best[j - 1];
					idx[j] = idx[j - 1];
				}
				best[k] = d;
				idx[k] = (int)i;
				break;
			}
		}
	}
	snprintf(out, size, "%s, %s, %s", mrm_fields[idx[0]].name,
		 mrm_fields[idx[1]].name, mrm_fields[idx[2]].name);
}

static const struct {
	const char code[4];
	int digits;
} currencies[] = {
	{"AUD", 2}, {"BDT", 2}, {"CNY", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2},
	{"IDR", 2}, {"INR", 2}, {"JPY", 0}, {"KHR", 2}, {"KRW", 0}, {"LAK", 2},
	{"MMK", 2}, {"MYR", 2}, {"NPR", 2}, {"PHP", 2}, {"SGD", 2}, {"THB", 2},
	{"TWD", 2}, {"USD", 2}, {"VND", 0},
};

int mrm_currency_digits(const char *code)
{
	for (size_t i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++)
		if (!strcmp(currencies[i].code, code))
			return currencies[i].digits;
	return -1;
}

void mrm_money_format(int64_t minor, const char *currency, char *out,
		      size_t size)
{
	int digits = mrm_currency_digits(currency);
	int64_t scale = 1;
	uint64_t mag =
		minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;

	for (int i = 0; i < digits; i++)
		scale *= 10;
	if (digits <= 0)
		snprintf(out, size, "%s%llu", minor < 0 ? "-" : "",
			 (unsigned long long)mag);
	else
		snprintf(out, size, "%s%llu.%0*llu", minor < 0 ? "-" : "",
			 (unsigned long long)(mag / (uint64_t)scale),
			 digits & 7,
			 (unsigned long long)(mag % (uint64_t)scale));
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int date_emit(int y, int m, int d, int prec, struct mrm_buf *out,
		     struct mrm_error *err)
{
	if (y < 1900 || y > 2100)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "year %d is out of range (1900-2100)", y);
	if (prec >= 2 && (m < 1 || m > 12))
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "month %d is out of range (1-12)", m);
	if (prec == 3 && (d < 1 || d > days_in_month(y, m)))
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "day %d does not exist in %04d-%02d", d, y,
				     m);
	{
		/* by hand: this runs for every date of every imported row */
		char iso[10] = {(char)('0' + y / 1000),
				(char)('0' + y / 100 % 10),
				(char)('0' + y / 10 % 10),
				(char)('0' + y % 10),
				'-',
				(char)('0' + m / 10),
				(char)('0' + m % 10),
				'-',
				(char)('0' + d / 10),
				(char)('0' + d % 10)};

		return mrm_buf_add(out, iso,
				   prec == 1   ? 4
				   : prec == 2 ? 7
					       : 10);
	}
}

/* Read 1..maxd digits. */
static const char *digits(const char *s, int maxd, int *val)
{
	int n = 0, v = 0;

	while (n < maxd && isdigit((unsigned char)s[n]))
		v = v * 10 + (s[n++] - '0');
	*val = v;
	return n ? s + n : NULL;
}

static int parse_iso_date(const char *s, struct mrm_buf *out,
			  struct mrm_error *err)
{
	int y = 0, m = 0, d = 0, prec = 1;
	const char *p = s;

	if (strlen(s) >= 4 && isdigit((unsigned char)s[0]))
		p = digits(s, 4, &y);
	if (p && p - s == 4 && *p == '-') {
		p = digits(p + 1, 2, &m);
		prec = 2;
		if (p && *p == '-') {
			p = digits(p + 1, 2, &d);
			prec = 3;
		}
	}
	if (!p || p - s != (prec == 1 ? 4 : prec == 2 ? 7 : 10) || *p)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "bad date \"%s\": expected YYYY-MM-DD, "
				     "YYYY-MM or YYYY",
				     s);
	return date_emit(y, m, d, prec, out, err);
}

static const char *const month_names[] = {
	"january", "february", "march",	    "april",   "may",	   "june",
	"july",	   "august",   "september", "october", "november", "december"};

static const char *month_name(const char *s, int abbrev, int *m)
{
	for (int i = 0; i < 12; i++) {
		size_t n = abbrev ? 3 : strlen(month_names[i]);

		if (!strncasecmp(s, month_names[i], n)) {
			*m = i + 1;
			return s + n;
		}
	}
	return NULL;
}

int mrm_date_parse_format(const char *s, const char *format,
			  const char *precision, struct mrm_buf *out,
			  struct mrm_error *err)
{
	int y = 0, m = 1, d = 1, prec;
	const char *p = s, *f;

	prec = !strcmp(precision, "day")     ? 3
	       : !strcmp(precision, "month") ? 2
	       : !strcmp(precision, "year")  ? 1
					     : 0;
	if (!prec)
		return mrm_error_set(
			err, MRM_ERR_INVALID, NULL,
			"precision \"%s\" must be day, month or year",
			precision);
	for (f = format; *f && p; f++) {
		if (*f != '%') {
			p = (*p == *f) ? p + 1 : NULL;
			continue;
		}
		switch (*++f) {
		case 'Y': p = digits(p, 4, &y); break;
		case 'm': p = digits(p, 2, &m); break;
		case 'd':
		case 'e':
			while (*f == 'e' && *p == ' ')
				p++;
			p = digits(p, 2, &d);
			break;
		case 'B': p = month_name(p, 0, &m); break;
		case 'b': p = month_name(p, 1, &m); break;
		case '%': p = (*p == '%') ? p + 1 : NULL; break;
		default:
			return mrm_error_set(
				err, MRM_ERR_INVALID, NULL,
				"date format \"%s\": unsupported %%%c", format,
				*f ? *f : ' ');
		}
		if (!*f)
			break;
	}
	if (!p || *p || *f)
		return mrm_error_set(
			err, MRM_ERR_INVALID, NULL,
			"bad date \"%s\": does not match the format "
			"\"%s\"",
			s, format);
	return date_emit(y, m, d, prec, out, err);
}

static int parse_number(const struct mrm_field *f, const char *s,
			struct mrm_buf *out, struct mrm_error *err)
{
	char *end;
	double v;

	errno = 0;
	if (f->type == MRM_F_INT) {
		long long n = strtoll(s, &end, 10);

		if (*end || errno || end == s)
			return mrm_error_set(err, MRM_ERR_INVALID, NULL,
					     "\"%s\" is not a whole number", s);
		if ((double)n < f->min || (double)n > f->max)
			return mrm_error_set(
				err, MRM_ERR_INVALID, NULL,
				"%lld is out of range (%.0f to %.0f)", n,
				f->min, f->max);
		return mrm_buf_addf(out, "%lld", n);
	}
	v = strtod(s, &end);
	if (*end || errno || end == s || !isfinite(v))
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "\"%s\" is not a number", s);
	if (v < f->min || v > f->max)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "%s is out of range (%g to %g)", s, f->min,
				     f->max);
	return mrm_buf_addf(out, "%.9g", v);
}

/* "1,500.50" -> minor units with `dig` digits, exact (no floating point). */
static int parse_money(const char *s, const char *currency, struct mrm_buf *out,
		       struct mrm_error *err)
{
	int dig = currency ? mrm_currency_digits(currency) : -1;
	unsigned long long whole = 0, frac = 0;
	int neg = 0, nfrac = -1;
	const char *p = s;

	if (!currency)
		return mrm_error_set(err, MRM_ERR_INVALID, NULL,
				     "amount \"%s\" has no currency: fill the "
				     "matching *.currency column (ISO 4217, "
				     "e.g. THB)",
				     s);
	if (*p == '-')
		neg = 1, p++;
	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; *p; p++) {
		if (*p == ',' && nfrac < 0)
			continue;
		if (*p == '.' && nfrac < 0) {
			nfrac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			goto bad;
		if (nfrac < 0) {
			if (whole > 100000000000000ULL)
				return mrm_error_set(
					err, MRM_ERR_INVALID, NULL,
					"amount \"%s\" is too large", s);
			whole = whole * 10 + (unsigned)(*p - '0');
		} else if (++nfrac <= dig) {
			frac = frac * 10 + (unsigned)(*p - '0');
		} else if (*p != '0') {
			return mrm_error_set(
				err, MRM_ERR_INVALID, NULL,
				"amount \"%s\" has more decimals than "
				"%s allows (%d)",
				s, currency, dig);
		}
	}
	for (int i = nfrac < 0 ? 0 : nfrac; i < dig; i++)
		frac *= 10;
	for (int i = 0; i < dig; i++)
		whole *= 10;
	return mrm_buf_addf(out, "%s%llu", neg ? "-" : "", whole + frac);
bad:
	return mrm_error_set(err, MRM_ERR_INVALID, NULL,
			     "\"%s\" is not an amount (write it like 1500.50)",
			     s);
}

static int parse_bool(const char *s, struct mrm_buf *out, struct mrm_error *err)
{
	static const char *const yes[] = {"true", "yes", "1", "y"};
	static const char *const no[] = {"false", "no", "0", "n"};

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return mrm_buf_addc(out, '1');
		if (!strcasecmp(s, no[i]))
			return mrm_buf_addc(out, '0');
	}
	return mrm_error_set(err, MRM_ERR_INVALID, NULL,
			     "\"%s\" is not true or false (also yes/no, 1/0)",
			     s);
}

static int parse_enum(const struct mrm_field *f, const char *s,
		      struct mrm_buf *out, struct mrm_error *err)
{
	size_t n = strlen(s);

	for (const char *w = f->aux; *w;) {
		size_t len = strcspn(w, "|");

		if (len == n && !strncasecmp(w, s, n))
			return mrm_buf_add(out, w, len);
		w += len + (w[len] == '|');
	}
	return mrm_error_set(err, MRM_ERR_INVALID, NULL,
			     "\"%s\" is not one of: %s", s, f->aux);
}

static int parse_vocab(const struct mrm_field *f, const char *s,
		       const struct mrm_vocab *vocab, struct mrm_buf *out,
		       struct mrm_error *err)
{
	char near[256];
	const char *code = mrm_vocab_resolve(vocab, f->aux, s);

	if (code)
		return mrm_buf_adds(out, code);
	mrm_vocab_suggest(vocab, f->aux, s, near, sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, NULL,
			     "unknown %s \"%s\"; closest valid terms: %s",
			     f->aux, s, near);
}

static int normalise(const struct mrm_field *f, const char *raw,
		     const char *currency, const struct mrm_vocab *vocab,
		     struct mrm_buf *out, struct mrm_error *err)
{
	switch (f->type) {
	case MRM_F_TEXT:
		if (f->max > 0 && (double)strlen(raw) > f->max)
			return mrm_error_set(err, MRM_ERR_INVALID, NULL,
					     "longer than %.0f bytes", f->max);
		return mrm_buf_adds(out, raw);
	case MRM_F_SECRET:
	case MRM_F_ORG: return mrm_buf_adds(out, raw);
	case MRM_F_DATE: return parse_iso_date(raw, out, err);
	case MRM_F_INT:
	case MRM_F_REAL: return parse_number(f, raw, out, err);
	case MRM_F_BOOL: return parse_bool(raw, out, err);
	case MRM_F_MONEY: return parse_money(raw, currency, out, err);
	case MRM_F_CURRENCY: {
		char up[4];

		for (size_t i = 0; i < 3 && raw[i]; i++)
			up[i] = (char)toupper((unsigned char)raw[i]);
		up[3] = '\0';
		if (strlen(raw) != 3 || mrm_currency_digits(up) < 0)
			return mrm_error_set(
				err, MRM_ERR_INVALID, NULL,
				"unknown currency \"%s\" (ISO 4217, "
				"e.g. THB, MMK, KHR, LAK, VND, CNY, "
				"USD)",
				raw);
		return mrm_buf_adds(out, up);
	}
	case MRM_F_VOCAB: return parse_vocab(f, raw, vocab, out, err);
	case MRM_F_ENUM: return parse_enum(f, raw, out, err);
	}
	return mrm_error_set(err, MRM_ERR_INVALID, NULL,
			     "%s has an unknown type", f->name);
}

int mrm_field_normalise(const struct mrm_field *f, const char *raw,
			const char *currency, const struct mrm_vocab *vocab,
			struct mrm_buf *out, struct mrm_error *err)
{
	size_t room = out->max - out->len;
	int rc = normalise(f, raw, currency, vocab, out, err);

	/* the parsers fill err for bad values; `out` failing is ours */
	if (rc == MRM_ERR_LIMIT)
		mrm_error_set(err, rc, NULL, "value longer than %zu bytes",
			      room);
	else if (rc == MRM_ERR_NOMEM)
		mrm_error_set(err, rc, NULL, "out of memory");
	return rc;
}
