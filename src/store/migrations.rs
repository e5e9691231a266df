//! The schema, as an append-only list of migrations tracked by `PRAGMA
//! user_version`. Never edit or reorder a migration that has shipped: add a new one.

use rusqlite::{Connection, OptionalExtension as _};

use super::{StoreError, StoreResult};

/// The schema steps, oldest first. `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE project_settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    -- A random identity, so exchange files (REFI-QDA) name this project's things
    -- with GUIDs no other project shares, and the same GUIDs in every export.
    INSERT INTO project_settings (key, value) VALUES ('project_guid', lower(hex(randomblob(16))));

    CREATE TABLE cases (
        case_id     INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE sources (
        source_id   INTEGER PRIMARY KEY,
        case_id     INTEGER NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        speaker     TEXT NOT NULL DEFAULT '',
        role        TEXT NOT NULL DEFAULT '',
        place       TEXT NOT NULL DEFAULT '',
        date        TEXT NOT NULL DEFAULT '',
        interviewer TEXT NOT NULL DEFAULT '',
        pseudonym   TEXT NOT NULL DEFAULT '',
        UNIQUE (case_id, name COLLATE NOCASE)
    );
    CREATE INDEX sources_by_speaker ON sources (speaker);

    CREATE TABLE attributes (
        attribute_id INTEGER PRIMARY KEY,
        scope        TEXT NOT NULL CHECK (scope IN ('case', 'source')),
        name         TEXT NOT NULL COLLATE NOCASE,
        value_type   TEXT NOT NULL DEFAULT 'text'
                     CHECK (value_type IN ('text', 'number', 'date', 'boolean')),
        sort_order   INTEGER NOT NULL DEFAULT 0,
        UNIQUE (scope, name)
    );
    CREATE TABLE case_attribute_values (
        case_id      INTEGER NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        attribute_id INTEGER NOT NULL REFERENCES attributes (attribute_id) ON DELETE CASCADE,
        value        TEXT NOT NULL,
        PRIMARY KEY (case_id, attribute_id)
    );
    CREATE INDEX case_attribute_values_by_attribute ON case_attribute_values (attribute_id, value);
    CREATE TABLE source_attribute_values (
        source_id    INTEGER NOT NULL REFERENCES sources (source_id) ON DELETE CASCADE,
        attribute_id INTEGER NOT NULL REFERENCES attributes (attribute_id) ON DELETE CASCADE,
        value        TEXT NOT NULL,
        PRIMARY KEY (source_id, attribute_id)
    );
    CREATE INDEX source_attribute_values_by_attribute ON source_attribute_values (attribute_id, value);

    CREATE TABLE excerpts (
        excerpt_id         INTEGER PRIMARY KEY,
        source_id          INTEGER NOT NULL REFERENCES sources (source_id) ON DELETE CASCADE,
        label              TEXT NOT NULL DEFAULT '',
        position           INTEGER NOT NULL,
        original_text      TEXT,
        original_lang      TEXT NOT NULL DEFAULT 'es',
        translation_text   TEXT,
        translation_lang   TEXT NOT NULL DEFAULT 'en',
        translation_status TEXT NOT NULL DEFAULT 'missing'
                           CHECK (translation_status IN ('missing', 'draft', 'reviewed', 'disputed')),
        translation_note   TEXT NOT NULL DEFAULT '',
        CHECK (original_text IS NOT NULL OR translation_text IS NOT NULL)
    );
    CREATE INDEX excerpts_by_source ON excerpts (source_id, position);
    CREATE INDEX excerpts_by_status ON excerpts (translation_status);

    CREATE TABLE coders (
        coder_id INTEGER PRIMARY KEY,
        name     TEXT NOT NULL UNIQUE COLLATE NOCASE
    );

    CREATE TABLE codes (
        code_id     INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        color       TEXT NOT NULL,
        -- No cascade: deleting a code moves its children up a level first.
        parent_id   INTEGER REFERENCES codes (code_id),
        sort_order  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX codes_by_parent ON codes (parent_id, sort_order);

    CREATE TABLE codings (
        coding_id    INTEGER PRIMARY KEY,
        excerpt_id   INTEGER NOT NULL REFERENCES excerpts (excerpt_id) ON DELETE CASCADE,
        code_id      INTEGER NOT NULL REFERENCES codes (code_id) ON DELETE CASCADE,
        coder_id     INTEGER NOT NULL REFERENCES coders (coder_id) ON DELETE CASCADE,
        -- The excerpt's source, repeated here so that counts per case, source or
        -- speaker scan one covering index instead of joining every coding to its
        -- excerpt (200,000 excerpts and 1,000,000 codings: 570 ms down to 140 ms).
        -- Kept equal to excerpts.source_id by the store and the trigger below.
        source_id    INTEGER NOT NULL REFERENCES sources (source_id) ON DELETE CASCADE,
        -- NULL side and span: the whole excerpt. Otherwise chars, end exclusive.
        side         TEXT CHECK (side IN ('original', 'translation')),
        start_char   INTEGER,
        end_char     INTEGER,
        covered_text TEXT NOT NULL DEFAULT '',
        needs_review INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
        created_at   TEXT NOT NULL,
        CHECK ((side IS NULL AND start_char IS NULL AND end_char IS NULL)
            OR (side IS NOT NULL AND start_char >= 0 AND end_char > start_char))
    );
    CREATE INDEX codings_by_code ON codings (code_id, excerpt_id);
    CREATE INDEX codings_by_excerpt ON codings (excerpt_id, code_id);
    CREATE INDEX codings_by_coder ON codings (coder_id, code_id);
    CREATE INDEX codings_by_source ON codings (source_id, code_id, excerpt_id, coder_id);
    CREATE TRIGGER excerpts_move_codings AFTER UPDATE OF source_id ON excerpts BEGIN
        UPDATE codings SET source_id = new.source_id WHERE excerpt_id = new.excerpt_id;
    END;

    -- One memo per target; a memo with no target is the project memo.
    CREATE TABLE memos (
        memo_id    INTEGER PRIMARY KEY,
        case_id    INTEGER REFERENCES cases (case_id) ON DELETE CASCADE,
        source_id  INTEGER REFERENCES sources (source_id) ON DELETE CASCADE,
        excerpt_id INTEGER REFERENCES excerpts (excerpt_id) ON DELETE CASCADE,
        code_id    INTEGER REFERENCES codes (code_id) ON DELETE CASCADE,
        coding_id  INTEGER REFERENCES codings (coding_id) ON DELETE CASCADE,
        text       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK ((case_id IS NOT NULL) + (source_id IS NOT NULL) + (excerpt_id IS NOT NULL)
             + (code_id IS NOT NULL) + (coding_id IS NOT NULL) <= 1)
    );
    CREATE UNIQUE INDEX memos_by_case ON memos (case_id);
    CREATE UNIQUE INDEX memos_by_source ON memos (source_id);
    CREATE UNIQUE INDEX memos_by_excerpt ON memos (excerpt_id);
    CREATE UNIQUE INDEX memos_by_code ON memos (code_id);
    CREATE UNIQUE INDEX memos_by_coding ON memos (coding_id);

    -- Full-text search over both languages; accents folded so 'policia' finds 'policía'.
    CREATE VIRTUAL TABLE excerpt_search USING fts5 (
        original_text, translation_text,
        content = 'excerpts', content_rowid = 'excerpt_id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER excerpts_search_insert AFTER INSERT ON excerpts BEGIN
        INSERT INTO excerpt_search (rowid, original_text, translation_text)
        VALUES (new.excerpt_id, new.original_text, new.translation_text);
    END;
    CREATE TRIGGER excerpts_search_delete AFTER DELETE ON excerpts BEGIN
        INSERT INTO excerpt_search (excerpt_search, rowid, original_text, translation_text)
        VALUES ('delete', old.excerpt_id, old.original_text, old.translation_text);
    END;
    CREATE TRIGGER excerpts_search_update AFTER UPDATE OF original_text, translation_text ON excerpts BEGIN
        INSERT INTO excerpt_search (excerpt_search, rowid, original_text, translation_text)
        VALUES ('delete', old.excerpt_id, old.original_text, old.translation_text);
        INSERT INTO excerpt_search (rowid, original_text, translation_text)
        VALUES (new.excerpt_id, new.original_text, new.translation_text);
    END;
    "#,
    // 2: transcripts. An excerpt is a turn of an interview: who spoke it (as the
    // transcript labels them), whether it is the interviewer's, and when. A source
    // keeps the lines before the first turn, and the files it was imported from.
    r#"
    ALTER TABLE excerpts ADD COLUMN speaker TEXT NOT NULL DEFAULT '';
    ALTER TABLE excerpts ADD COLUMN interviewer INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE excerpts ADD COLUMN time TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN description TEXT NOT NULL DEFAULT '';
    CREATE TABLE source_files (
        source_id   INTEGER NOT NULL REFERENCES sources (source_id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        file_name   TEXT NOT NULL,
        PRIMARY KEY (source_id, fingerprint)
    );
    CREATE INDEX source_files_by_fingerprint ON source_files (fingerprint);
    "#,
    // 3: stable identity. Cases, sources, excerpts, codes and codings get a UUID
    // that copies, exchange files and merges keep, so a copy coded by a second
    // coder matches its original. New rows get one as they are inserted.
    r#"
    ALTER TABLE cases ADD COLUMN uuid TEXT;
    ALTER TABLE sources ADD COLUMN uuid TEXT;
    ALTER TABLE excerpts ADD COLUMN uuid TEXT;
    ALTER TABLE codes ADD COLUMN uuid TEXT;
    ALTER TABLE codings ADD COLUMN uuid TEXT;
    UPDATE cases SET uuid = quipu_uuid();
    UPDATE sources SET uuid = quipu_uuid();
    UPDATE excerpts SET uuid = quipu_uuid();
    UPDATE codes SET uuid = quipu_uuid();
    UPDATE codings SET uuid = quipu_uuid();
    CREATE UNIQUE INDEX cases_by_uuid ON cases (uuid);
    CREATE UNIQUE INDEX sources_by_uuid ON sources (uuid);
    CREATE UNIQUE INDEX excerpts_by_uuid ON excerpts (uuid);
    CREATE UNIQUE INDEX codes_by_uuid ON codes (uuid);
    CREATE UNIQUE INDEX codings_by_uuid ON codings (uuid);
    CREATE TRIGGER cases_uuid AFTER INSERT ON cases WHEN new.uuid IS NULL BEGIN
        UPDATE cases SET uuid = quipu_uuid() WHERE case_id = new.case_id;
    END;
    CREATE TRIGGER sources_uuid AFTER INSERT ON sources WHEN new.uuid IS NULL BEGIN
        UPDATE sources SET uuid = quipu_uuid() WHERE source_id = new.source_id;
    END;
    CREATE TRIGGER excerpts_uuid AFTER INSERT ON excerpts WHEN new.uuid IS NULL BEGIN
        UPDATE excerpts SET uuid = quipu_uuid() WHERE excerpt_id = new.excerpt_id;
    END;
    CREATE TRIGGER codes_uuid AFTER INSERT ON codes WHEN new.uuid IS NULL BEGIN
        UPDATE codes SET uuid = quipu_uuid() WHERE code_id = new.code_id;
    END;
    CREATE TRIGGER codings_uuid AFTER INSERT ON codings WHEN new.uuid IS NULL BEGIN
        UPDATE codings SET uuid = quipu_uuid() WHERE coding_id = new.coding_id;
    END;
    "#,
    // 4: a code's name is unique among its siblings only, as in NVivo, ATLAS.ti
    // and MAXQDA ("Other" under two themes). The table is rebuilt without the
    // project-wide UNIQUE (foreign keys are off while it runs; see `migrate`).
    r#"
    CREATE TABLE codes_new (
        code_id     INTEGER PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        color       TEXT NOT NULL,
        -- No cascade: deleting a code moves its children up a level first.
        parent_id   INTEGER REFERENCES codes (code_id),
        sort_order  INTEGER NOT NULL DEFAULT 0,
        uuid        TEXT
    );
    INSERT INTO codes_new (code_id, name, description, color, parent_id, sort_order, uuid)
        SELECT code_id, name, description, color, parent_id, sort_order, uuid FROM codes;
    DROP TABLE codes;
    ALTER TABLE codes_new RENAME TO codes;
    CREATE INDEX codes_by_parent ON codes (parent_id, sort_order);
    CREATE UNIQUE INDEX codes_by_uuid ON codes (uuid);
    CREATE UNIQUE INDEX codes_by_sibling_name ON codes (IFNULL(parent_id, 0), name);
    CREATE TRIGGER codes_uuid AFTER INSERT ON codes WHEN new.uuid IS NULL BEGIN
        UPDATE codes SET uuid = quipu_uuid() WHERE code_id = new.code_id;
    END;
    "#,
    // 5: running counts. For each source and code, its codings and the distinct
    // excerpts carrying it (any coder), kept by triggers as codings come and go,
    // so code counts and unfiltered frequencies read a few thousand rows instead
    // of a million codings. An excerpt counts once per source: "another coding
    // of this excerpt and code in this source" decides whether it is new.
    r#"
    -- Each source's testimony counted from the index alone (frequencies divide by it).
    CREATE INDEX excerpts_by_source_turn ON excerpts (source_id, interviewer, translation_status);
    CREATE TABLE code_tallies (
        source_id INTEGER NOT NULL,
        code_id   INTEGER NOT NULL,
        codings   INTEGER NOT NULL,
        excerpts  INTEGER NOT NULL,
        PRIMARY KEY (source_id, code_id)
    ) WITHOUT ROWID;
    INSERT INTO code_tallies (source_id, code_id, codings, excerpts)
        SELECT source_id, code_id, COUNT(*), COUNT(DISTINCT excerpt_id) FROM codings GROUP BY source_id, code_id;
    CREATE TRIGGER codings_tally_insert AFTER INSERT ON codings BEGIN
        INSERT INTO code_tallies (source_id, code_id, codings, excerpts)
        VALUES (new.source_id, new.code_id, 1,
                NOT EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = new.excerpt_id AND k.code_id = new.code_id
                            AND k.source_id = new.source_id AND k.coding_id <> new.coding_id))
        ON CONFLICT (source_id, code_id) DO UPDATE SET codings = codings + 1, excerpts = excerpts + excluded.excerpts;
    END;
    CREATE TRIGGER codings_tally_delete AFTER DELETE ON codings BEGIN
        UPDATE code_tallies SET codings = codings - 1,
            excerpts = excerpts - NOT EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = old.excerpt_id
                                              AND k.code_id = old.code_id AND k.source_id = old.source_id)
        WHERE source_id = old.source_id AND code_id = old.code_id;
        DELETE FROM code_tallies WHERE source_id = old.source_id AND code_id = old.code_id AND codings <= 0;
    END;
    CREATE TRIGGER codings_tally_update AFTER UPDATE OF excerpt_id, code_id, source_id ON codings BEGIN
        UPDATE code_tallies SET codings = codings - 1,
            excerpts = excerpts - NOT EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = old.excerpt_id
                                              AND k.code_id = old.code_id AND k.source_id = old.source_id
                                              AND k.coding_id <> new.coding_id)
        WHERE source_id = old.source_id AND code_id = old.code_id;
        DELETE FROM code_tallies WHERE source_id = old.source_id AND code_id = old.code_id AND codings <= 0;
        INSERT INTO code_tallies (source_id, code_id, codings, excerpts)
        VALUES (new.source_id, new.code_id, 1,
                NOT EXISTS (SELECT 1 FROM codings k WHERE k.excerpt_id = new.excerpt_id AND k.code_id = new.code_id
                            AND k.source_id = new.source_id AND k.coding_id <> new.coding_id))
        ON CONFLICT (source_id, code_id) DO UPDATE SET codings = codings + 1, excerpts = excerpts + excluded.excerpts;
    END;
    "#,
    // 6: running co-occurrence. For each source and pair of codes (the smaller
    // ID first), the excerpts carrying both and those where codings of the two
    // overlap, so co-occurrence reads a few hundred thousand rows at most
    // instead of a million codings. A change to a coding takes the pairs of its
    // excerpt (within its source) out before and puts them back after, so every
    // step, the moving of an excerpt's codings to another source among them,
    // leaves the counts right. (The unary `+` keeps SQLite on the excerpt's
    // index: by the source's, each change read every coding of the source.)
    r#"
    CREATE TABLE code_pairs (
        source_id   INTEGER NOT NULL,
        first_code  INTEGER NOT NULL,
        second_code INTEGER NOT NULL,
        excerpts    INTEGER NOT NULL,
        overlapping INTEGER NOT NULL,
        PRIMARY KEY (source_id, first_code, second_code)
    ) WITHOUT ROWID;
    INSERT INTO code_pairs (source_id, first_code, second_code, excerpts, overlapping)
        SELECT source_id, first_code, second_code, COUNT(*), SUM(overlapping) FROM (
            SELECT a.source_id, a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND b.source_id = a.source_id AND b.code_id > a.code_id
            GROUP BY a.source_id, a.excerpt_id, a.code_id, b.code_id)
        GROUP BY source_id, first_code, second_code;
    CREATE TRIGGER codings_pairs_insert_before BEFORE INSERT ON codings BEGIN
        UPDATE code_pairs SET excerpts = code_pairs.excerpts - 1, overlapping = code_pairs.overlapping - unit.overlapping
        FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = new.excerpt_id AND +a.source_id = new.source_id
            GROUP BY a.code_id, b.code_id) AS unit
        WHERE code_pairs.source_id = new.source_id AND code_pairs.first_code = unit.first_code
              AND code_pairs.second_code = unit.second_code;
    END;
    CREATE TRIGGER codings_pairs_insert_after AFTER INSERT ON codings BEGIN
        INSERT INTO code_pairs (source_id, first_code, second_code, excerpts, overlapping)
            SELECT new.source_id, first_code, second_code, 1, overlapping FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = new.excerpt_id AND +a.source_id = new.source_id
            GROUP BY a.code_id, b.code_id) WHERE true
            ON CONFLICT (source_id, first_code, second_code)
            DO UPDATE SET excerpts = excerpts + 1, overlapping = overlapping + excluded.overlapping;
        DELETE FROM code_pairs WHERE source_id = new.source_id AND excerpts <= 0;
    END;
    CREATE TRIGGER codings_pairs_delete_before BEFORE DELETE ON codings BEGIN
        UPDATE code_pairs SET excerpts = code_pairs.excerpts - 1, overlapping = code_pairs.overlapping - unit.overlapping
        FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = old.excerpt_id AND +a.source_id = old.source_id
            GROUP BY a.code_id, b.code_id) AS unit
        WHERE code_pairs.source_id = old.source_id AND code_pairs.first_code = unit.first_code
              AND code_pairs.second_code = unit.second_code;
    END;
    CREATE TRIGGER codings_pairs_delete_after AFTER DELETE ON codings BEGIN
        INSERT INTO code_pairs (source_id, first_code, second_code, excerpts, overlapping)
            SELECT old.source_id, first_code, second_code, 1, overlapping FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = old.excerpt_id AND +a.source_id = old.source_id
            GROUP BY a.code_id, b.code_id) WHERE true
            ON CONFLICT (source_id, first_code, second_code)
            DO UPDATE SET excerpts = excerpts + 1, overlapping = overlapping + excluded.overlapping;
        DELETE FROM code_pairs WHERE source_id = old.source_id AND excerpts <= 0;
    END;
    CREATE TRIGGER codings_pairs_update_before BEFORE UPDATE OF excerpt_id, code_id, source_id, side, start_char, end_char ON codings BEGIN
        UPDATE code_pairs SET excerpts = code_pairs.excerpts - 1, overlapping = code_pairs.overlapping - unit.overlapping
        FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = old.excerpt_id AND +a.source_id = old.source_id
            GROUP BY a.code_id, b.code_id) AS unit
        WHERE code_pairs.source_id = old.source_id AND code_pairs.first_code = unit.first_code
              AND code_pairs.second_code = unit.second_code;
    END;
    CREATE TRIGGER codings_pairs_update_before_moved BEFORE UPDATE OF excerpt_id, code_id, source_id, side, start_char, end_char ON codings
    WHEN new.excerpt_id IS NOT old.excerpt_id OR new.source_id IS NOT old.source_id BEGIN
        UPDATE code_pairs SET excerpts = code_pairs.excerpts - 1, overlapping = code_pairs.overlapping - unit.overlapping
        FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = new.excerpt_id AND +a.source_id = new.source_id
            GROUP BY a.code_id, b.code_id) AS unit
        WHERE code_pairs.source_id = new.source_id AND code_pairs.first_code = unit.first_code
              AND code_pairs.second_code = unit.second_code;
    END;
    CREATE TRIGGER codings_pairs_update_after AFTER UPDATE OF excerpt_id, code_id, source_id, side, start_char, end_char ON codings BEGIN
        INSERT INTO code_pairs (source_id, first_code, second_code, excerpts, overlapping)
            SELECT old.source_id, first_code, second_code, 1, overlapping FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = old.excerpt_id AND +a.source_id = old.source_id
            GROUP BY a.code_id, b.code_id) WHERE true
            ON CONFLICT (source_id, first_code, second_code)
            DO UPDATE SET excerpts = excerpts + 1, overlapping = overlapping + excluded.overlapping;
        DELETE FROM code_pairs WHERE source_id = old.source_id AND excerpts <= 0;
    END;
    CREATE TRIGGER codings_pairs_update_after_moved AFTER UPDATE OF excerpt_id, code_id, source_id, side, start_char, end_char ON codings
    WHEN new.excerpt_id IS NOT old.excerpt_id OR new.source_id IS NOT old.source_id BEGIN
        INSERT INTO code_pairs (source_id, first_code, second_code, excerpts, overlapping)
            SELECT new.source_id, first_code, second_code, 1, overlapping FROM (SELECT a.code_id AS first_code, b.code_id AS second_code,
                   MAX(a.side IS NULL OR b.side IS NULL
                       OR (a.side = b.side AND a.start_char < b.end_char AND b.start_char < a.end_char)) AS overlapping
            FROM codings a JOIN codings b
                 ON b.excerpt_id = a.excerpt_id AND +b.source_id = a.source_id AND b.code_id > a.code_id
            WHERE a.excerpt_id = new.excerpt_id AND +a.source_id = new.source_id
            GROUP BY a.code_id, b.code_id) WHERE true
            ON CONFLICT (source_id, first_code, second_code)
            DO UPDATE SET excerpts = excerpts + 1, overlapping = overlapping + excluded.overlapping;
        DELETE FROM code_pairs WHERE source_id = new.source_id AND excerpts <= 0;
    END;
    "#,
];

