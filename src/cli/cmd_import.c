/* cmd_import.c - mrm import */
#include "cli.h"

#include "mrm/import.h"
#include "mrm/linkage.h"
#include "mrm/store.h"
#include "mrm/wages.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct progress {
	int tty;
	time_t last;
};

static void on_error(void *ctx, const struct mrm_error *e)
{
	char text[MRM_ERROR_WHERE_MAX + MRM_ERROR_MSG_MAX + 4];
	struct progress *p = ctx;

	mrm_error_format(e, text, sizeof(text));
	fprintf(stderr, "%s%s\n", p->tty ? "\r\033[K" : "", text);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	time_t now = time(NULL);

	if (!p->tty || !total || (now == p->last && done < total))
		return;
	p->last = now;
	fprintf(stderr, "\r\033[Kimporting [%-30.*s] %3u%%",
		(int)(done * 30 / total), "##############################",
		(unsigned)(done * 100 / total));
	if (done >= total)
		fputs("\r\033[K", stderr);
}

static int is_json(const char *path, const char *format)
{
	size_t n = strlen(path);

	if (format)
		return !strcmp(format, "json");
	return n > 5 && !strcmp(path + n - 5, ".json");
}

static void summary(const char *path, const struct mrm_import_stats *s)
{
	fprintf(stderr,
		"%s: %llu rows; added %llu events, %llu acts, %llu persons, "
		"%llu sources, %llu interventions; %llu events already present",
		path, (unsigned long long)s->rows,
		(unsigned long long)s->events, (unsigned long long)s->acts,
		(unsigned long long)s->persons, (unsigned long long)s->sources,
		(unsigned long long)s->interventions,
		(unsigned long long)s->events_existing);
	if (s->rejected)
		fprintf(stderr, "; %llu rows rejected",
			(unsigned long long)s->rejected);
	fputc('\n', stderr);
}

/* mrm import --what wages|recruitment FILE.csv */
static int import_labour(const char *db, const char *what, const char *path,
			 struct mrm_import_opts *io)
{
	struct mrm_store *st = NULL;
	struct mrm_error err;
	unsigned long added = 0;
	FILE *in = fopen(path, "rb");
	int rc;

	if (!in) {
		mrm_error_set(&err, MRM_ERR_IO, path, "cannot open the file");
		return cli_error("import", &err);
	}
	rc = cli_open("import", db, &st);
	if (!rc && mrm_import_labour_csv(st, in, path, what, io, &added, &err))
		rc = cli_error("import", &err);
	else if (!rc)
		fprintf(stderr, "%s: added %lu %s\n", path, added,
			!strcmp(what, "wages") ? "wage records"
					       : "recruitment costs");
	fclose(in);
	mrm_store_close(st);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	const char *db = NULL, *org = NULL, *mapping = NULL, *rejects = NULL,
		   *max = NULL, *format = NULL, *what = NULL;
	int skip = 0;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"org", &org, NULL, NULL},
				       {"mapping", &mapping, NULL, NULL},
				       {"skip-invalid", NULL, &skip, NULL},
				       {"rejects", &rejects, NULL, NULL},
				       {"max-errors", &max, NULL, NULL},
				       {"format", &format, NULL, NULL},
				       {"what", &what, NULL, NULL},
				       {NULL}};
	struct progress prog = {isatty(2), 0};
	struct mrm_import_opts io = {0};
	struct mrm_import_stats stats;
	struct mrm_mapping *map = NULL;
	struct mrm_store *st = NULL;
	struct mrm_error err;
	FILE *in = NULL, *rej = NULL;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("import"), argc, argv, opts, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!db)
		return cli_usage("import", "--db FILE is required");
	if (npos != 1)
		return cli_usage("import", "name one file to import");
	if (rejects && !skip)
		return cli_usage("import",
				 "--rejects goes with --skip-invalid");
	if (format && strcmp(format, "csv") && strcmp(format, "json"))
		return cli_usage("import", "--format must be csv or json");
	if (max && (atoi(max) < 1))
		return cli_usage("import", "--max-errors must be 1 or more");
	if (what && strcmp(what, "events")) {
		if (strcmp(what, "wages") && strcmp(what, "recruitment"))
			return cli_usage("import", "--what must be events, "
						   "wages or recruitment");
		if (mapping || skip || (format && strcmp(format, "csv")) ||
		    is_json(pos[0], format))
			return cli_usage(
				"import",
				"--what wages|recruitment reads CSV "
				"only, without --mapping or "
				"--skip-invalid (in JSON, wage records "
				"are members of an event: "
				"docs/wages.md)");
		io.org = org;
		io.max_errors = max ? (unsigned)atoi(max) : 0;
		io.on_error = on_error;
		io.ctx = &prog;
		return import_labour(db, what, pos[0], &io);
	}
	if (mapping && mrm_mapping_load(&map, mapping, &err))
		return cli_error("import", &err);
	in = fopen(pos[0], "rb");
	if (!in) {
		mrm_error_set(&err, MRM_ERR_IO, pos[0], "cannot open the file");
		rc = cli_error("import", &err);
		goto out;
	}
	/* rejected rows may hold anything a row can, names included */
	if (rejects && !(rej = cli_create_private("import", rejects))) {
		rc = CLI_FAIL;
		goto out;
	}
	if ((rc = cli_open("import", db, &st)))
		goto out;
	io = (struct mrm_import_opts){
		org,	  map,	       skip, rej, max ? (unsigned)atoi(max) : 0,
		on_error, on_progress, &prog};
	if (is_json(pos[0], format))
		rc = mrm_import_json(st, in, pos[0], &io, &stats, &err);
	else
		rc = mrm_import_csv(st, in, pos[0], &io, &stats, &err);
	/* with a network linkage key (DB.linkage): the new persons' values */
	if (!rc)
		rc = mrm_linkage_after_import(st, NULL, &err);
	if (rc) {
		rc = cli_error("import", &err);
		goto out;
	}
	summary(pos[0], &stats);
	rc = stats.rejected ? CLI_PARTIAL : CLI_OK;
out:
	if (rej && fclose(rej))
		rc = CLI_FAIL;
	if (in)
		fclose(in);
	mrm_store_close(st);
	mrm_mapping_free(map);
	return rc;
}
