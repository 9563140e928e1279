/*
 * api.h - (internal) the handlers of the API routes, one file per
 * resource (api_events.c, api_session.c, ...); router.c maps method and
 * path to them.
 */
#ifndef MRM_API_H
#define MRM_API_H

#include "srv.h"

int api_session_create(struct srv_req *r);
int api_session_delete(struct srv_req *r);
int api_me(struct srv_req *r);

int api_events_list(struct srv_req *r);
int api_event_get(struct srv_req *r);
int api_event_create(struct srv_req *r);
int api_search(struct srv_req *r);

int api_persons_list(struct srv_req *r);

int api_audit_list(struct srv_req *r);

int api_orgs_list(struct srv_req *r);
int api_org_add(struct srv_req *r);

int api_users_list(struct srv_req *r);
int api_user_add(struct srv_req *r);

/* api_account.c */
int api_me_totp_begin(struct srv_req *r);
int api_me_totp_confirm(struct srv_req *r);
int api_me_password(struct srv_req *r);
int api_me_sessions_delete(struct srv_req *r);
int api_user_revoke(struct srv_req *r);
int api_user_disable(struct srv_req *r);
int api_user_enable(struct srv_req *r);
int api_me_totp_delete(struct srv_req *r);

int api_vocab_get(struct srv_req *r);

int api_stats(struct srv_req *r);
int api_reports_list(struct srv_req *r);
int api_report_get(struct srv_req *r);

int api_import(struct srv_req *r);
int api_export(struct srv_req *r);

int api_openapi(struct srv_req *r);

int api_policies_list(struct srv_req *r);
int api_policy_get(struct srv_req *r);
int api_policy_add(struct srv_req *r);
int api_policy_impact(struct srv_req *r);
int api_event_policies(struct srv_req *r);
int api_event_policy_link(struct srv_req *r);
int api_event_policy_unlink(struct srv_req *r);
int api_portability(struct srv_req *r);
int api_welfare(struct srv_req *r);
int api_ref_list(struct srv_req *r);
int api_ref_get(struct srv_req *r);
int api_wages_list(struct srv_req *r);
int api_recruitment_list(struct srv_req *r);

/* The pagination of a list: "limit" (1-500, default 50) and "cursor";
 * -1 when it answered 400. */
int api_page(struct srv_req *r, unsigned *limit, int64_t *cursor);
/* {"items": items, "next_cursor": "N" or null} (items taken over). */
int api_send_page(struct srv_req *r, json_t *items, int64_t next);
/*
 * The members `names` (n of them) of body `b` as strings into `out`: each
 * is required unless its name is in `optional` (then NULL when absent).
 * 0, or -1 when it answered 400.
 */
int api_strings(struct srv_req *r, json_t *b, const char *const *names,
		size_t n, const char *optional, const char **out);
/* mrm_access_check() for the request's actor; answers 403 (or 500) and
 * returns -1 when not allowed. */
int api_allow(struct srv_req *r, enum mrm_action action, int64_t org_id);

#endif
