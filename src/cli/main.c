/* main.c - the `mrm` command: dispatch to one file per subcommand. */
#include "cli.h"

#include "mrm/crypto.h"

#include <stdio.h>
#include <string.h>

const struct cli_cmd cli_commands[] = {
	{"init", "create a database and its key file",
	 "usage: mrm init --db FILE\n\n"
	 "Create a new database FILE and its key file FILE.key (mode 0600).\n"
	 "Keep the key apart from backups of the database: without it the\n"
	 "names, contacts, health and narratives cannot be read.\n",
	 cmd_init},
	{"org", "add or list organisations",
	 "usage: mrm org add --db FILE --code CODE --name NAME --country CC\n"
	 "       mrm org list --db FILE [--format table|json|csv]\n\n"
	 "CODE: 2-32 letters, digits, '-' or '_'; CC: ISO 3166-1 (TH, MM, "
	 "...).\n",
	 cmd_org},
	{"user", "add or list users",
	 "usage: mrm user add --db FILE --org CODE --login LOGIN --role ROLE\n"
	 "       mrm user list --db FILE [--format table|json|csv]\n\n"
	 "The password is read from standard input (first line), at least 10\n"
	 "characters, and stored as an Argon2id hash. ROLE: admin, "
	 "coordinator,\ncaseworker, researcher or viewer.\n",
	 cmd_user},
	{"import", "import CSV or JSON",
	 "usage: mrm import --db FILE [--org CODE] [--mapping MAP.json|NAME]\n"
	 "                  [--skip-invalid [--rejects OUT.csv]] [--max-errors "
	 "N]\n"
	 "                  [--format csv|json] INPUT\n\n"
	 "Without --mapping, a CSV must use the native columns "
	 "(docs/native-csv.md).\nA file ending in .json is read as an mrm "
	 "export. The import is all or\nnothing: any problem is reported as "
	 "FILE:LINE:COLUMN and nothing lands,\nunless --skip-invalid, which "
	 "imports the good rows and writes the others\nwith their reasons to "
	 "--rejects. Shipped mappings: iom-missing-migrants.\nExit: 0 all "
	 "imported, 1 nothing imported, 3 some rows rejected.\n",
	 cmd_import},
	{"export", "export JSON or CSV",
	 "usage: mrm export --db FILE --format json|csv [--what acts|events|"
	 "persons|organisations]\n                  [--out FILE]\n\n"
	 "JSON is lossless (sensitive fields in clear: protect the file).\n"
	 "CSV --what acts is the native format that mrm import reads.\n",
	 cmd_export},
	{"show", "show one event",
	 "usage: mrm show --db FILE [--format table|json] ID\n", cmd_show},
	{"search", "full-text search of events",
	 "usage: mrm search --db FILE [--limit N] [--format table|json|csv] "
	 "TEXT\n\n"
	 "Searches titles, public summaries and place names; words of Thai,\n"
	 "Burmese, Khmer and Lao are found without spaces. Names are never\n"
	 "searchable.\n",
	 cmd_search},
	{"info", "counts of what the database holds",
	 "usage: mrm info --db FILE [--format table|json]\n", cmd_info},
	{"demo-data", "generate synthetic demonstration data",
	 "usage: mrm demo-data --db FILE --events N [--seed S]\n"
	 "       mrm demo-data --csv OUT.csv --events N [--seed S]\n\n"
	 "Deterministic synthetic records with the region's shape (no real "
	 "person).\nWith --csv, writes the native CSV instead (for import "
	 "benchmarks).\n",
	 cmd_demo_data},
	{"stats", "statistics: measures by dimensions",
	 "usage: mrm stats --db FILE --measure M [--by D1[,D2[,D3]]]\n"
	 "                 [--where DIM=V1,V2]... [--from DATE] [--to DATE]\n"
	 "                 [--as-of DATE] [--public [--k N]]\n"
	 "                 [--format table|csv|json] [--lang en|th|my]\n\n"
	 "Measures: events, acts, persons (people: a group of 120 counts "
	 "120),\ndistinct-persons, detention-days, money-demanded, "
	 "money-paid,\n"
	 "deportation-cost, compensation (sums per currency).\n"
	 "Dimensions: year, quarter, month, country, admin1, act_type, "
	 "act_group,\nperpetrator_type, sector, nationality, sex, age_band, "
	 "doc_status, org,\ncorridor, checkpoint, attr.NAME. Up to three, with "
	 "subtotals (*) and the total.\n"
	 "--where: AND across dimensions, OR within one; an act type includes "
	 "the\ntypes under it. --from/--to compare each date at its own "
	 "precision.\n--public withholds cells of fewer than k people (default "
	 "5) and the cells\nthat would give them away.\n",
	 cmd_stats},
	{"report", "write an HTML report (and its tables as CSV)",
	 "usage: mrm report --db FILE --template NAME --out FILE.html\n"
	 "                  [--public [--k N]] [--lang en|th|my] [--csv-dir "
	 "DIR]\n"
	 "                  [--from DATE] [--to DATE]\n\n"
	 "Templates: add-monitoring (arrest, detention, deportation and "
	 "return),\ndeaths-and-missing (works on the IOM Missing Migrants "
	 "import).\nOne self-contained HTML file with SVG charts and a print "
	 "stylesheet;\n--csv-dir also writes every table as CSV. --public "
	 "applies disclosure\ncontrol to every figure.\n",
	 cmd_report},
	{"serve", "run the web application",
	 "usage: mrm serve --db FILE [--listen 127.0.0.1:8080] [--threads N]\n"
	 "                 [--tls-cert FILE --tls-key FILE] [--access-log "
	 "FILE]\n\n"
	 "Serves the browser interface and the JSON API (docs/api.md) until\n"
	 "SIGINT or SIGTERM; requests in flight finish first.\n",
	 cmd_serve},
	{"token", "API tokens for scripts",
	 "usage: mrm token add --db FILE --login LOGIN --name NAME [--days "
	 "N]\n\n"
	 "Prints a new API token for user LOGIN (once: only its hash is "
	 "kept).\n"
	 "Scripts send it as: Authorization: Bearer TOKEN. Default 90 days.\n",
	 cmd_token},
	{"backup", "write an encrypted backup of the database",
	 "usage: mrm backup --db FILE --out FILE.mrmbak\n\n"
	 "An online, consistent copy (others may go on writing), encrypted\n"
	 "under a key derived from FILE.key. OUT must not exist; it is\n"
	 "readable by you only. Keep FILE.key apart from the backups.\n",
	 cmd_backup},
	{"restore", "restore an encrypted backup into a new database",
	 "usage: mrm restore --key KEYFILE --from FILE.mrmbak --db NEWFILE\n\n"
	 "KEYFILE: the key file of the database the backup was taken from;\n"
	 "it is copied to NEWFILE.key. NEWFILE must not exist. The whole\n"
	 "backup is verified first: a truncated, altered or wrong-key backup\n"
	 "leaves no file behind. Exit: 0 restored, 1 not restored.\n",
	 cmd_restore},
	{"audit", "verify and read the tamper-evident audit log",
	 "usage: mrm audit verify --db FILE [--expect-head SEQ:HEX]\n"
	 "       mrm audit head --db FILE\n"
	 "       mrm audit log --db FILE [--since DATE] [--until DATE]\n"
	 "                 [--user LOGIN] [--table T] [--record ID]\n"
	 "                 [--action A] [--limit N|all]\n"
	 "                 [--format table|json|csv]\n\n"
	 "Every write, export and decryption of sensitive fields is an "
	 "entry\n"
	 "in a BLAKE2b hash chain (docs/audit.md).\n\n"
	 "verify  walks the chain and names the first edited, deleted,\n"
	 "        inserted or reordered entry (exit 1). With --expect-head,\n"
	 "        the chain must still hold a head you noted earlier.\n"
	 "head    prints the last entry as SEQ:HEX: write it down or send it\n"
	 "        elsewhere, so that a rewrite of the whole log shows later.\n"
	 "log     lists entries, newest first (default the last 100).\n"
	 "        DATE: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC, inclusive.\n"
	 "        --user: a login, or cli:NAME for the command line.\n"
	 "        --action: init, create, import, login, logout, share,\n"
	 "        export, decrypt, backup, restore.\n",
	 cmd_audit},
	{"help", "help on a command", "usage: mrm help [COMMAND]\n", cmd_help},
	{NULL, NULL, NULL, NULL},
};

static void overview(FILE *out)
{
	fprintf(out, "Migrant Rights Monitor: the network's evidence base.\n\n"
		     "usage: mrm COMMAND [OPTIONS]\n\ncommands:\n");
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out,
		"\nmrm help COMMAND (or mrm COMMAND --help) tells more.\n");
}

int cmd_help(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		overview(stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = (char *)"help";
	c = cli_find(argv[1]);
	if (!c)
		return cli_usage("help", "no command \"%s\"", argv[1]);
	fputs(c->usage, stdout);
	return CLI_OK;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;
	struct mrm_error err;

	if (argc < 2) {
		overview(stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		overview(stdout);
		return CLI_OK;
	}
	c = cli_find(argv[1]);
	if (!c) {
		fprintf(stderr, "mrm: no command \"%s\"\n\n", argv[1]);
		overview(stderr);
		return CLI_USAGE;
	}
	if (mrm_crypto_init(&err))
		return cli_error(c->name, &err);
	return c->run(argc - 1, argv + 1);
}
