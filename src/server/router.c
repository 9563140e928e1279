/*
 * router.c - the API's routes: method and path pattern to handler, with
 * what the OpenAPI description says of each, so that the description is
 * made from the very table that routes requests and cannot drift from it.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#define P_END                                                                  \
	{                                                                      \
		NULL, NULL, 0, NULL                                            \
	}
#define P_CURSOR                                                               \
	{"cursor", "query", 0,                                                 \
	 "the next_cursor of the previous page (absent: the first page)"},     \
	{                                                                      \
		"limit", "query", SRV_P_INT, "items per page, 1-500 (50)"      \
	}

static const struct srv_param p_none[] = {P_END};
static const struct srv_param p_events[] = {
	{"q", "query", 0, "public text (title, summary, place) contains"},
	{"country", "query", 0, "country code or label"},
	{"act_type", "query", 0, "act type (with the types under it)"},
	{"from", "query", 0, "ISO date at any precision (YYYY, YYYY-MM, ...)"},
	{"to", "query", 0, "ISO date at any precision"},
	P_CURSOR,
	P_END};
#define P_IDENTITIES                                                           \
	{                                                                      \
		"identities", "query", 0,                                      \
			"1: names, contacts and health too, for those who "    \
			"may read them (each read audited); 0 or absent: none" \
	}
static const struct srv_param p_event[] = {
	{"id", "path", SRV_P_REQUIRED | SRV_P_INT, "event id"},
	P_IDENTITIES,
	P_END};
static const struct srv_param p_persons[] = {P_IDENTITIES, P_CURSOR, P_END};
static const struct srv_param p_user[] = {
	{"id", "path", SRV_P_REQUIRED | SRV_P_INT, "user id"}, P_END};
static const struct srv_param p_audit[] = {
	{"since", "query", 0, "from this UTC date or date-time (inclusive)"},
	{"until", "query", 0, "to this UTC date or date-time (inclusive)"},
	{"user", "query", 0, "the actor: a login, or cli:NAME"},
	{"table", "query", 0, "the record's table (event, person, ...)"},
	{"record", "query", SRV_P_INT, "the record's id"},
	{"action", "query", 0, "create, import, export, decrypt, login, ..."},
	P_CURSOR,
	P_END};
static const struct srv_param p_vocab[] = {
	{"scheme", "path", SRV_P_REQUIRED, "vocabulary (act_type, country...)"},
	{"lang", "query", 0, "label language: en th my km lo vi zh (en)"},
	P_END};
static const struct srv_param p_search[] = {
	{"q", "query", SRV_P_REQUIRED, "text to find (matched literally)"},
	{"country", "query", 0, "country code or label"},
	{"act_type", "query", 0, "act type (with the types under it)"},
	{"from", "query", 0, "ISO date at any precision (YYYY, YYYY-MM, ...)"},
	{"to", "query", 0, "ISO date at any precision"},
	P_CURSOR,
	P_END};
static const struct srv_param p_stats[] = {
	{"measure", "query", SRV_P_REQUIRED, "events, acts, persons, ..."},
	{"by", "query", 0, "up to three dimensions: D1[,D2[,D3]]"},
	{"where", "query", SRV_P_REPEAT, "DIM=V1,V2 (repeatable, AND)"},
	{"from", "query", 0, "ISO date at any precision"},
	{"to", "query", 0, "ISO date at any precision"},
	{"as_of", "query", 0, "count open detentions up to this date"},
	{"public", "query", 0, "1: disclosure control (viewers must)"},
	{"k", "query", SRV_P_INT, "disclosure threshold, 2-1000 (5)"},
	P_END};
static const struct srv_param p_report[] = {
	{"template", "path", SRV_P_REQUIRED, "report template"},
	{"lang", "query", 0, "en, th or my (en)"},
	{"public", "query", 0, "1: disclosure control (viewers must)"},
	{"k", "query", SRV_P_INT, "disclosure threshold, 2-1000 (5)"},
	{"from", "query", 0, "ISO date at any precision"},
	{"to", "query", 0, "ISO date at any precision"},
	{"policy", "query", 0, "policy-impact: the policy's key (required)"},
	{"window", "query", SRV_P_INT, "policy-impact: months each side (12)"},
	{"at", "query", 0, "policy-impact: compare around this date"},
	{"by", "query", 0, "policy-impact: act_type (default) or nationality"},
	{"country", "query", 0, "policy-impact: where the acts happened"},
	P_END};
static const struct srv_param p_import[] = {
	{"what", "query", 0,
	 "events (default), wages or recruitment (docs/wages.md)"},
	{"mapping", "query", 0,
	 "events: a shipped mapping (absent: native columns)"},
	P_END};
static const struct srv_param p_export[] = {
	{"format", "query", 0, "json (default) or csv"},
	{"what", "query", 0,
	 "CSV: acts (default), events, persons, organisations"},
	P_END};
static const struct srv_param p_ref[] = {
	{"table", "path", SRV_P_REQUIRED, "minimum-wage, living-wage, ..."},
	{"country", "query", 0, "ISO 3166-1 code: rows about that country"},
	{"on", "query", 0, "rows in force on this date (any precision)"},
	P_END};
static const struct srv_param p_labour[] = {
	{"event", "query", SRV_P_INT,
	 "an event id (absent: the organisation's)"},
	P_END};

static const struct srv_param p_policies[] = {
	{"country", "query", 0,
	 "country code or label, or ASEAN or CLMTV (with its groupings)"},
	P_END};
static const struct srv_param p_policy[] = {
	{"key", "path", SRV_P_REQUIRED, "policy key"}, P_END};
static const struct srv_param p_policy_impact[] = {
	{"key", "path", SRV_P_REQUIRED, "policy key"},
	{"window", "query", SRV_P_INT, "months on each side, 1-120 (12)"},
	{"at", "query", 0, "compare around this date (default: the policy's)"},
	{"by", "query", 0, "act_type (default) or nationality"},
	{"country", "query", 0, "where the acts happened; any: anywhere"},
	{"public", "query", 0, "1: disclosure control (viewers must)"},
	{"k", "query", SRV_P_INT, "disclosure threshold, 2-1000 (5)"},
	{"format", "query", 0, "json (default) or html (the report)"},
	{"lang", "query", 0, "html: label language (en)"},
	P_END};
static const struct srv_param p_event_policy[] = {
	{"id", "path", SRV_P_REQUIRED | SRV_P_INT, "event id"},
	{"key", "path", SRV_P_REQUIRED, "policy key"},
	P_END};

#define S(...)                                                                 \
	(const unsigned[])                                                     \
	{                                                                      \
		__VA_ARGS__, 0                                                 \
	}
#define JSON "application/json"

const struct srv_route srv_routes[] = {
	{"POST", "/api/v1/session", api_session_create,
	 SRV_PUBLIC | SRV_JSON_BODY | SRV_NO_CSRF,
	 "log in: a session cookie and its CSRF token", p_none,
	 S(200, 400, 401, 413, 415, 429), JSON},
	{"DELETE", "/api/v1/session", api_session_delete, 0, "log out", p_none,
	 S(204, 400, 401, 403), NULL},
	{"GET", "/api/v1/me", api_me, 0, "who is logged in", p_none,
	 S(200, 401), JSON},
	{"GET", "/api/v1/events", api_events_list, 0,
	 "events the user may read, newest first", p_events,
	 S(200, 400, 401, 403), JSON},
	{"POST", "/api/v1/events", api_event_create, SRV_JSON_BODY,
	 "create an event (only title is required)", p_none,
	 S(201, 400, 401, 403, 409, 413, 415), JSON},
	{"GET", "/api/v1/events/{id}", api_event_get, 0,
	 "one event (identities only when asked for; header MRM-Identities: "
	 "included, withheld or none)",
	 p_event, S(200, 400, 401, 403, 404), JSON},
	{"GET", "/api/v1/persons", api_persons_list, 0,
	 "victims recorded by the organisation", p_persons,
	 S(200, 400, 401, 403), JSON},
	{"GET", "/api/v1/organisations", api_orgs_list, 0, "organisations",
	 p_none, S(200, 401), JSON},
	{"POST", "/api/v1/organisations", api_org_add, SRV_JSON_BODY,
	 "add an organisation (code, name, country)", p_none,
	 S(201, 400, 401, 403, 409, 413, 415), JSON},
	{"GET", "/api/v1/users", api_users_list, 0, "users", p_none,
	 S(200, 401, 403), JSON},
	{"POST", "/api/v1/users", api_user_add, SRV_JSON_BODY,
	 "add a user (login, role, password, org)", p_none,
	 S(201, 400, 401, 403, 409, 413, 415), JSON},
	{"GET", "/api/v1/vocab/{scheme}", api_vocab_get, 0,
	 "terms of a vocabulary", p_vocab, S(200, 400, 401, 404), JSON},
	{"GET", "/api/v1/search", api_search, 0,
	 "events whose public text contains q", p_search, S(200, 400, 401, 403),
	 JSON},
	{"GET", "/api/v1/stats", api_stats, 0,
	 "statistics: a measure by up to three dimensions", p_stats,
	 S(200, 400, 401, 403), JSON},
	{"GET", "/api/v1/reports", api_reports_list, 0,
	 "report templates and languages", p_none, S(200, 401), JSON},
	{"GET", "/api/v1/reports/{template}", api_report_get, 0,
	 "an HTML report", p_report, S(200, 400, 401, 403, 404), "text/html"},
	{"POST", "/api/v1/import", api_import, SRV_CSV_BODY,
	 "import CSV, all or nothing", p_import,
	 S(200, 400, 401, 403, 413, 415, 422), JSON},
	{"GET", "/api/v1/export", api_export, 0,
	 "export the organisation's records (no row cap)", p_export,
	 S(200, 400, 401, 403), "application/json, text/csv"},
	{"POST", "/api/v1/portability", api_portability, SRV_JSON_BODY,
	 "old-age benefits across borders: {periods: [{country, from, to, "
	 "wage, currency?, scheme?}], birth_year?, claim_date?, switches?}",
	 p_none, S(200, 400, 401, 403, 413, 415), JSON},
	{"GET", "/api/v1/welfare", api_welfare, 0,
	 "social security by country and branch, each cell with its source",
	 p_none, S(200, 401), JSON},
	{"GET", "/api/v1/audit", api_audit_list, 0,
	 "the audit log, newest first (administrators)", p_audit,
	 S(200, 400, 401, 403), JSON},
	{"GET", "/api/v1/openapi.json", api_openapi, SRV_PUBLIC,
	 "this description", p_none, S(200), JSON},
	{"GET", "/api/v1/policies", api_policies_list, 0,
	 "the policy register (with source and dates)", p_policies,
	 S(200, 400, 401), JSON},
	{"POST", "/api/v1/policies", api_policy_add, SRV_JSON_BODY,
	 "add a policy (coordinators and admins)", p_none,
	 S(201, 400, 401, 403, 409, 413, 415), JSON},
	{"GET", "/api/v1/policies/{key}", api_policy_get, 0,
	 "one policy and the events linked to it that the user may read",
	 p_policy, S(200, 401, 404), JSON},
	{"GET", "/api/v1/policies/{key}/impact", api_policy_impact, 0,
	 "the policy on the ground: acts and persons before and after",
	 p_policy_impact, S(200, 400, 401, 403, 404),
	 "application/json, text/html"},
	{"GET", "/api/v1/events/{id}/policies", api_event_policies, 0,
	 "the policies an event is linked to", p_event,
	 S(200, 400, 401, 403, 404), JSON},
	{"POST", "/api/v1/events/{id}/policies", api_event_policy_link,
	 SRV_JSON_BODY, "link the event to a policy ({\"policy\": KEY})",
	 p_event, S(201, 400, 401, 403, 404, 413, 415), JSON},
	{"DELETE", "/api/v1/events/{id}/policies/{key}",
	 api_event_policy_unlink, 0, "unlink the event from a policy",
	 p_event_policy, S(200, 400, 401, 403, 404), JSON},
	{"POST", "/api/v1/me/totp", api_me_totp_begin, SRV_JSON_BODY,
	 "begin two-factor enrolment (password): a new secret and its "
	 "otpauth URI",
	 p_none, S(200, 400, 401, 403, 413, 415), JSON},
	{"POST", "/api/v1/me/totp/confirm", api_me_totp_confirm, SRV_JSON_BODY,
	 "confirm two-factor enrolment with a code of the new secret", p_none,
	 S(200, 400, 401, 403, 413, 415), JSON},
	{"PUT", "/api/v1/me/password", api_me_password, SRV_JSON_BODY,
	 "change the password (old_password, password); other sessions end",
	 p_none, S(204, 400, 401, 403, 413, 415), NULL},
	{"DELETE", "/api/v1/me/sessions", api_me_sessions_delete, 0,
	 "log out everywhere: end all the user's sessions", p_none,
	 S(200, 401, 403), JSON},
	{"POST", "/api/v1/users/{id}/revoke", api_user_revoke, 0,
	 "end all sessions of a user of the administrator's organisation",
	 p_user, S(200, 400, 401, 403, 404), JSON},
	{"POST", "/api/v1/users/{id}/disable", api_user_disable, 0,
	 "disable a user of the administrator's organisation (no login; "
	 "sessions and tokens end)",
	 p_user, S(200, 400, 401, 403, 404), JSON},
	{"POST", "/api/v1/users/{id}/enable", api_user_enable, 0,
	 "enable a disabled user of the administrator's organisation", p_user,
	 S(200, 400, 401, 403, 404), JSON},
	{"DELETE", "/api/v1/me/totp", api_me_totp_delete, SRV_JSON_BODY,
	 "turn two-factor login off (needs the password)", p_none,
	 S(200, 400, 401, 403, 413, 415), JSON},
	{"GET", "/api/v1/ref", api_ref_list, 0,
	 "reference tables (wages, fee caps, rates) with their date spans",
	 p_none, S(200, 401), JSON},
	{"GET", "/api/v1/ref/{table}", api_ref_get, 0,
	 "rows of a reference table, each with source and dates", p_ref,
	 S(200, 400, 401, 404), JSON},
	{"GET", "/api/v1/wages", api_wages_list, 0,
	 "wage records with minimum, wages owed and living-wage gap", p_labour,
	 S(200, 400, 401, 403, 404), JSON},
	{"GET", "/api/v1/recruitment", api_recruitment_list, 0,
	 "recruitment costs with their burden and the legal cap", p_labour,
	 S(200, 400, 401, 403, 404), JSON},
};

const size_t srv_nroutes = sizeof(srv_routes) / sizeof(srv_routes[0]);

/* Does `path` (a copy we may cut) match `pattern`? args point into it. */
static int match(const char *pattern, char *path, char *args[SRV_ARGS_MAX])
{
	int nargs = 0;

	while (*pattern && *path) {
		const char *pe = strchr(pattern + 1, '/');
		char *e = strchr(path + 1, '/');
		size_t plen = pe ? (size_t)(pe - pattern) : strlen(pattern);
		size_t len = e ? (size_t)(e - path) : strlen(path);

		if (pattern[1] == '{') {
			if (len < 2 || nargs == SRV_ARGS_MAX)
				return 0;
			args[nargs++] = path + 1;
		} else if (plen != len || strncmp(pattern, path, len)) {
			return 0;
		}
		pattern += plen;
		path += len;
	}
	if (*pattern || *path)
		return 0;
	/* cut the arguments apart only once the whole path matched */
	for (int i = 0; i < nargs; i++) {
		char *e = strchr(args[i], '/');

		if (e)
			*e = 0;
	}
	return 1;
}

