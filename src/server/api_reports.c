/* api_reports.c - /api/v1/reports and /api/v1/reports/{template} */
#include "api.h"

#include "mrm/policy.h"
#include "mrm/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Query parameter `name`, or NULL when absent or empty. */
static const char *arg(struct srv_req *r, const char *name)
{
	const char *v = srv_arg(r, name);

	return v && *v ? v : NULL;
}

/*
 * A report is one self-contained page whose style sheet is inline: it
 * may use inline styles and nothing else (no scripts at all), and may be
 * shown in a frame of the browser interface.
 */
#define REPORT_CSP                                                             \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "       \
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

static json_t *names(const char *const *list)
{
	json_t *a = json_array();

	for (size_t i = 0; a && list[i]; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

int api_reports_list(struct srv_req *r)
{
	return srv_json(r, 200,
			json_pack("{s:o, s:o}", "templates",
				  names(mrm_report_templates), "langs",
				  names(mrm_report_langs)));
}

int api_report_get(struct srv_req *r)
{
	struct mrm_report_opts o = {.template_name = r->args[0]};
	struct mrm_error err;
	char *html = NULL;
	size_t len = 0;
	long k, window;
	FILE *fp;
	int known = 0, rc;

	for (size_t i = 0; mrm_report_templates[i]; i++)
		known |= !strcmp(mrm_report_templates[i], o.template_name);
	if (!known)
		return srv_error(r, 404, "not-found", "template",
				 "no report template \"%.64s\" (see GET "
				 "/api/v1/reports)",
				 o.template_name);
	o.lang = arg(r, "lang");
	o.from = srv_arg(r, "from");
	o.to = srv_arg(r, "to");
	/* the policy-impact template's (mrm_report_write refuses them with
	 * another one) */
	o.policy = arg(r, "policy");
	o.at = arg(r, "at");
	o.by = arg(r, "by");
	o.country = arg(r, "country");
	if (srv_arg_flag(r, "public", &o.public) ||
	    srv_arg_int(r, "k", 2, 1000, 0, &k) ||
	    srv_arg_int(r, "window", 1, MRM_POLICY_WINDOW_MAX, 0, &window) ||
	    api_allow(r, o.public ? MRM_ACT_STATS_PUBLIC : MRM_ACT_STATS, 0))
		return 0;
	o.k = (unsigned)k;
	o.window = (unsigned)window;
	fp = open_memstream(&html, &len);
	if (!fp)
		return srv_error(r, 500, "internal", NULL, "out of memory");
	rc = mrm_report_write(r->st, &o, fp, &err);
	if (fclose(fp) && !rc)
		rc = mrm_error_set(&err, MRM_ERR_NOMEM, NULL,
				   "out of memory writing the report");
	if (rc) {
		free(html);
		return srv_fail(r, &err);
	}
	r->csp = REPORT_CSP;
	return srv_send(r, 200, "text/html; charset=utf-8", html, len);
}
