/* store.c - see include/mrm/store.h (SQLite implementation) */
#include "mrm/store.h"

#include "evcache.h"
#include "keyring_internal.h"
#include "mrm/policy.h"
#include "mrm/audit.h"
#include "mrm/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.sql.h"

#define APP_ID 0x4d524d31 /* "MRM1", PRAGMA application_id */

#define STMT_CACHE 32 /* prepared statements kept per connection */

struct mrm_store {
	sqlite3 *db;
	char *path;
	struct mrm_key key; /* the key-encryption key */
	struct mrm_keyring *keys;
	struct evcache *events; /* worker connections only */
	struct mrm_vocab *vocab;
	struct {
		char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	size_t ncache;
	char actor[128]; /* for the audit log */
	int64_t actor_id;
};

int mrm_store_fail(struct mrm_store *st, struct mrm_error *err,
		   const char *what)
{
	return mrm_error_set(err, MRM_ERR_DB, st ? st->path : NULL, "%s: %s",
			     what, st && st->db ? sqlite3_errmsg(st->db) : "");
}

static int exec(struct mrm_store *st, const char *sql, struct mrm_error *err)
{
	char *msg = NULL;
	int rc = 0;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		rc = mrm_error_set(err, MRM_ERR_DB, st->path, "%s",
				   msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
	}
	return rc;
}

static int pragma_int(struct mrm_store *st, const char *sql, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc = MRM_ERR_DB;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		*out = sqlite3_column_int(s, 0);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

static int configure(struct mrm_store *st, struct mrm_error *err)
{
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	return exec(st,
		    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
		    "PRAGMA cache_size=-65536; PRAGMA secure_delete=ON;",
		    err);
}

/* Run every migration step above the database's version, one transaction. */
static int migrate(struct mrm_store *st, struct mrm_error *err)
{
	const int latest =
		(int)(sizeof(schema_migrations) / sizeof(schema_migrations[0]));
	char sql[64];
	int version = 0, rc;

	if (pragma_int(st, "PRAGMA user_version", &version))
		return mrm_store_fail(st, err,
				      "cannot read the schema version");
	if (version > latest)
		return mrm_error_set(err, MRM_ERR_DB, st->path,
				     "schema version %d is newer than this mrm "
				     "understands (%d); upgrade mrm",
				     version, latest);
	if (version == latest)
		return 0;
	rc = exec(st, "BEGIN IMMEDIATE", err);
	for (int v = version; !rc && v < latest; v++)
		for (int i = 0; !rc && schema_migrations[v][i]; i++)
			rc = exec(st, schema_migrations[v][i], err);
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", latest);
	if (!rc)
		rc = exec(st, sql, err);
	if (!rc)
		rc = exec(st, "COMMIT", err);
	if (rc)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static struct mrm_store *store_new(const char *path)
{
	struct mrm_store *st = calloc(1, sizeof(*st));

	if (st && !(st->path = strdup(path))) {
		free(st);
		st = NULL;
	}
	if (st)
		mrm_store_set_actor(st, 0, NULL);
	return st;
}

void mrm_store_close(struct mrm_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->ncache; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	sqlite3_close_v2(st->db);
	mrm_vocab_free(st->vocab);
	keyring_free(st->keys);
	evcache_free(st->events);
	mrm_key_wipe(&st->key);
	free(st->path);
	free(st);
}

int mrm_store_create(const char *path, struct mrm_error *err)
{
	return mrm_store_create_kek(path, NULL, err);
}

int mrm_store_create_kek(const char *path, const struct mrm_kek_spec *kek,
			 struct mrm_error *err)
{
	struct mrm_store *st = NULL;
	char *keypath = mrm_key_path_for(path);
	int use_file = !kek || !kek->passphrase;
	struct stat sb;
	int rc = 0, made_key = 0, made_db = 0, fd;
	char sql[128];

	if (!keypath || !(st = store_new(path))) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	if (stat(path, &sb) == 0) {
		rc = mrm_error_set(err, MRM_ERR_EXISTS, path,
				   "a file is already there; choose another "
				   "name or remove it first");
		goto out;
	}
	rc = use_file ? mrm_key_create(keypath, &st->key, err)
		      : mrm_crypto_init(err);
	if (rc)
		goto out;
	made_key = use_file;
	/* Create the file ourselves, private to its owner: SQLite would follow
	 * the umask, and its -wal and -shm files copy the database's mode. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || close(fd)) {
		rc = mrm_error_set(err, MRM_ERR_IO, path, "cannot create: %s",
				   strerror(errno));
		goto out;
	}
	made_db = 1;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		rc = mrm_store_fail(st, err, "cannot create the database");
		goto out;
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id=%d", APP_ID);
	/* 16 KB pages, set before the first table (and WAL) fixes the size:
	 * an import of 1,000,000 acts takes a sixth less time than with 4 KB
	 * pages (fewer pages to split, log and copy back); an event is still
	 * a few pages. Databases made before keep theirs. */
	rc = exec(st, "PRAGMA page_size=16384", err);
	if (!rc)
		rc = configure(st, err);
	if (!rc)
		rc = exec(st, sql, err);
	if (!rc)
		rc = migrate(st, err);
	if (!rc)
		rc = exec(st, "BEGIN IMMEDIATE", err);
	if (!rc)
		rc = keyring_kek_init(st, kek, err);
	if (!rc)
		rc = mrm_vocab_install(st->db, err);
	if (!rc)
		rc = mrm_policy_install(st->db, err);
	if (!rc)
		rc = mrm_audit_append(
			st,
			&(struct mrm_audit_entry){.action = "init",
						  .detail = "database created"},
			err);
	if (!rc)
		rc = exec(st, "COMMIT", err);
out:
	mrm_store_close(st);
	if (rc && made_db) {
		char side[4096];

		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
	if (rc && made_key)
		unlink(keypath);
	free(keypath);
	return rc;
}

/* Load or derive the KEK as `u` says and check it against the database. */
static int unlock(struct mrm_store *st, const struct store_unlock *u,
		  const char *keypath, struct mrm_error *err)
{
	int pass = keyring_kek_is_passphrase(st);
	int rc;

	if (u->no_kek)
		return 0;
	if (u->kek) {
		st->key = *u->kek;
		return keyring_keycheck(st, "the key", err);
	}
	if (pass && !u->passphrase)
		return mrm_error_set(err, MRM_ERR_CRYPTO, st->path,
				     "this database is locked with a "
				     "passphrase: give it on the terminal, "
				     "with --passphrase-fd N or with "
				     "--passphrase-file FILE");
	if (!pass && u->passphrase)
		return mrm_error_set(err, MRM_ERR_CRYPTO, st->path,
				     "this database opens with its key file "
				     "%s, not a passphrase",
				     keypath);
	rc = pass ? keyring_kek_derive(st, u->passphrase, u->passphrase_len,
				       err)
		  : mrm_key_load(keypath, &st->key, err);
	if (!rc)
		rc = keyring_keycheck(st, pass ? "the passphrase" : keypath,
				      err);
	if (rc && !pass) {
		char *newer = malloc(strlen(keypath) + 5);

		/* a key rotation stopped between its commit and rename */
		if (newer) {
			sprintf(newer, "%s.new", keypath);
			if (access(newer, F_OK) == 0)
				mrm_error_prefix(err,
						 "(%s exists: a key change "
						 "was interrupted; try it as "
						 "the key file)",
						 newer);
		}
		free(newer);
	}
	return rc;
}

int store_open_with(struct mrm_store **out, const char *path,
		    const struct store_unlock *u, struct mrm_error *err)
{
	struct mrm_store *st = store_new(path);
	char *keypath = mrm_key_path_for(path);
	int rc = 0, app = 0;

	*out = NULL;
	if (!st || !keypath) {
		rc = mrm_error_set(err, MRM_ERR_NOMEM, path, "out of memory");
		goto out;
	}
	if (access(path, F_OK) != 0) {
		rc = mrm_error_set(err, MRM_ERR_NOTFOUND, path,
				   "no database here; create one with: "
				   "mrm init --db %s",
				   path);
		goto out;
	}
	if (sqlite3_open_v2(path, &st->db,
			    SQLITE_OPEN_READWRITE |
				    (u->worker ? SQLITE_OPEN_NOMUTEX : 0),
			    NULL) != SQLITE_OK) {
		rc = mrm_store_fail(st, err, "cannot open the database");
		goto out;
	}
	if (pragma_int(st, "PRAGMA application_id", &app) || app != APP_ID) {
		rc = mrm_error_set(err, MRM_ERR_INVALID, path,
				   "not an mrm database");
		goto out;
	}
	rc = mrm_crypto_init(err);
	if (!rc)
		rc = configure(st, err);
	if (!rc)
		rc = unlock(st, u, keypath, err);
	if (!rc)
		rc = migrate(st, err);
	if (!rc && !u->no_kek)
		rc = keyring_open(st, err);
	if (!rc)
		rc = mrm_vocab_load(&st->vocab, st->db, err);
	if (!rc && u->worker && !(st->events = evcache_new()))
		rc = mrm_error_set(err, MRM_ERR_NOMEM, path, "out of memory");
	/* a database made before this register, or an older register */
	if (!rc)
		rc = mrm_policy_sync(st, 0, NULL, err);
out:
	free(keypath);
	if (rc)
		mrm_store_close(st);
	else
		*out = st;
	return rc;
}

int mrm_store_open(struct mrm_store **out, const char *path,
		   struct mrm_error *err)
{
	const struct store_unlock u = {0};

	return store_open_with(out, path, &u, err);
}

int mrm_store_open_passphrase(struct mrm_store **out, const char *path,
			      const char *passphrase, size_t len,
			      struct mrm_error *err)
{
	const struct store_unlock u = {.passphrase = passphrase,
				       .passphrase_len = len};

	return store_open_with(out, path, &u, err);
}

int mrm_store_open_kek(struct mrm_store **out, const char *path,
		       const struct mrm_key *kek, struct mrm_error *err)
{
	const struct store_unlock u = {.kek = kek};

	return store_open_with(out, path, &u, err);
}

void mrm_store_process_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* refused once started */
}

struct evcache *store_evcache(struct mrm_store *st)
{
	return st->events;
}

int mrm_store_open_worker(struct mrm_store **out, const char *path,
			  const struct mrm_key *kek, struct mrm_error *err)
{
	/* no SQLite mutex taken and released around every call */
	const struct store_unlock u = {.kek = kek, .worker = 1};

	return store_open_with(out, path, &u, err);
}

int mrm_store_needs_passphrase(const char *path)
{
	struct mrm_store *st = store_new(path);
	int yes = 0;

	if (st && sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL) ==
			  SQLITE_OK)
		yes = keyring_kek_is_passphrase(st);
	mrm_store_close(st);
	return yes;
}

struct mrm_key *store_kek(struct mrm_store *st)
{
	return &st->key;
}

struct mrm_keyring **store_keyring(struct mrm_store *st)
{
	return &st->keys;
}

int mrm_store_begin(struct mrm_store *st, struct mrm_error *err)
{
	return exec(st, "BEGIN IMMEDIATE", err);
}

int mrm_store_commit(struct mrm_store *st, struct mrm_error *err)
{
	return exec(st, "COMMIT", err);
}

int mrm_store_touch(struct mrm_store *st, struct mrm_error *err)
{
	return exec(st,
		    "INSERT INTO meta(key, value) VALUES ('generation', 1) "
		    "ON CONFLICT(key) DO UPDATE SET value = value + 1",
		    err);
}

int64_t mrm_store_generation(struct mrm_store *st)
{
	sqlite3_stmt *s = mrm_store_prepare(
		st, "SELECT value FROM meta WHERE key = 'generation'");
	int64_t gen = 0;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		gen = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return gen;
}

void mrm_store_rollback(struct mrm_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

const struct mrm_vocab *mrm_store_vocab(const struct mrm_store *st)
{
	return st->vocab;
}

const struct mrm_key *mrm_store_key(const struct mrm_store *st)
{
	return &st->key;
}

void mrm_store_set_actor(struct mrm_store *st, int64_t user_id,
			 const char *actor)
{
	struct passwd *pw;

	st->actor_id = actor ? user_id : 0;
	if (actor) {
		snprintf(st->actor, sizeof(st->actor), "%s", actor);
	} else if ((pw = getpwuid(geteuid())) && pw->pw_name) {
		snprintf(st->actor, sizeof(st->actor), "cli:%.120s",
			 pw->pw_name);
	} else {
		snprintf(st->actor, sizeof(st->actor), "cli:uid%lu",
			 (unsigned long)geteuid());
	}
}

const char *mrm_store_actor(const struct mrm_store *st, int64_t *user_id)
{
	if (user_id)
		*user_id = st->actor_id;
	return st->actor;
}

const char *mrm_store_path(const struct mrm_store *st)
{
	return st->path;
}

sqlite3 *mrm_store_db(struct mrm_store *st)
{
	return st->db;
}

sqlite3_stmt *mrm_store_prepare(struct mrm_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;

	for (size_t i = 0; i < st->ncache; i++)
		if (!strcmp(st->cache[i].sql, sql)) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
			       NULL))
		return NULL;
	if (st->ncache == STMT_CACHE) {
		/* full: the oldest goes */
		sqlite3_finalize(st->cache[0].stmt);
		free(st->cache[0].sql);
		memmove(st->cache, st->cache + 1,
			(STMT_CACHE - 1) * sizeof(st->cache[0]));
		st->ncache--;
	}
	st->cache[st->ncache].sql = strdup(sql);
	if (!st->cache[st->ncache].sql) {
		sqlite3_finalize(s);
		return NULL;
	}
	st->cache[st->ncache++].stmt = s;
	return s;
}

int mrm_store_counts(struct mrm_store *st, struct mrm_counts *c,
		     struct mrm_error *err)
{
	const char *sql =
		"SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM "
		"act),"
		" (SELECT count(*) FROM person),"
		" (SELECT coalesce(sum(group_size),0) FROM person),"
		" (SELECT count(*) FROM org), (SELECT count(*) FROM user)";
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) ||
	    sqlite3_step(s) != SQLITE_ROW) {
		rc = mrm_store_fail(st, err, "cannot count records");
	} else {
		c->events = sqlite3_column_int64(s, 0);
		c->acts = sqlite3_column_int64(s, 1);
		c->persons = sqlite3_column_int64(s, 2);
		c->people = sqlite3_column_int64(s, 3);
		c->organisations = sqlite3_column_int64(s, 4);
		c->users = sqlite3_column_int64(s, 5);
	}
	sqlite3_finalize(s);
	return rc;
}
