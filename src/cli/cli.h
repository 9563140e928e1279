/*
 * cli.h - what the subcommands of `mrm` share: option parsing, opening the
 * store, output formats and error reporting.
 */
#ifndef MRM_CLI_H
#define MRM_CLI_H

#include "mrm/error.h"

#include <stdio.h>

struct mrm_store;

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_PARTIAL = 3 };

struct cli_opt {
	const char *name;   /* "db" for --db */
	const char **value; /* where an option with a value goes, or NULL */
	int *flag;          /* set to 1 for a flag, or NULL */
	const char ***list; /* repeatable: NULL-terminated, malloc'd */
};

struct cli_cmd {
	const char *name;
	const char *summary;
	const char *usage; /* full help text */
	int (*run)(int argc, char **argv);
};

extern const struct cli_cmd cli_commands[];

/*
 * Parse argv[1..] against `opts` (ending with a NULL name); positional
 * arguments are gathered into `pos` (at most `maxpos`; *npos set).
 * `--help` prints the command's help and returns CLI_OK via *done.
 * Returns 0 to go on, or an exit status to stop with.
 */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv,
	      const struct cli_opt *opts, char **pos, int maxpos, int *npos);

/* Print "mrm CMD: error text" to stderr and return CLI_FAIL (or USAGE). */
int cli_error(const char *cmd, const struct mrm_error *err);
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Open --db into *st, or print why not: returns 0, CLI_USAGE (no --db) or
 * CLI_FAIL. */
int cli_open(const char *cmd, const char *db, struct mrm_store **st);

/* Output formats: "table" (human), "json", "csv". */
enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV };
int cli_format(const char *cmd, const char *s, enum cli_format *out);

const struct cli_cmd *cli_find(const char *name);

int cmd_init(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_info(int argc, char **argv);

int cmd_help(int argc, char **argv);

#endif
