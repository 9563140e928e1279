/* cmd_welfare.c - mrm welfare: the comparative welfare table */
#include "cli.h"

#include "mrm/welfare.h"

#include <stdlib.h>
#include <string.h>

static void print_table(const struct mrm_welfare *w)
{
	printf("%-3s %-18s %9s %9s %9s %-8s %-10s %-24s %s\n", "", "branch",
	       "employee%", "employer%", "govt%", "migrants", "exportable",
	       "in force", "source");
	for (int c = 0; c < MRM_WELFARE_NCOUNTRIES; c++)
		for (int b = 0; b < MRM_WELFARE_NBRANCHES; b++) {
			const struct mrm_welfare_cell *x = &w->cell[c][b];
			char r[3][32], when[32];

			for (int k = 0; k < 3; k++) {
				mrm_welfare_rate_text(
					x->known ? x->rate_bp[k] : -1, r[k]);
				if (!*r[k])
					snprintf(r[k], 32, "%s", "?");
			}
			snprintf(when, sizeof(when), "%s%s%s",
				 x->known ? x->effective_from : "-",
				 *x->effective_to ? " to " : "",
				 x->effective_to);
			printf("%-3s %-18s %9s %9s %9s %-8s %-10s %-24s %s%s\n",
			       mrm_welfare_countries[c],
			       mrm_welfare_branches[b], r[0], r[1], r[2],
			       x->known ? x->migrants : "unknown",
			       x->known ? x->exportable : "unknown", when,
			       x->known ? x->source : "no source found",
			       x->estimate ? " [ESTIMATE]" : "");
		}
	printf("\n? and unknown: the sources consulted say nothing (not a "
	       "no).\nNotes per cell: mrm welfare --format csv.\n");
}

int cmd_welfare(int argc, char **argv)
{
	const char *format = NULL, *lang = NULL;
	const struct cli_opt opts[] = {{"format", &format, NULL, NULL},
				       {"lang", &lang, NULL, NULL},
				       {NULL}};
	struct mrm_buf b = MRM_BUF_INIT((size_t)4 << 20);
	struct mrm_welfare *w = NULL;
	struct mrm_error err;
	char *pos[1];
	int npos, rc, html = 0, csv = 0;

	rc = cli_parse(cli_find("welfare"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		goto out;
	if (format && !(html = !strcmp(format, "html")) &&
	    !(csv = !strcmp(format, "csv")) && strcmp(format, "table")) {
		rc = cli_usage(
			"welfare",
			"--format must be table, csv or html, not \"%s\"",
			format);
		goto out;
	}
	if (lang && !html) {
		rc = cli_usage("welfare", "--lang goes with --format html");
		goto out;
	}
	if (mrm_welfare_load(&w, &err)) {
		rc = cli_error("welfare", &err);
		goto out;
	}
	if (!html && !csv) {
		print_table(w);
		goto out;
	}
	if (html && mrm_welfare_html_page(w, lang, &b, &err)) {
		rc = cli_error("welfare", &err);
		goto out;
	}
	if (csv && mrm_welfare_csv(w, &b)) {
		fprintf(stderr, "mrm welfare: out of memory\n");
		rc = CLI_FAIL;
		goto out;
	}
	fwrite(b.ptr, 1, b.len, stdout);
out:
	mrm_buf_release(&b);
	free(w);
	return rc < 0 ? CLI_OK : rc;
}