const struct srv_route *srv_route_find(const char *method, const char *path,
				       char **copy, char *args[SRV_ARGS_MAX],
				       unsigned *status, char *allow,
				       size_t allow_size)
{
	const struct srv_route *found = NULL;
	size_t used = 0;

	*status = 404;
	*copy = NULL;
	allow[0] = 0;
	for (size_t i = 0; i < srv_nroutes; i++) {
		const struct srv_route *rt = &srv_routes[i];
		char *a[SRV_ARGS_MAX] = {NULL}, *p = strdup(path);

		if (!p) {
			*status = 500;
			break;
		}
		if (!match(rt->path, p, a)) {
			free(p);
			continue;
		}
		if (!found && !strcmp(rt->method, method)) {
			found = rt;
			*copy = p;
			memcpy(args, a, sizeof(a));
			continue;
		}
		free(p);
		*status = 405;
		if (used < allow_size)
			used += (size_t)snprintf(allow + used,
						 allow_size - used, "%s%s",
						 used ? ", " : "", rt->method);
	}
	if (found)
		*status = 0;
	else if (*copy) {
		free(*copy);
		*copy = NULL;
	}
	return found;
}

/* ---- OpenAPI ---- */

static const char *reason(unsigned status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content (done)";
	case 400: return "bad input: the error says which field and why";
	case 401: return "not logged in";
	case 403: return "not allowed (or the CSRF header is missing)";
	case 404: return "no such thing";
	case 405: return "not with this method";
	case 409: return "already exists";
	case 413: return "body too large";
	case 415: return "wrong Content-Type";
	case 422: return "import problems, each with its place";
	case 429: return "too many failed logins; wait";
	default: return "see docs/api.md";
	}
}

