/* cmd_info.c - mrm info */
#include "cli.h"

#include "mrm/store.h"

int cmd_info(int argc, char **argv)
{
	const char *db = NULL, *format = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {NULL}};
	struct mrm_counts c;
	struct mrm_store *st;
	struct mrm_error err;
	enum cli_format fmt;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("info"), argc, argv, opts, pos, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if ((rc = cli_format("info", format, &fmt)))
		return rc;
	if ((rc = cli_open("info", db, &st)))
		return rc;
	rc = mrm_store_counts(st, &c, &err);
	mrm_store_close(st);
	if (rc)
		return cli_error("info", &err);
	if (fmt == CLI_JSON)
		printf("{\"events\":%lld,\"acts\":%lld,\"persons\":%lld,"
		       "\"people\":%lld,\"organisations\":%lld,\"users\":%lld}"
		       "\n",
		       (long long)c.events, (long long)c.acts,
		       (long long)c.persons, (long long)c.people,
		       (long long)c.organisations, (long long)c.users);
	else if (fmt == CLI_CSV)
		printf("events,acts,persons,people,organisations,users\n"
		       "%lld,%lld,%lld,%lld,%lld,%lld\n",
		       (long long)c.events, (long long)c.acts,
		       (long long)c.persons, (long long)c.people,
		       (long long)c.organisations, (long long)c.users);
	else
		printf("%s\n  events         %lld\n  acts           %lld\n"
		       "  persons        %lld (victim records; %lld people "
		       "counting group sizes)\n"
		       "  organisations  %lld\n  users          %lld\n",
		       db, (long long)c.events, (long long)c.acts,
		       (long long)c.persons, (long long)c.people,
		       (long long)c.organisations, (long long)c.users);
	return CLI_OK;
}
