/* cmd_show.c - mrm show */
#include "cli.h"

#include "mrm/audit.h"
#include "mrm/export.h"
#include "mrm/fields.h"
#include "mrm/store.h"

#include <stdlib.h>
#include <string.h>

/* Print an object's scalar members as "  name  value" lines. */
static void print_scalars(json_t *o, const char *indent)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
	{
		if (json_is_object(v) || json_is_array(v))
			continue;
		if (json_is_string(v))
			printf("%s%-18s %s\n", indent, k, json_string_value(v));
		else {
			char *s = json_dumps(
				v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));

			printf("%s%-18s %s\n", indent, k, s ? s : "");
			free(s);
		}
	}
}

/* An act's detail or victim `part`, when it has one. */
static void print_part(json_t *act, enum mrm_entity part)
{
	json_t *o = json_object_get(act, mrm_entity_prefix(part));

	if (!o)
		return;
	printf("  %s\n", mrm_entity_prefix(part));
	print_scalars(o, "    ");
}

static void print_event(json_t *ev)
{
	const char *k;
	json_t *v, *a;
	size_t i;

	print_scalars(ev, "");
	json_object_foreach(json_object_get(ev, "attrs"), k, v)
	{
		char *s = json_dumps(v, JSON_COMPACT);

		printf("attr.%-13s %s\n", k, s ? s : "");
		free(s);
	}
	json_array_foreach(json_object_get(ev, "acts"), i, a)
	{
		printf("\nact %zu\n", i + 1);
		print_scalars(a, "  ");
		for (size_t p = 0; p < mrm_act_nparts; p++)
			print_part(a, mrm_act_parts[p]);
		print_part(a, MRM_ENT_VICTIM);
	}
	json_array_foreach(json_object_get(ev, "sources"), i, a)
	{
		printf("\nsource %zu\n", i + 1);
		print_scalars(a, "  ");
	}
	json_array_foreach(json_object_get(ev, "interventions"), i, a)
	{
		printf("\nintervention %zu\n", i + 1);
		print_scalars(a, "  ");
	}
}

int cmd_show(int argc, char **argv)
{
	const char *db = NULL, *format = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {NULL}};
	struct mrm_store *st;
	struct mrm_error err;
	enum cli_format fmt;
	json_t *ev = NULL;
	char *pos[1], *end;
	long long id;
	int npos, rc;

	rc = cli_parse(cli_find("show"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_format("show", format, &fmt)))
		return rc;
	if (npos != 1)
		return cli_usage("show", "give the event ID");
	id = strtoll(pos[0], &end, 10);
	if (*end || id <= 0)
		return cli_usage("show",
				 "\"%s\" is not an event id (a positive "
				 "number)",
				 pos[0]);
	if ((rc = cli_open("show", db, &st)))
		return rc;
	rc = mrm_event_json(st, id, &ev, &err);
	if (!rc) /* sensitive fields in clear: recorded before shown */
		rc = mrm_audit_note(
			st,
			&(struct mrm_audit_entry){.action = "decrypt",
						  .table = "event",
						  .record = id,
						  .detail = "mrm show"},
			&err);
	mrm_store_close(st);
	if (rc)
		return cli_error("show", &err);
	if (fmt == CLI_JSON) {
		json_dumpf(ev, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		print_event(ev);
	}
	json_decref(ev);
	return CLI_OK;
}