static json_t *parameter(const struct srv_param *p)
{
	json_t *schema = p->flags & SRV_P_REPEAT
				 ? json_pack("{s:s, s:{s:s}}", "type", "array",
					     "items", "type", "string")
				 : json_pack("{s:s}", "type",
					     p->flags & SRV_P_INT ? "integer"
								  : "string");

	return json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", p->name, "in",
			 p->in, "required",
			 !strcmp(p->in, "path") || (p->flags & SRV_P_REQUIRED),
			 "description", p->description, "schema", schema);
}

static json_t *responses(const struct srv_route *rt)
{
	json_t *o = json_object();
	char code[8];

	for (const unsigned *s = rt->statuses; o && *s; s++) {
		json_t *resp = json_pack("{s:s}", "description", reason(*s));
		const char *type = *s >= 400   ? JSON
				   : *s == 204 ? NULL
					       : rt->produces;

		if (resp && type && *s >= 400)
			json_object_set_new(
				resp, "content",
				json_pack("{s:{s:{s:s}}}", JSON, "schema",
					  "$ref",
					  "#/components/schemas/Error"));
		else if (resp && type)
			json_object_set_new(resp, "content",
					    json_pack("{s:{}}", type));
		snprintf(code, sizeof(code), "%u", *s);
		json_object_set_new(o, code, resp);
	}
	return o;
}

