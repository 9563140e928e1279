/*
 * cli.h - what the subcommands of `mrm` share: option parsing, opening the
 * store, output formats and error reporting.
 */
#ifndef MRM_CLI_H
#define MRM_CLI_H

#include "mrm/error.h"

#include <jansson.h>
#include <stdio.h>

struct mrm_store;

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_PARTIAL = 3 };

struct cli_opt {
	const char *name;   /* "db" for --db */
	const char **value; /* where an option with a value goes, or NULL */
	int *flag;	    /* set to 1 for a flag, or NULL */
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
 * CLI_FAIL. A database locked with a passphrase is unlocked with
 * --passphrase-fd N or --passphrase-file FILE (options every command
 * takes, see cli_parse()) or else asked for on the terminal. */
int cli_open(const char *cmd, const char *db, struct mrm_store **st);

/* Output formats: "table" (human), "json", "csv". */
enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV };
int cli_format(const char *cmd, const char *s, enum cli_format *out);

const struct cli_cmd *cli_find(const char *name);

/*
 * Open `path` for writing as a file only its owner may read (mode 0600,
 * also when it existed: then its mode is set before it is emptied). For
 * what may hold sensitive data: exports, rejected rows. On failure prints
 * why ("mrm CMD: PATH: ...") and returns NULL. The caller fclose()s it.
 */
FILE *cli_create_private(const char *cmd, const char *path);

/*
 * A listing (mrm org list, mrm user list) on standard output as a table,
 * JSON (one array of objects, printed at the end) or CSV (with a header).
 * cli_rows_begin() allocates nothing; cli_rows_end() frees what the rows
 * took.
 */
struct cli_column {
	const char *name; /* heads the CSV column, names the JSON member */
	int width;	  /* table: padded to this many characters; 0: not */
};

struct cli_rows {
	enum cli_format fmt;
	const struct cli_column *cols;
	size_t ncols;
	const int *table; /* the columns of the table, in order; -1 ends */
	json_t *arr;	  /* CLI_JSON: the rows so far */
	struct mrm_error *err;
};

/* Start a listing; cli_emit_row() failures are told in `err`. */
void cli_rows_begin(struct cli_rows *r, enum cli_format fmt,
		    const struct cli_column *cols, size_t ncols,
		    const int *table, struct mrm_error *err);
/* Print (or keep, for JSON) one row of ncols `values`; 0, or a negative
 * code with r->err filled. */
int cli_emit_row(struct cli_rows *r, const char *const *values);
/* Print the JSON array when `ok`; free what the rows took. */
void cli_rows_end(struct cli_rows *r, int ok);

/* Columns `text` takes on a terminal (combining marks 0, CJK 2). */
int cli_width(const char *text);
/* Write `text` padded with spaces to `width` columns (right-aligned when
 * `right`). */
void cli_pad(FILE *out, const char *text, int width, int right);

int cmd_init(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_policy(int argc, char **argv);

int cmd_key(int argc, char **argv);
int cmd_wipe(int argc, char **argv);

/* The --passphrase-fd and --passphrase-file every command takes (NULL:
 * not given). */
extern const char *cli_passphrase_fd, *cli_passphrase_file;

/* A passphrase read by cli_passphrase(); wipe it with cli_secret_wipe(). */
struct cli_secret {
	char text[1025]; /* MRM_PASSPHRASE_MAX + 1 */
	size_t len;
};

/*
 * Read a passphrase: the first line of file descriptor `fd` (the value of
 * option --`fd_opt`) if given, else of the private file `file`, else from
 * the terminal without echo after `prompt` (asked twice when `confirm`).
 * Never from the command line. Returns 0 or an exit status (told).
 */
int cli_passphrase(const char *cmd, const char *fd_opt, const char *fd,
		   const char *file_opt, const char *file, const char *prompt,
		   int confirm, struct cli_secret *out);
void cli_secret_wipe(struct cli_secret *s);

/*
 * The new key-encryption key that --to (key-file or passphrase), --kdf
 * and --new-passphrase-fd/--new-passphrase-file ask for, into `spec`; a
 * new passphrase is read into `pass` (spec points into it; wipe it).
 * Returns 0 or an exit status (told).
 */
struct mrm_kek_spec;
int cli_new_kek(const char *cmd, const char *to, const char *kdf,
		const char *new_fd, const char *new_file,
		struct cli_secret *pass, struct mrm_kek_spec *spec);

int cmd_linkage(int argc, char **argv);
int cmd_portability(int argc, char **argv);
int cmd_welfare(int argc, char **argv);
int cmd_ref(int argc, char **argv);
int cmd_wages(int argc, char **argv);
int cmd_recruitment(int argc, char **argv);
int cmd_audit(int argc, char **argv);

int cmd_help(int argc, char **argv);

/* Option --OPT's value `s` as a whole number from lo to hi into *out
 * (0 when `s` is NULL), else a usage error naming the range. */
int cli_number(const char *cmd, const char *opt, const char *s, long lo,
	       long hi, unsigned *out);

#endif
