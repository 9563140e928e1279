/* schema.sql.h - the SQLite schema: per migration step, a NULL-terminated
 * list of statements. */

/* 1: the foundation */
static const char *const schema_v1[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB);",
	"CREATE TABLE org(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, country TEXT NOT NULL, kind TEXT, services TEXT,"
	" areas TEXT, languages TEXT,"
	" created TEXT NOT NULL DEFAULT "
	"(strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
	"CREATE TABLE user(id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES org(id),"
	" login TEXT NOT NULL UNIQUE, pw_hash TEXT NOT NULL, role TEXT NOT NULL"
	" CHECK (role IN "
	"('admin','coordinator','caseworker','researcher','viewer')),"
	" created TEXT NOT NULL DEFAULT "
	"(strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
	"CREATE TABLE vocab(scheme TEXT NOT NULL, code TEXT NOT NULL, seq "
	"INTEGER,"
	" parent TEXT, huridocs TEXT, en TEXT NOT NULL, th TEXT, my TEXT, km "
	"TEXT,"
	" lo TEXT, vi TEXT, zh TEXT, PRIMARY KEY (scheme, code));",
	"CREATE TABLE person(id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES org(id), key TEXT,"
	" unit TEXT NOT NULL DEFAULT 'individual' CHECK (unit IN "
	"('individual','group')),"
	" group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size >= 1),"
	" name BLOB, other_names BLOB, sex TEXT, birth_date TEXT, nationality "
	"TEXT,"
	" ethnicity TEXT, languages TEXT, doc_status TEXT, occupation TEXT,"
	" sector TEXT, child INTEGER, guardian TEXT, contact BLOB, health BLOB,"
	" linkage_key TEXT, UNIQUE (org_id, key));",
	"CREATE TABLE event(id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES org(id), key TEXT NOT NULL,"
	" title TEXT NOT NULL, summary TEXT, narrative BLOB, start_date TEXT,"
	" end_date TEXT, country TEXT, admin1 TEXT, district TEXT, place TEXT,"
	" latitude REAL, longitude REAL, status TEXT, confidentiality TEXT,"
	" UNIQUE (org_id, key));",
	"CREATE TABLE event_attr(event_id INTEGER NOT NULL"
	" REFERENCES event(id) ON DELETE CASCADE, name TEXT NOT NULL,"
	" value TEXT NOT NULL, PRIMARY KEY (event_id, name, value)) WITHOUT "
	"ROWID;",
	"CREATE TABLE act(id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL"
	" REFERENCES event(id) ON DELETE CASCADE,"
	" victim_id INTEGER REFERENCES person(id), type TEXT NOT NULL,"
	" start_date TEXT, end_date TEXT, country TEXT, admin1 TEXT, place "
	"TEXT,"
	" reason TEXT, end_status TEXT);",
	"CREATE INDEX act_event ON act(event_id);",
	"CREATE INDEX act_victim ON act(victim_id);",
	"CREATE TABLE act_arrest(act_id INTEGER PRIMARY KEY"
	" REFERENCES act(id) ON DELETE CASCADE, authority TEXT, reason_given "
	"TEXT,"
	" documents_held TEXT, money_demanded INTEGER, money_paid INTEGER,"
	" currency TEXT);",
	"CREATE TABLE act_detention(act_id INTEGER PRIMARY KEY"
	" REFERENCES act(id) ON DELETE CASCADE, facility_type TEXT,"
	" facility_name TEXT, legal_counsel INTEGER, consular_access INTEGER,"
	" conditions TEXT);",
	"CREATE TABLE act_deportation(act_id INTEGER PRIMARY KEY"
	" REFERENCES act(id) ON DELETE CASCADE, route TEXT, checkpoint TEXT,"
	" formal INTEGER, handed_to TEXT, cost INTEGER, currency TEXT);",
	"CREATE TABLE act_return(act_id INTEGER PRIMARY KEY"
	" REFERENCES act(id) ON DELETE CASCADE, receiving_org TEXT, support "
	"TEXT);",
	"CREATE TABLE involvement(id INTEGER PRIMARY KEY, act_id INTEGER NOT "
	"NULL"
	" REFERENCES act(id) ON DELETE CASCADE, type TEXT, name TEXT, degree "
	"TEXT);",
	"CREATE INDEX involvement_act ON involvement(act_id);",
	"CREATE TABLE source(id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL"
	" REFERENCES event(id) ON DELETE CASCADE, kind TEXT, name TEXT, url "
	"TEXT,"
	" reliability INTEGER, date TEXT, language TEXT);",
	"CREATE INDEX source_event ON source(event_id);",
	"CREATE TABLE intervention(id INTEGER PRIMARY KEY, event_id INTEGER "
	"NOT NULL"
	" REFERENCES event(id) ON DELETE CASCADE,"
	" victim_id INTEGER REFERENCES person(id), type TEXT, org TEXT,"
	" start_date TEXT, end_date TEXT, response TEXT, status TEXT,"
	" compensation INTEGER, currency TEXT);",
	"CREATE INDEX intervention_event ON intervention(event_id);",
	/* Only public, non-identifying text is indexed. */
	/* The statistics' fact table, as of data generation `generation`
	 * (src/lib/facts.c); rebuilt when the data has moved on. */
	"CREATE TABLE stats_cache(id INTEGER PRIMARY KEY CHECK (id = 1),"
	" generation INTEGER NOT NULL, facts BLOB NOT NULL, dict BLOB NOT "
	"NULL);",
	/* detail=none: half the size and time of a full index; substring
	 * queries use LIKE on each column, which SQLite re-checks on the row.
	 */
	"CREATE VIRTUAL TABLE event_fts USING fts5(title, summary, place,"
	" content='event', content_rowid='id', tokenize='trigram',"
	" detail=none);",
	/* New events are indexed by libmrm in one statement at the end of the
	 * transaction that adds them (import.c): row by row through a trigger
	 * is five times slower. Changes and deletions go through triggers. */
	"CREATE TRIGGER event_fts_ad AFTER DELETE ON event BEGIN"
	" INSERT INTO event_fts(event_fts, rowid, title, summary, place)"
	" VALUES ('delete', old.id, old.title, old.summary, old.place); END;",
	"CREATE TRIGGER event_fts_au AFTER UPDATE ON event BEGIN"
	" INSERT INTO event_fts(event_fts, rowid, title, summary, place)"
	" VALUES ('delete', old.id, old.title, old.summary, old.place);"
	" INSERT INTO event_fts(rowid, title, summary, place)"
	" VALUES (new.id, new.title, new.summary, new.place); END;",
	NULL,
};

