/* cmd_report.c - mrm report */
#include "cli.h"

#include "mrm/policy.h"
#include "mrm/report.h"
#include "mrm/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void names(const char *const *list, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; list[i] && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? ", " : "", list[i]);
}

static int known(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

/* Check what can be checked before the database is opened. */
static int check_args(const struct mrm_report_opts *ro, const char *out,
		      const char *k)
{
	char valid[256];

	names(mrm_report_templates, valid, sizeof(valid));
	if (!ro->template_name)
		return cli_usage("report", "--template is required (%s)",
				 valid);
	if (!known(mrm_report_templates, ro->template_name))
		return cli_usage("report",
				 "unknown template \"%s\"; templates: %s",
				 ro->template_name, valid);
	names(mrm_report_langs, valid, sizeof(valid));
	if (!known(mrm_report_langs, ro->lang))
		return cli_usage("report", "unknown language \"%s\"; valid: %s",
				 ro->lang, valid);
	if (!strcmp(ro->template_name, "policy-impact") &&
	    (!ro->policy || !*ro->policy))
		return cli_usage("report",
				 "--template policy-impact needs "
				 "--policy KEY (see mrm policy list)");
	if (!out || !*out)
		return cli_usage("report", "--out FILE.html is required");
	if (k && !ro->public)
		return cli_usage("report", "--k goes with --public");
	return 0;
}

/* The time the report says it was made: SOURCE_DATE_EPOCH when set, for
 * reproducible output, else now (0). */
static time_t generated(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (!s || !*s)
		return 0;
	errno = 0;
	t = strtoll(s, &end, 10);
	return errno || *end || t <= 0 ? 0 : (time_t)t;
}

/*
 * Write the report to OUT.tmp (mode 0600, opened with open() so that it
 * is never readable by others even for a moment) and rename it to OUT:
 * a failure leaves no partial file under either name.
 */
static int write_report(struct mrm_store *st, const struct mrm_report_opts *ro,
			const char *out)
{
	struct mrm_error err;
	size_t len = strlen(out) + 5;
	char *tmp = malloc(len);
	FILE *fp = NULL;
	int fd = -1, rc;

	if (!tmp) {
		mrm_error_set(&err, MRM_ERR_NOMEM, NULL, "out of memory");
		return cli_error("report", &err);
	}
	snprintf(tmp, len, "%s.tmp", out);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || fchmod(fd, 0600) || !(fp = fdopen(fd, "w"))) {
		mrm_error_set(&err, MRM_ERR_IO, tmp, "cannot create: %s",
			      strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return cli_error("report", &err);
	}
	rc = mrm_report_write(st, ro, fp, &err);
	if (fclose(fp) && !rc)
		rc = mrm_error_set(&err, MRM_ERR_IO, tmp, "cannot write: %s",
				   strerror(errno));
	if (!rc && rename(tmp, out))
		rc = mrm_error_set(&err, MRM_ERR_IO, out,
				   "cannot rename %s: %s", tmp,
				   strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc ? cli_error("report", &err) : CLI_OK;
}

int cmd_report(int argc, char **argv)
{
	struct mrm_report_opts ro = {0};
	const char *db = NULL, *out = NULL, *k = NULL, *window = NULL;
	const struct cli_opt opts[] = {
		{"db", &db, NULL, NULL},
		{"template", &ro.template_name, NULL, NULL},
		{"out", &out, NULL, NULL},
		{"public", NULL, &ro.public, NULL},
		{"k", &k, NULL, NULL},
		{"lang", &ro.lang, NULL, NULL},
		{"csv-dir", &ro.csv_dir, NULL, NULL},
		{"from", &ro.from, NULL, NULL},
		{"to", &ro.to, NULL, NULL},
		{"policy", &ro.policy, NULL, NULL},
		{"at", &ro.at, NULL, NULL},
		{"window", &window, NULL, NULL},
		{"by", &ro.by, NULL, NULL},
		{"country", &ro.country, NULL, NULL},
		{NULL},
	};
	struct mrm_store *st = NULL;
	char *pos[1];
	int npos, rc;

	ro.lang = "en";
	rc = cli_parse(cli_find("report"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = check_args(&ro, out, k)) ||
	    (rc = cli_number("report", "k", k, 2, 1000, &ro.k)) ||
	    (rc = cli_number("report", "window", window, 1,
			     MRM_POLICY_WINDOW_MAX, &ro.window)))
		return rc;
	ro.generated = generated();
	if ((rc = cli_open("report", db, &st)))
		return rc;
	rc = write_report(st, &ro, out);
	if (!rc)
		fprintf(stderr, "mrm report: wrote %s (%s, %s%s)\n", out,
			ro.template_name, ro.lang,
			ro.public ? ", public"
				  : ", internal: not for publication");
	mrm_store_close(st);
	return rc;
}
