/* cmd_portability.c - mrm portability: old-age benefits across borders */
#include "cli.h"

#include "mrm/fields.h"
#include "mrm/portability.h"

#include <stdlib.h>
#include <string.h>

static void amount(const struct mrm_port_benefit *b, const char *cur)
{
	char num[32];

	if (b->kind == MRM_PORT_NONE) {
		printf("%-9s %-22s", "none", "-");
		return;
	}
	if (b->known) {
		mrm_money_format(b->amount, cur, num, sizeof(num));
		printf("%-9s %14s %s%s", mrm_port_kind_name(b->kind), num, cur,
		       b->kind == MRM_PORT_PENSION ? "/m" : "  ");
	} else {
		printf("%-9s %-22s", mrm_port_kind_name(b->kind),
		       "amount unknown");
	}
}

static void benefit(const char *label, const struct mrm_port_benefit *b,
		    const char *cur)
{
	printf("  %-16s ", label);
	amount(b, cur);
	printf("  %s%s%s\n", *b->status ? b->status : "none",
	       *b->payable ? " from " : "", b->payable);
	printf("      %s\n", b->rule);
}

static void print_table(const struct mrm_port_result *r)
{
	printf("Old-age benefits across borders, claim date %s", r->claim_date);
	if (r->age >= 0)
		printf(", born %d (age %d in the claim's year)", r->birth_year,
		       r->age);
	printf("\nAll periods together: %lld months", (long long)r->all_months);
	if (r->overlap_months)
		printf(" (%lld months in two countries at once counted once)",
		       (long long)r->overlap_months);
	printf("\nSwitches:");
	for (int i = 0; i < MRM_PORT_NSWITCHES; i++)
		printf(" %s=%s", mrm_port_switches[i].name,
		       r->switches[i] ? "on" : "off");
	printf("\n");
	for (size_t i = 0; i < r->ncountries; i++) {
		const struct mrm_port_country *k = &r->countries[i];

		printf("\n%s  scheme %s, %lld months, in %s\n", k->country,
		       k->scheme, (long long)k->own_months, k->currency);
		benefit("own rules alone", &k->independent, k->currency);
		benefit("pro-rata", &k->prorata, k->currency);
		benefit("with agreement", &k->agreement, k->currency);
		printf("  lost without an agreement: %s\n", k->loss);
		if (*k->uncertain)
			printf("  uncertain: %s\n", k->uncertain);
		printf("  rules used:\n");
		for (size_t j = 0; j < k->nrefs; j++) {
			const struct mrm_port_ref *f = &k->refs[j];

			printf("    %s:%lu %s (%s); source: %s%s\n", f->file,
			       f->line, f->what, f->period, f->source,
			       f->estimate ? " [ESTIMATE]" : "");
		}
	}
	if (*r->notes)
		printf("\n%s\n", r->notes);
	printf("\nAmounts: integer minor units, each product or ratio rounded "
	       "once, half away from zero.\nThe totalisation scenario is a "
	       "model (EU Regulation 883/2004 Art. 52, 56, 57): no agreement "
	       "is in force between these countries. See docs/portability.md."
	       "\n");
}

static int set_switches(struct mrm_port_input *in, const char **sw,
			struct mrm_error *err)
{
	for (size_t i = 0; sw && sw[i]; i++) {
		char name[64];
		const char *eq = strchr(sw[i], '=');
		size_t n = eq ? (size_t)(eq - sw[i]) : strlen(sw[i]);

		snprintf(name, sizeof(name), "%.*s", (int)n, sw[i]);
		if (mrm_port_input_switch(in, name, eq ? eq + 1 : NULL, err))
			return -1;
	}
	return 0;
}

int cmd_portability(int argc, char **argv)
{
	const char *format = NULL, *birth = NULL, *claim = NULL;
	const char **periods = NULL, **sw = NULL;
	const struct cli_opt opts[] = {{"period", NULL, NULL, &periods},
				       {"birth-year", &birth, NULL, NULL},
				       {"claim-date", &claim, NULL, NULL},
				       {"switch", NULL, NULL, &sw},
				       {"format", &format, NULL, NULL},
				       {NULL}};
	struct mrm_port_input *in = malloc(sizeof(*in));
	struct mrm_port_result *r = NULL;
	struct mrm_error err;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;

	mrm_error_clear(&err);
	rc = cli_parse(cli_find("portability"), argc, argv, opts, pos, 0,
		       &npos);
	if (rc || (rc = cli_format("portability", format, &fmt)))
		goto out;
	if (fmt == CLI_CSV) {
		rc = cli_usage("portability", "--format must be table or json");
		goto out;
	}
	if (!in) {
		rc = CLI_FAIL;
		goto out;
	}
	mrm_port_input_init(in);
	if (birth) {
		char *end;
		long y = strtol(birth, &end, 10);

		if (*end || end == birth || y < 1900 || y > 2199) {
			rc = cli_usage("portability",
				       "--birth-year must be a year such as "
				       "1975, not \"%s\"",
				       birth);
			goto out;
		}
		in->birth_year = (int)y;
	}
	in->claim_date = claim;
	for (size_t i = 0; periods && periods[i] && !rc; i++)
		if (mrm_port_input_add_spec(in, (char *)periods[i], &err))
			rc = cli_error("portability", &err);
	if (rc || (set_switches(in, sw, &err) &&
		   (rc = cli_error("portability", &err))))
		goto out;
	if (mrm_port_compute(in, &r, &err)) {
		rc = cli_error("portability", &err);
		goto out;
	}
	if (fmt == CLI_JSON) {
		json_t *j = mrm_port_json(r);

		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
	} else {
		print_table(r);
	}
out:
	free(r);
	free(in);
	free(periods);
	free(sw);
	return rc < 0 ? CLI_OK : rc;
}