/* 2: sessions, API tokens, login limits, records shared between
 * organisations (src/lib/auth.c). Tokens are kept only as their BLAKE2b-256
 * hash; times are Unix seconds. */
static const char *const schema_v2[] = {
	"CREATE TABLE session(token_hash BLOB PRIMARY KEY"
	" CHECK (length(token_hash) = 32),"
	" user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,"
	" csrf TEXT NOT NULL, created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL) WITHOUT ROWID;",
	"CREATE INDEX session_user ON session(user_id);",
	"CREATE INDEX session_expires ON session(expires);",
	"CREATE TABLE login_failure(login TEXT NOT NULL, client TEXT NOT NULL,"
	" at INTEGER NOT NULL);",
	"CREATE INDEX login_failure_login ON login_failure(login, at);",
	"CREATE INDEX login_failure_client ON login_failure(client, at);",
	"CREATE INDEX login_failure_at ON login_failure(at);",
	"CREATE TABLE api_token(token_hash BLOB PRIMARY KEY"
	" CHECK (length(token_hash) = 32),"
	" user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL, created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL) WITHOUT ROWID;",
	"CREATE INDEX api_token_user ON api_token(user_id);",
	"CREATE TABLE event_share(event_id INTEGER NOT NULL"
	" REFERENCES event(id) ON DELETE CASCADE,"
	" org_id INTEGER NOT NULL REFERENCES org(id),"
	" PRIMARY KEY (event_id, org_id)) WITHOUT ROWID;",
	"CREATE INDEX event_share_org ON event_share(org_id);",
	NULL,
};

/* audit: the tamper-evident log (src/lib/audit.c, docs/audit.md), one
 * hash-chained entry per write, export and decryption. Append-only: the
 * triggers refuse changes and deletions (mrm audit verify detects those
 * made around them). */
static const char *const schema_audit[] = {
	"CREATE TABLE audit(seq INTEGER PRIMARY KEY, at TEXT NOT NULL,"
	" user_id INTEGER, actor TEXT NOT NULL, action TEXT NOT NULL,"
	" tbl TEXT, record INTEGER, detail TEXT, old_hash BLOB,"
	" new_hash BLOB, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);",
	"CREATE INDEX audit_record ON audit(tbl, record);",
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	NULL,
};

static const char *const *const schema_migrations[] = {schema_v1, schema_v2,
						       schema_audit};
