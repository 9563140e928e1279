/* main.c - the `mrm` command: dispatch to one file per subcommand. */
#include "cli.h"

#include "mrm/crypto.h"
#include "mrm/store.h"

#include <stdio.h>
#include <string.h>

const struct cli_cmd cli_commands[] = {
	{"init", "create a database and its key file",
	 "usage: mrm init --db FILE [--kek key-file|passphrase] [--kdf "
	 "LEVEL]\n\n"
	 "Create a new database FILE and its key file FILE.key (mode 0600).\n"
	 "Keep the key apart from backups of the database: without it the\n"
	 "names, contacts, health and narratives cannot be read.\n"
	 "With --kek passphrase there is no key file: the key is derived from\n"
	 "a passphrase (Argon2id) read from --passphrase-fd N,\n"
	 "--passphrase-file F or the terminal. See mrm help key.\n",
	 cmd_init},
	{"org", "add or list organisations",
	 "usage: mrm org add --db FILE --code CODE --name NAME --country CC\n"
	 "       mrm org list --db FILE [--format table|json|csv]\n\n"
	 "CODE: 2-32 letters, digits, '-' or '_'; CC: ISO 3166-1 (TH, MM, "
	 "...).\n",
	 cmd_org},
	{"user", "add or list users",
	 "usage: mrm user add --db FILE --org CODE --login LOGIN --role ROLE\n"
	 "       mrm user list --db FILE [--format table|json|csv]\n"
	 "       mrm user passwd --db FILE --login LOGIN\n"
	 "       mrm user totp --db FILE --login LOGIN [--off]\n"
	 "       mrm user revoke|disable|enable --db FILE --login LOGIN\n\n"
	 "The password is read from standard input (first line): at least 12\n"
	 "characters, not containing the login, not a common password; it is\n"
	 "stored as an Argon2id hash. ROLE: admin, coordinator, caseworker,\n"
	 "researcher or viewer.\n\n"
	 "passwd sets a new password (from standard input) and ends all the\n"
	 "user's sessions. totp turns on two-factor login: it prints a new\n"
	 "secret and its otpauth:// URI for an authenticator app (TOTP, 6\n"
	 "digits, 30 s); from then on logging in needs the app's code; --off\n"
	 "turns it off. revoke ends all the user's sessions (log out\n"
	 "everywhere). disable stops the user logging in and deletes their\n"
	 "sessions and API tokens; enable lets them log in again.\n",
	 cmd_user},
	{"import", "import CSV or JSON",
	 "usage: mrm import --db FILE [--org CODE] [--mapping MAP.json|NAME]\n"
	 "                  [--skip-invalid [--rejects OUT.csv]] [--max-errors "
	 "N]\n"
	 "                  [--format csv|json] INPUT\n"
	 "       mrm import --db FILE --what wages|recruitment [--org CODE]\n"
	 "                  [--max-errors N] INPUT.csv\n\n"
	 "Without --mapping, a CSV must use the native columns "
	 "(docs/native-csv.md).\nA file ending in .json is read as an mrm "
	 "export. The import is all or\nnothing: any problem is reported as "
	 "FILE:LINE:COLUMN and nothing lands,\nunless --skip-invalid, which "
	 "imports the good rows and writes the others\nwith their reasons to "
	 "--rejects. Shipped mappings: iom-missing-migrants.\nExit: 0 all "
	 "imported, 1 nothing imported, 3 some rows rejected.\n"
	 "--what wages|recruitment reads wage records or recruitment costs,\n"
	 "one a row, each keyed by column event to an event in the database\n"
	 "(docs/wages.md); all or nothing, problems as FILE:LINE:COLUMN.\n",
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
	 "deportation-cost, compensation (sums per currency),\n"
	 "wages-owed (per currency; by corridor, sector, admin1, country,\n"
	 "nationality, year), recruitment-burden (percent of a month's\n"
	 "earnings: count, mean, median; by corridor, nationality, country,\n"
	 "year); see docs/wages.md.\n"
	 "distinct-persons counts persons of different organisations once "
	 "when\n"
	 "they share a linkage value (mrm help linkage); without a linkage "
	 "key\n"
	 "each person record counts on its own.\n"
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
	 "                  [--from DATE] [--to DATE]\n"
	 "       mrm report --db FILE --template policy-impact --policy KEY "
	 "--out FILE.html\n"
	 "                  [--window N] [--at DATE] [--by act_type|"
	 "nationality]\n"
	 "                  [--country CODE|any] [--public [--k N]] [--lang "
	 "en|th|my]\n\n"
	 "Templates: add-monitoring (arrest, detention, deportation and "
	 "return),\ndeaths-and-missing (works on the IOM Missing Migrants "
	 "import),\nlabour-rights (wages owed, recruitment cost burden and "
	 "legal caps,\nthe reference figures used with their sources, the "
	 "welfare table;\ndocs/wages.md),\npolicy-impact (the policy on the "
	 "ground: acts and persons N months\n(default 12) before and after a "
	 "policy's date; see mrm policy list).\nOne self-contained HTML file "
	 "with SVG charts and a print stylesheet;\n--csv-dir also writes every "
	 "table as CSV. --public applies disclosure\ncontrol to every "
	 "figure.\n",
	 cmd_report},
	{"serve", "run the web application",
	 "usage: mrm serve --db FILE [--listen 127.0.0.1:8080] [--threads N]\n"
	 "                 [--tls-cert FILE --tls-key FILE] [--access-log "
	 "FILE]\n"
	 "                 [--session-idle MIN] [--session-max HOURS]\n\n"
	 "Serves the browser interface and the JSON API (docs/api.md) until\n"
	 "SIGINT or SIGTERM; requests in flight finish first.\n"
	 "A database locked with a passphrase is unlocked once at start: give\n"
	 "it with --passphrase-fd N or --passphrase-file F, or on the "
	 "terminal.\n\n"
	 "A login session ends when unused for --session-idle minutes (30;\n"
	 "1-1440) and --session-max hours after login (8; 1-720) whatever.\n",
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
	 "under a new key that FILE's key file or passphrase opens (and its\n"
	 "recovery key, if it has one). OUT must not exist; it is readable\n"
	 "by you only. Keep FILE.key or the passphrase apart from backups.\n"
	 "A database locked with a passphrase asks for it (--passphrase-fd N,\n"
	 "--passphrase-file F or the terminal).\n",
	 cmd_backup},
	{"restore", "restore an encrypted backup into a new database",
	 "usage: mrm restore --from FILE.mrmbak --db NEWFILE [--key KEYFILE]\n"
	 "       mrm restore --from FILE.mrmbak --db NEWFILE --recovery-fd N\n"
	 "               --to key-file|passphrase [--kdf LEVEL]\n"
	 "               [--new-passphrase-fd N | --new-passphrase-file F]\n\n"
	 "A backup of a database with a key file needs --key KEYFILE, that\n"
	 "key file, which is copied to NEWFILE.key. A backup of a database\n"
	 "locked with a passphrase asks for it (--passphrase-fd N,\n"
	 "--passphrase-file F or the terminal); NEWFILE opens with the same\n"
	 "passphrase. With the recovery key (mrm key recovery) read from fd\n"
	 "N (0: standard input), NEWFILE gets a new key file or passphrase\n"
	 "as --to says. NEWFILE must not exist. A wrong key or passphrase is\n"
	 "found before anything is written; the whole backup is verified\n"
	 "before NEWFILE appears: a truncated, altered or wrong-key backup\n"
	 "leaves no file behind. Exit: 0 restored, 1 not restored, 2 usage.\n",
	 cmd_restore},
	{"policy", "the policy register and the policy on the ground",
	 "usage: mrm policy list --db FILE [--country CC] [--format "
	 "table|json|csv]\n"
	 "       mrm policy show --db FILE [--format table|json] KEY\n"
	 "       mrm policy add --db FILE --key KEY --country CC --instrument "
	 "I\n"
	 "                  --title T --date D --source S [--summary S] [--url "
	 "U]\n"
	 "                  [--from D] [--to D] [--note N] [--estimate]\n"
	 "       mrm policy link|unlink --db FILE --event ID --policy KEY\n"
	 "       mrm policy impact --db FILE --policy KEY [--window MONTHS]\n"
	 "                  [--at DATE] [--by act_type|nationality] [--country "
	 "CC|any]\n"
	 "                  [--public [--k N]] [--format table|csv|json|html] "
	 "[--out F]\n"
	 "       mrm policy install --db FILE\n\n"
	 "Laws, decrees, regulations, MOUs, cabinet resolutions, "
	 "declarations,\n"
	 "announcements and measures (a crackdown, a registration round), each "
	 "with\nits dates and source. The shipped register is loaded by mrm "
	 "init; install\nloads it again. KEY: a-z, 0-9 and '-' (th-crackdown-"
	 "2014-06). CC: an ISO\n3166-1 code, or ASEAN or CLMTV. I: law, "
	 "decree, "
	 "regulation, mou,\ncabinet_resolution, declaration, announcement, "
	 "measure. --date: adopted\n(or announced); --from/--to: in force. "
	 "Dates: YYYY, YYYY-MM or YYYY-MM-DD.\n\n"
	 "impact compares what was documented in the MONTHS (12) before the\n"
	 "policy's date (in force from, else adopted; --at to choose) with as "
	 "many\nmonths from it: acts and persons (a group counts its size) by "
	 "act type or\nnationality, in the policy's country unless --country "
	 "says otherwise.\nAn act counts on a side only when its date, at its "
	 "precision, lies wholly\nin that window. --format html writes the "
	 "policy-impact report (docs/policies.md).\n",
	 cmd_policy},
	{"key", "data keys: status, rotate, passphrase, recovery",
	 "usage: mrm key status --db FILE [--format table|json|csv]\n"
	 "       mrm key rotate --db FILE [--org CODE] [--batch N]\n"
	 "       mrm key rotate-kek --db FILE --to key-file|passphrase\n"
	 "                  [--new-passphrase-fd N | --new-passphrase-file F]"
	 " [--kdf LEVEL]\n"
	 "       mrm key recovery --db FILE\n"
	 "       mrm key recover --db FILE --to key-file|passphrase "
	 "[--recovery-fd N]\n"
	 "                  [--new-passphrase-fd N | --new-passphrase-file F]"
	 "\n\n"
	 "Each organisation's sensitive fields are sealed under its own data "
	 "key,\nkept wrapped by the key-encryption key: the key file "
	 "FILE.key, or a\npassphrase. A database locked with a passphrase "
	 "takes it from\n--passphrase-fd N, --passphrase-file F (mode 600) "
	 "or the terminal, with\nevery command; never on the command "
	 "line.\n\n"
	 "status      organisations, key versions, values each still seals\n"
	 "rotate      a new key version; re-encrypts N values (1000) per\n"
	 "            transaction while the database stays usable; run it "
	 "again\n            to resume an interrupted rotation\n"
	 "rotate-kek  a new key file (the old one kept as FILE.key.old) or a\n"
	 "            new passphrase; re-wraps the data keys only. --kdf:\n"
	 "            interactive (64 MiB), moderate (256 MiB, default) or\n"
	 "            sensitive (1 GiB) Argon2id limits\n"
	 "recovery    print a new recovery key to keep on paper\n"
	 "recover     with the recovery key on standard input (or fd N), set "
	 "a\n            new key file or passphrase\n"
	 "See docs/keys.md.\n",
	 cmd_key},
	{"wipe", "destroy an organisation's keys (crypto-shredding)",
	 "usage: mrm wipe --db FILE --org CODE [--yes]\n\n"
	 "Destroys every data key of organisation CODE, at once: its names,\n"
	 "other names, guardians, contacts, health and narratives can never "
	 "be\nread again (they show as [destroyed]); statistics, which use "
	 "no\nsensitive field, still count its records. Backups made before "
	 "still\nhold the keys: destroy them too. Asks to type CODE again "
	 "unless --yes.\n",
	 cmd_wipe},
	{"linkage", "count people across organisations without names",
	 "usage: mrm linkage init --db FILE\n"
	 "       mrm linkage import --db FILE --from KEYFILE\n"
	 "       mrm linkage export --db FILE --out KEYFILE\n"
	 "       mrm linkage rebuild --db FILE\n\n"
	 "A network of organisations shares one linkage key (32 random bytes\n"
	 "in FILE.linkage beside each database, mode 0600). With it, each\n"
	 "individual person with a name and a birth year gets a keyed hash\n"
	 "(HMAC-SHA256) of the normalised name, birth year, sex and\n"
	 "nationality, and the statistics count the persons sharing one once\n"
	 "in distinct-persons, across organisations. Without a linkage key\n"
	 "nothing is computed and every person record counts on its own.\n\n"
	 "init creates the network's key (once, at one organisation); export\n"
	 "writes it to a file to hand over; import takes it at the others.\n"
	 "init, import and rebuild compute every person's value; imports do\n"
	 "it for new persons by themselves. How names are normalised, and the\n"
	 "false and missed matches: docs/linkage.md.\n",
	 cmd_linkage},
	{"portability",
	 "old-age benefits across borders, with and without "
	 "an agreement",
	 "usage: mrm portability --period COUNTRY:FROM:TO:MONTHLY_WAGE"
	 "[:CURRENCY[:SCHEME]] ...\n"
	 "                       [--birth-year Y] [--claim-date YYYY-MM-DD]\n"
	 "                       [--switch NAME=on|off] [--format table|json]"
	 "\n\n"
	 "A work history, one --period per job (FROM and TO are YYYY-MM,\n"
	 "inclusive; the wage is a monthly amount such as 15000 or 15000.50 "
	 "in\n"
	 "the country's currency). For each country: the old-age benefit "
	 "under\n"
	 "its own rules alone, the pro-rata benefit under a totalisation\n"
	 "agreement modelled on EU Regulation 883/2004 Art. 52, the higher of\n"
	 "the two, and what is lost without an agreement, each with the rule\n"
	 "and the reference rows (source, dates) it rests on. Thailand is\n"
	 "computed in full; Cambodia, Myanmar, Vietnam and China only as far\n"
	 "as their conditions are known. No database is needed.\n"
	 "Switches (rules whose status is uncertain):\n"
	 "  thai_lump_sum_after_leaving  the old-age grant is paid on leaving\n"
	 "                               Thailand before 55 (default off)\n"
	 "Example: mrm portability --period TH:2005-01:2024-12:15000 "
	 "--birth-year 1970\n"
	 "         --claim-date 2025-06-01\n"
	 "See docs/portability.md.\n",
	 cmd_portability},
	{"welfare", "social security by country and branch, with sources",
	 "usage: mrm welfare [--format table|csv|html [--lang en|th|my]]\n\n"
	 "The comparative welfare table: for each country and branch (old "
	 "age,\n"
	 "invalidity, survivors, sickness, maternity, employment injury,\n"
	 "unemployment, family, health care) the contribution rates, whether\n"
	 "migrants are covered and whether benefits can be taken abroad, each\n"
	 "cell with its source and dates. What the sources do not say reads\n"
	 "\"unknown\". html writes a self-contained page, its words in\n"
	 "--lang (en, th or my; the sources and notes stay English). No\n"
	 "database is needed.\n",
	 cmd_welfare},
	{"ref", "reference data: minimum and living wages, fee caps, rates",
	 "usage: mrm ref list [--format table|json|csv]\n"
	 "       mrm ref show TABLE [--country CC] [--on DATE]\n"
	 "                      [--format table|json|csv]\n\n"
	 "The reference tables compiled into mrm (data/reference/*.csv):\n"
	 "minimum-wage, living-wage, recruitment-fee-cap, exchange-rate and\n"
	 "any other table shipped there. Every row carries its source, the\n"
	 "dates it is in force (effective_from, effective_to) and estimate 1\n"
	 "when the figure is flagged VERIFY or derived. Amounts are in minor\n"
	 "units of the row's currency (THB 400.00 is 40000).\n"
	 "--country keeps the rows about country CC (ISO 3166-1); --on keeps\n"
	 "the rows in force on DATE (YYYY, YYYY-MM or YYYY-MM-DD, its first\n"
	 "day). What is not encoded, and why: docs/reference.md.\n",
	 cmd_ref},
	{"wages", "wage records with the wages owed and the living-wage gap",
	 "usage: mrm wages --db FILE [--event ID] [--format table|json|csv]\n\n"
	 "Each wage record with the legal minimum in force at its place,\n"
	 "sector and period start (reference table minimum-wage), the legal\n"
	 "pay for the period, what is owed (legal - paid, at least 0), the\n"
	 "shortfall per day worked and the gap to the living-wage benchmark;\n"
	 "every figure with its source and the date it took effect. A record\n"
	 "with no minimum in force says why. The rules: docs/wages.md.\n",
	 cmd_wages},
	{"recruitment", "recruitment costs with their burden (SDG 10.7.1)",
	 "usage: mrm recruitment --db FILE [--event ID] [--format "
	 "table|json|csv]\n\n"
	 "Each recruitment cost with its burden (SDG indicator 10.7.1): the\n"
	 "cost over the worker's monthly earnings at destination (recorded\n"
	 "on the cost, else from the worker's wage records), in percent, and\n"
	 "the legal fee cap of the corridor with its source and date.\n"
	 "Currencies are converted only with a market rate of the reference\n"
	 "data, else the burden is left out with the reason. Mean and median\n"
	 "by corridor: mrm stats --measure recruitment-burden --by corridor.\n",
	 cmd_recruitment},
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
	mrm_store_process_init();
	if (mrm_crypto_init(&err))
		return cli_error(c->name, &err);
	return c->run(argc - 1, argv + 1);
}
