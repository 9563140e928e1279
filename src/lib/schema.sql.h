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

/* policy: the policy register (src/lib/policy.c). Rows with shipped = 1
 * come from data/reference/policies.csv and are replaced when the shipped
 * register changes; org_id is the organisation that added a row of its
 * own (NULL for shipped rows and for rows added by the local operator). */
static const char *const schema_policy[] = {
	"CREATE TABLE policy(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
	" country TEXT NOT NULL, instrument TEXT NOT NULL CHECK (instrument IN"
	" ('law','decree','regulation','mou','cabinet_resolution',"
	"'declaration','announcement','measure')),"
	" title TEXT NOT NULL, summary TEXT, adopted TEXT, effective_from TEXT,"
	" effective_to TEXT, source TEXT NOT NULL, source_url TEXT,"
	" estimate INTEGER NOT NULL DEFAULT 0, note TEXT,"
	" shipped INTEGER NOT NULL DEFAULT 0,"
	" org_id INTEGER REFERENCES org(id),"
	" created TEXT NOT NULL DEFAULT "
	"(strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
	"CREATE INDEX policy_country ON policy(country);",
	"CREATE TABLE event_policy(event_id INTEGER NOT NULL"
	" REFERENCES event(id) ON DELETE CASCADE,"
	" policy_id INTEGER NOT NULL REFERENCES policy(id) ON DELETE CASCADE,"
	" PRIMARY KEY (event_id, policy_id)) WITHOUT ROWID;",
	"CREATE INDEX event_policy_policy ON event_policy(policy_id);",
	NULL,
};

/* websec: two-factor login, disabled users, idle sessions (account.c,
 * auth.c), and an index for counting people across organisations by
 * their linkage key (linkage.c, facts.c). totp_secret is the sealed
 * 20-byte TOTP secret (associated data "user/ID/totp"), NULL when
 * two-factor login is off; totp_pending the one being enrolled;
 * totp_step the last time step whose code was used (never twice). */
static const char *const schema_websec[] = {
	"ALTER TABLE user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;",
	"ALTER TABLE user ADD COLUMN totp_secret BLOB;",
	"ALTER TABLE user ADD COLUMN totp_pending BLOB;",
	"ALTER TABLE user ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;",
	"ALTER TABLE session ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;",
	"UPDATE session SET seen = created;",
	"CREATE INDEX person_linkage ON person(linkage_key)"
	" WHERE linkage_key IS NOT NULL;",
	/* what the value is made of changed: computed again after the next
	 * import or by mrm linkage rebuild */
	"CREATE TRIGGER person_linkage_stale AFTER UPDATE OF name, birth_date,"
	" sex, nationality, unit ON person WHEN new.linkage_key IS NOT NULL"
	" AND (old.birth_date IS NOT new.birth_date OR old.sex IS NOT new.sex"
	" OR old.nationality IS NOT new.nationality OR old.unit IS NOT new.unit"
	/* a new name under the same key version; a value re-sealed under
	 * another version by mrm key rotate keeps its name */
	" OR (old.name IS NOT new.name"
	" AND substr(old.name, 1, 4) IS substr(new.name, 1, 4)))"
	" BEGIN UPDATE person SET linkage_key = NULL WHERE id = new.id; END;",
	NULL,
};

/* wages: wage records and recruitment costs of an event's victims
 * (src/lib/labour.c); money in minor units of `currency`. */
static const char *const schema_wages[] = {
	"CREATE TABLE wage_record(id INTEGER PRIMARY KEY,"
	" event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,"
	" victim_id INTEGER REFERENCES person(id), employer TEXT,"
	" country TEXT NOT NULL, admin1 TEXT, area TEXT, sector TEXT,"
	" period_start TEXT NOT NULL, period_end TEXT NOT NULL,"
	" days_worked INTEGER, hours_worked INTEGER,"
	" amount_paid INTEGER NOT NULL, deductions INTEGER,"
	" currency TEXT NOT NULL);",
	"CREATE INDEX wage_record_event ON wage_record(event_id);",
	"CREATE TABLE recruitment_cost(id INTEGER PRIMARY KEY,"
	" event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,"
	" victim_id INTEGER REFERENCES person(id), paid_to TEXT,"
	" amount INTEGER NOT NULL, currency TEXT NOT NULL, date TEXT,"
	" origin TEXT, destination TEXT, channel TEXT,"
	" monthly_earnings INTEGER, earnings_currency TEXT);",
	"CREATE INDEX recruitment_cost_event ON recruitment_cost(event_id);",
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

/* fts: the search index keeps up to 16 MB of pending terms in memory
 * before it writes a segment (FTS5's default is 1 MB). An import indexes
 * all its events in one statement; fewer, larger segments make that about
 * a third faster (1,000,000 acts: 3.9 s to 2.6 s). Single writes flush
 * at their commit as before. */
static const char *const schema_fts[] = {
	"INSERT INTO event_fts(event_fts, rank) VALUES('hashsize', 16777216);",
	NULL,
};

/* keys: a data key per organisation (DEK), kept wrapped by the
 * key-encryption key (src/lib/keyring.c). Every sealed value gets a 4-byte
 * big-endian key version in front; the values sealed before under the one
 * database key become version 0, which the first open re-encrypts under
 * each organisation's own key (meta keys_legacy marks the work to do). */
static const char *const schema_keys[] = {
	"CREATE TABLE org_key(org_id INTEGER NOT NULL"
	" REFERENCES org(id) ON DELETE CASCADE,"
	" version INTEGER NOT NULL CHECK (version >= 1),"
	" wrapped BLOB NOT NULL, recovery BLOB,"
	" created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	" PRIMARY KEY (org_id, version)) WITHOUT ROWID;",
	"CREATE TABLE org_key_rotation(org_id INTEGER PRIMARY KEY"
	" REFERENCES org(id) ON DELETE CASCADE, target INTEGER NOT NULL,"
	" started TEXT NOT NULL DEFAULT "
	"(strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
	"CREATE TABLE org_key_wiped(org_id INTEGER PRIMARY KEY"
	" REFERENCES org(id) ON DELETE CASCADE, last_version INTEGER NOT NULL,"
	" wiped TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));",
	"INSERT INTO meta(key, value) SELECT 'keys_legacy', 1 WHERE EXISTS"
	" (SELECT 1 FROM person WHERE coalesce(name, other_names, guardian,"
	" contact, health) IS NOT NULL) OR EXISTS (SELECT 1 FROM event WHERE"
	" narrative IS NOT NULL);",
	"UPDATE person SET"
	" name = CAST(x'00000000' || name AS BLOB),"
	" other_names = CAST(x'00000000' || other_names AS BLOB),"
	" guardian = CAST(x'00000000' || guardian AS BLOB),"
	" contact = CAST(x'00000000' || contact AS BLOB),"
	" health = CAST(x'00000000' || health AS BLOB);",
	"UPDATE event SET narrative = CAST(x'00000000' || narrative AS BLOB)"
	" WHERE narrative IS NOT NULL;",
	NULL,
};

/* New migrations go before schema_keys, which stays last: tests/test_keys.c
 * makes a database of before it by undoing it alone. */
static const char *const *const schema_migrations[] = {
	schema_v1,    schema_v2,    schema_policy, schema_websec,
	schema_wages, schema_audit, schema_fts,	   schema_keys};