/* {"required": true, "content": {TYPE: {"schema": {"type": T}}}} */
static json_t *request_body(const struct srv_route *rt)
{
	int csv = rt->flags & SRV_CSV_BODY;

	return json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
			 csv ? "text/csv" : JSON, "schema", "type",
			 csv ? "string" : "object");
}

static json_t *operation(const struct srv_route *rt)
{
	json_t *params = json_array();
	json_t *op =
		json_pack("{s:s, s:o, s:o}", "summary", rt->summary,
			  "parameters", params, "responses", responses(rt));

	for (const struct srv_param *p = rt->params; p->name; p++)
		json_array_append_new(params, parameter(p));
	if (op && (rt->flags & SRV_PUBLIC))
		json_object_set_new(op, "security", json_array());
	if (op && (rt->flags & (SRV_JSON_BODY | SRV_CSV_BODY)))
		json_object_set_new(op, "requestBody", request_body(rt));
	return op;
}

static json_t *components(void)
{
	return json_pack(
		"{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}},"
		" s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:[ss]}}}}}}}",
		"securitySchemes", "session", "type", "apiKey", "in", "cookie",
		"name", "mrm_session", "bearer", "type", "http", "scheme",
		"bearer", "schemas", "Error", "type", "object", "properties",
		"error", "type", "object", "properties", "code", "type",
		"string", "message", "type", "string", "field", "type",
		"string", "null");
}

json_t *srv_openapi(void)
{
	json_t *paths = json_object();
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:[{s:[]}, {s:[]}], s:o, s:o}",
		"openapi", "3.0.3", "info", "title",
		"Migrant Rights Monitor API", "version", "1", "description",
		"See docs/api.md. State-changing requests made with the "
		"session cookie need the header X-CSRF-Token.",
		"security", "session", "bearer", "components", components(),
		"paths", paths);

	for (size_t i = 0; doc && i < srv_nroutes; i++) {
		const struct srv_route *rt = &srv_routes[i];
		json_t *item = json_object_get(paths, rt->path);
		char method[16];
		size_t k;

		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->path, item);
		}
		for (k = 0; k < sizeof(method) - 1 && rt->method[k]; k++)
			method[k] = (char)(rt->method[k] | 0x20); /* lower */
		method[k] = 0;
		json_object_set_new(item, method, operation(rt));
	}
	return doc;
}

int api_openapi(struct srv_req *r)
{
	return srv_json(r, 200, srv_openapi());
}