/// A random version-4 UUID in plain SQL, so any program writing the file gives
/// new rows one. Migrations write `quipu_uuid()` where it goes.
const UUID_SQL: &str = "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || \
     substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || \
     substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))";

/// The file format version this build writes and reads.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to [`CURRENT_VERSION`], running every missing migration in
/// one transaction. Running it again does nothing.
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version >= CURRENT_VERSION {
        return Ok(());
    }
    // A negative version is refused when the file is opened; here it is read
    // as the first.
    let first = usize::try_from(version).unwrap_or(0);
    // Rebuilding a table (format 4) must not cascade: dropping the old codes
    // table would otherwise delete every coding. Foreign keys are switched off
    // for the upgrade (outside its transaction, where the switch takes effect)
    // and checked before it commits.
    let foreign_keys: bool = conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let upgraded = upgrade(conn, first);
    conn.pragma_update(None, "foreign_keys", foreign_keys)?;
    upgraded
}

fn upgrade(conn: &mut Connection, first: usize) -> StoreResult<()> {
    let tx = conn.transaction()?;
    for migration in &MIGRATIONS[first..] {
        tx.execute_batch(&migration.replace("quipu_uuid()", UUID_SQL))?;
    }
    let broken: Option<String> = tx
        .query_row("SELECT \"table\" || ' row ' || rowid FROM pragma_foreign_key_check LIMIT 1", [], |row| row.get(0))
        .optional()?;
    if let Some(broken) = broken {
        return Err(StoreError::Invalid(crate::bilingual!(
            "the upgrade of the file would leave {broken} pointing at nothing; nothing was changed",
            "la actualización del archivo dejaría {broken} apuntando a nada; no cambió nada"
        )));
    }
    tx.pragma_update(None, "user_version", CURRENT_VERSION)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::store::{APPLICATION_ID, Store, StoreError};

    fn table_names(conn: &Connection) -> Vec<String> {
        let mut statement = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn migrating_twice_leaves_the_schema_as_it_was() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let first = table_names(&conn);
        migrate(&mut conn).unwrap();
        assert_eq!(table_names(&conn), first);
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, CURRENT_VERSION);
        assert!(first.contains(&"excerpts".to_owned()));
        assert!(first.contains(&"excerpt_search".to_owned()));
    }

    #[test]
    fn opening_a_file_from_a_newer_quipu_is_refused_and_leaves_it_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.quipu");
        drop(Store::create(&path).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", CURRENT_VERSION + 1).unwrap();
            conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let error = Store::open(&path).unwrap_err();
        assert!(matches!(error, StoreError::NewerFormat { found, .. } if found == CURRENT_VERSION + 1));
        assert!(error.to_string().contains("newer version of Quipu"));
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file changed");
        assert!(!Path::new(&format!("{}-wal", path.display())).exists());
    }

    #[test]
    fn upgrading_an_older_file_keeps_a_backup_and_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.quipu");
        {
            // A file stopped before the first migration: only the marker is set.
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
            conn.execute_batch("CREATE TABLE kept (x); INSERT INTO kept VALUES (42);").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.format_version().unwrap(), CURRENT_VERSION);
        let backup = dir.path().join("old.quipu.v0.bak");
        assert!(backup.exists(), "no backup was taken");
        let conn = Connection::open(&backup).unwrap();
        let kept: i64 = conn.query_row("SELECT x FROM kept", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, 42);
    }

    #[test]
    fn an_earlier_backup_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.quipu");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        }
        let earlier = dir.path().join("old.quipu.v0.bak");
        std::fs::write(&earlier, "her own copy").unwrap();
        Store::open(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&earlier).unwrap(), "her own copy");
        assert!(dir.path().join("old.quipu.v0.1.bak").exists(), "the new backup is numbered");
    }

    #[test]
    fn a_negative_format_version_is_refused_and_the_file_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odd.quipu");
        drop(Store::create(&path).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", -1).unwrap();
            conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let error = Store::open(&path).unwrap_err();
        assert!(error.to_string().contains("odd.quipu") && error.to_string().contains("format version -1"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file changed");
        assert!(!dir.path().join("odd.quipu.v-1.bak").exists(), "no backup is taken of a refused file");
    }

    #[test]
    fn a_first_format_project_gains_turns_and_keeps_its_excerpts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.quipu");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute_batch(
                "INSERT INTO cases (name) VALUES ('Cerro Alto');
                 INSERT INTO sources (case_id, name) VALUES (1, 'Entrevista 1');
                 INSERT INTO excerpts (source_id, position, original_text) VALUES (1, 1, 'El agua se fue.');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.format_version().unwrap(), CURRENT_VERSION);
        let excerpt = store.excerpt(store.excerpt_ids().unwrap()[0]).unwrap();
        assert_eq!(excerpt.original.as_deref(), Some("El agua se fue."));
        assert_eq!((excerpt.speaker.as_str(), excerpt.interviewer, excerpt.time.as_str()), ("", false, ""));
        assert_eq!(store.sources().unwrap()[0].description, "");
        assert!(dir.path().join("v1.quipu.v1.bak").exists(), "no backup was taken");
        assert_eq!(store.search_ids("agua", None, false).unwrap().len(), 1, "the search index still answers");
    }

    #[test]
    fn a_fourth_format_project_gains_running_counts_that_agree_with_its_codings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.quipu");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
            for migration in &MIGRATIONS[..4] {
                conn.execute_batch(&migration.replace("quipu_uuid()", UUID_SQL)).unwrap();
            }
            conn.pragma_update(None, "user_version", 4).unwrap();
            conn.execute_batch(
                "INSERT INTO cases (name) VALUES ('Cerro Alto');
                 INSERT INTO sources (case_id, name) VALUES (1, 'Entrevista 1'), (1, 'Entrevista 2');
                 INSERT INTO excerpts (source_id, position, original_text)
                     VALUES (1, 1, 'El agua se fue.'), (1, 2, 'Nadie vino.'), (2, 1, 'La policía llegó.');
                 INSERT INTO coders (name) VALUES ('Ana'), ('Bruno');
                 INSERT INTO codes (name, color) VALUES ('Trust', '#4E9AD6'), ('Water', '#4FB3AA');
                 -- Two coders on one excerpt: one excerpt, two codings.
                 INSERT INTO codings (excerpt_id, code_id, coder_id, source_id, created_at) VALUES
                     (1, 2, 1, 1, ''), (1, 2, 2, 1, ''), (2, 2, 1, 1, ''), (3, 1, 1, 2, ''), (3, 2, 2, 2, '');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.format_version().unwrap(), CURRENT_VERSION);
        let counts: Vec<(i64, u64, u64)> =
            store.code_counts().unwrap().into_iter().map(|c| (c.code_id.0, c.excerpts, c.codings)).collect();
        assert_eq!(counts, vec![(1, 1, 1), (2, 3, 4)]);
        let by_source: Vec<(i64, i64, u64, u64)> = store
            .source_code_counts(&crate::store::Filter::default())
            .unwrap()
            .into_iter()
            .map(|c| (c.source_id.0, c.code_id.0, c.excerpts, c.codings))
            .collect();
        assert_eq!(by_source, vec![(1, 2, 2, 3), (2, 1, 1, 1), (2, 2, 1, 1)]);
        // Format 6 counts pairs of codes too: only "La policía llegó." carries both.
        let meetings = store.code_meetings(&crate::store::Filter::default()).unwrap();
        let pairs: Vec<(i64, i64, u64, u64)> =
            meetings.pairs.iter().map(|p| (p.first.0, p.second.0, p.excerpts, p.overlapping)).collect();
        assert_eq!(pairs, vec![(1, 2, 1, 1)]);
        assert_eq!(meetings, store.code_meetings_by_scan(&crate::store::Filter::default()).unwrap());
    }

    #[test]
    fn a_third_format_project_keeps_every_coding_and_memo_when_codes_become_unique_among_siblings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.quipu");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
            conn.pragma_update(None, "foreign_keys", true).unwrap();
            for migration in &MIGRATIONS[..3] {
                conn.execute_batch(&migration.replace("quipu_uuid()", UUID_SQL)).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute_batch(
                "INSERT INTO cases (name) VALUES ('Cerro Alto');
                 INSERT INTO sources (case_id, name) VALUES (1, 'Entrevista 1');
                 INSERT INTO excerpts (source_id, position, original_text) VALUES (1, 1, 'El agua se fue.');
                 INSERT INTO coders (name) VALUES ('Ana');
                 INSERT INTO codes (name, color) VALUES ('Agua', '#112233');
                 INSERT INTO codes (name, color, parent_id) VALUES ('Otro', '#112233', 1);
                 INSERT INTO codings (excerpt_id, code_id, coder_id, source_id, created_at) VALUES (1, 2, 1, 1, 'x');
                 INSERT INTO memos (code_id, text, updated_at) VALUES (2, 'nota', 'x');",
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.format_version().unwrap(), CURRENT_VERSION);
        assert_eq!(store.coding_count().unwrap(), 1, "rebuilding the codes table cascaded nothing");
        let other = store.codes().unwrap().into_iter().find(|code| code.name == "Otro").unwrap();
        assert_eq!(store.memo(crate::model::MemoTarget::Code(other.code_id)).unwrap(), "nota");
        assert!(other.parent_id.is_some());
        // "Otro" may now also sit at the top level, but not twice under "Agua".
        let draft = |parent_id| crate::model::CodeDraft {
            name: "otro".into(),
            description: String::new(),
            color: None,
            parent_id,
        };
        store.add_code(&draft(None)).unwrap();
        assert!(store.add_code(&draft(other.parent_id)).is_err());
        let foreign_keys: bool = store.conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0)).unwrap();
        assert!(foreign_keys, "foreign keys are on again after the upgrade");
    }

    #[test]
    fn every_row_gets_a_distinct_uuid_when_upgraded_and_when_inserted() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO cases (name) VALUES ('Uno'), ('Dos');
             PRAGMA user_version = 1;",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        conn.execute("INSERT INTO cases (name) VALUES ('Tres')", []).unwrap();
        let uuids: Vec<String> = conn
            .prepare("SELECT uuid FROM cases ORDER BY case_id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(uuids.len(), 3);
        for uuid in &uuids {
            let parts: Vec<usize> = uuid.split('-').map(str::len).collect();
            assert_eq!(parts, vec![8, 4, 4, 4, 12], "{uuid}");
            assert!(uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit()), "{uuid}");
            assert_eq!(&uuid[14..15], "4", "version 4: {uuid}");
        }
        assert!(uuids[0] != uuids[1] && uuids[1] != uuids[2] && uuids[0] != uuids[2]);
    }

    #[test]
    fn opening_a_file_that_is_not_a_project_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text_file = dir.path().join("notes.quipu");
        std::fs::write(&text_file, "just some notes, not a database at all......".repeat(20)).unwrap();
        let error = Store::open(&text_file).unwrap_err();
        assert!(matches!(error, StoreError::NotAProject { .. }), "{error}");
        let other_db = dir.path().join("other.sqlite");
        Connection::open(&other_db).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
        let error = Store::open(&other_db).unwrap_err();
        assert!(error.to_string().contains("another program"), "{error}");
    }
}
