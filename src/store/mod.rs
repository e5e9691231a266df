//! The project file: the only place in Quipu that speaks SQL.
//!
//! A project is one SQLite file used as an application file format. [`Store`] owns
//! the connection; its methods take and return domain types from [`crate::model`].
//! Each public method that changes data runs in one transaction, so a user action
//! happens entirely or not at all. The schema lives in [`migrations`].

mod attributes;
mod browse;
mod cases;
mod code_keys;
mod codes;
mod codings;
mod counts;
mod dump;
mod excerpt_edits;
mod excerpts;
mod filter;
mod identity;
mod import;
mod keys;
mod memos;
mod merge;
mod migrations;
mod quotes;
mod search;
mod sources;
mod sql_types;
#[cfg(test)]
mod test_projects;
mod undo;
mod withdraw;

use std::path::{Path, PathBuf};

use crate::language::{Language, Localized, Text};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use attributes::{Attribute, AttributeValue};
pub use browse::{ExcerptPreview, SourceSummary};
pub use code_keys::CODE_KEYS;
pub use codings::{CodingCheck, Settlement};
pub use counts::{
    CodeCount, CodeMeetings, CodePair, GroupedCount, Grouping, OverlapPassage, SourceCodeCount, SourceGroup,
};
pub use excerpts::ReanchorReport;
pub use filter::Filter;

/// What a copy of a project leaves out (see [`Store::save_copy_with`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyOptions {
    /// Leave out every coding and coder: the blind copy for a second coder.
    pub without_codings: bool,
    /// Leave out every memo.
    pub without_memos: bool,
}
pub use identity::{Identified, UuidMap, is_uuid};
pub use import::{ImportBatch, ImportOptions, ImportRow, ImportSummary};
pub use keys::{forget_passphrase, looks_encrypted, remember_passphrase};
pub use merge::{MergeConflict, MergeSummary, Theirs};
pub use migrations::CURRENT_VERSION;
pub use quotes::CodedQuote;
pub use search::{MATCH_END, MATCH_START, SearchHit, SearchPage, SearchQuery, fts_expression};
pub use undo::Replay;
pub use withdraw::Removal;

/// Marks a SQLite file as a Quipu project (`PRAGMA application_id`, "QIPU").
pub const APPLICATION_ID: i32 = 0x5149_5055;

/// Everything that can go wrong reading or writing a project, in words a
/// researcher can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file does not exist.
    #[error("{path}: no such project file")]
    Missing {
        /// The path asked for.
        path: PathBuf,
    },
    /// Creating a project over an existing file.
    #[error("{path}: a file with this name already exists; choose another name")]
    AlreadyExists {
        /// The path asked for.
        path: PathBuf,
    },
    /// The file is not a Quipu project.
    #[error("{path}: not a Quipu project ({reason})")]
    NotAProject {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        reason: Text,
    },
    /// The file was written by a newer Quipu.
    #[error(
        "{path}: this project was saved by a newer version of Quipu (file format {found}; this version reads up to {supported}). \
         It was left untouched; open it with the newer Quipu."
    )]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: i64,
        /// The newest format this build reads.
        supported: i64,
    },
    /// The backup taken before upgrading an older file failed; nothing was changed.
    #[error(
        "{path}: could not write the backup copy taken before upgrading the file ({reason}); the project was not changed"
    )]
    BackupFailed {
        /// The backup's path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A name that must be unique is taken.
    #[error("{kind} '{name}' already exists")]
    NameTaken {
        /// What kind of thing ("a code", "a case" …).
        kind: &'static str,
        /// The name.
        name: String,
    },
    /// A thing asked for by name or ID is not in the project.
    #[error("no {kind} '{name}' in this project")]
    NotFound {
        /// What kind of thing ("code", "case" …).
        kind: &'static str,
        /// Its name or ID.
        name: String,
    },
    /// The project is encrypted and no passphrase was given for it.
    #[error("{path}: this project is encrypted; give its passphrase")]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// The passphrase given does not open the file.
    #[error("{path}: the passphrase is wrong (or the file is not a Quipu project)")]
    WrongPassphrase {
        /// The file.
        path: PathBuf,
    },
    /// The person cancelled a long action; nothing was changed.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// A change the rules of the project forbid.
    #[error("{0}")]
    Invalid(Text),
    /// The database refused, said plainly about the project file: busy, disk
    /// full, read-only or damaged (see [`StoreError::about_file`]).
    #[error("{path}: {message}")]
    InFile {
        /// The project file.
        path: PathBuf,
        /// What went wrong.
        message: Text,
    },
    /// Any other database error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Localized for StoreError {
    fn localized(&self, language: Language) -> String {
        if language == Language::English {
            return self.to_string();
        }
        match self {
            Self::Missing { path } => format!("{}: no existe ese archivo de proyecto", path.display()),
            Self::AlreadyExists { path } => {
                format!("{}: ya existe un archivo con ese nombre; elija otro nombre", path.display())
            }
            Self::NotAProject { path, reason } => {
                format!("{}: no es un proyecto de Quipu ({})", path.display(), reason.get(language))
            }
            Self::NewerFormat { path, found, supported } => format!(
                "{}: este proyecto fue guardado por una versión más nueva de Quipu (formato {found}; esta versión lee \
                 hasta el {supported}). No se tocó; ábralo con la versión más nueva.",
                path.display()
            ),
            Self::BackupFailed { path, reason } => format!(
                "{}: no se pudo escribir la copia de seguridad previa a la actualización del archivo ({reason}); \
                 el proyecto no cambió",
                path.display()
            ),
            Self::NameTaken { kind, name } => format!("ya existe {} '{name}'", named_in_spanish(kind)),
            Self::NotFound { kind, name } => format!("no hay {} '{name}' en este proyecto", kind_in_spanish(kind)),
            Self::Locked { path } => format!("{}: este proyecto está cifrado; dé su contraseña", path.display()),
            Self::WrongPassphrase { path } => {
                format!("{}: la contraseña no es correcta (o el archivo no es un proyecto de Quipu)", path.display())
            }
            Self::Cancelled => "cancelado; no cambió nada".to_owned(),
            Self::Invalid(message) => message.get(language).to_owned(),
            Self::InFile { path, message } => format!("{}: {}", path.display(), message.get(language)),
            Self::Sqlite(error) => format!("error de la base de datos: {error}"),
        }
    }
}

impl StoreError {
    /// A database failure said plainly about the project file `path`: busy
    /// (another writer), the disk full, read-only, damaged or not openable,
    /// each with what to do. Errors that already say what they are come back
    /// unchanged.
    pub fn about_file(self, path: &Path) -> StoreError {
        use rusqlite::ErrorCode;
        let StoreError::Sqlite(error) = &self else {
            return self;
        };
        let Some(code) = error.sqlite_error_code() else {
            return self;
        };
        let message = match code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => crate::bilingual!(
                "the project is busy: another Quipu, or another program, is writing it. Nothing was changed; \
                 try again when it has finished",
                "el proyecto está ocupado: otro Quipu, u otro programa, lo está escribiendo. No cambió nada; \
                 vuelva a intentarlo cuando termine"
            ),
            ErrorCode::DiskFull => crate::bilingual!(
                "the disk is full; nothing was changed. Free some space and try again",
                "el disco está lleno; no cambió nada. Libere espacio y vuelva a intentarlo"
            ),
            ErrorCode::ReadOnly => read_only_message(),
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => crate::bilingual!(
                "the project file is damaged ({error}); restore it from a backup or a copy",
                "el archivo del proyecto está dañado ({error}); restáurelo desde una copia de seguridad"
            ),
            ErrorCode::CannotOpen => crate::bilingual!(
                "the file cannot be opened ({error}); check that it and its folder can be read and written",
                "no se puede abrir el archivo ({error}); compruebe que se pueden leer y escribir él y su carpeta"
            ),
            ErrorCode::SystemIoFailure => crate::bilingual!(
                "the file could not be read or written ({error}); nothing was changed",
                "no se pudo leer o escribir el archivo ({error}); no cambió nada"
            ),
            _ => crate::bilingual!("database error: {error}", "error de la base de datos: {error}"),
        };
        StoreError::InFile { path: path.to_owned(), message }
    }
}

/// What a project that cannot be written is told.
fn read_only_message() -> Text {
    crate::bilingual!(
        "the project cannot be written: the file, its folder or the disk is read-only. Nothing was changed; \
         commands that only read it still work",
        "no se puede escribir el proyecto: el archivo, su carpeta o el disco son de solo lectura. No cambió nada; \
         las órdenes que solo lo leen siguen funcionando"
    )
}

/// A kind of thing a store error names ("code", "case" …) in Spanish, with its
/// article.
fn kind_in_spanish(kind: &str) -> String {
    match kind {
        "code" => "un código",
        "case" => "un caso",
        "source" => "una fuente",
        "excerpt" => "un fragmento",
        "attribute" => "un atributo",
        "coder" => "un codificador",
        "coding" => "una codificación",
        "speaker" => "un hablante",
        other => other,
    }
    .to_owned()
}

/// The phrase before a taken name ("a code named" …) in Spanish.
fn named_in_spanish(kind: &str) -> String {
    match kind {
        "a case named" => "un caso llamado",
        "a code named" => "un código llamado",
        "a source in this case named" => "una fuente de este caso llamada",
        "an attribute named" => "un atributo llamado",
        other => other,
    }
    .to_owned()
}

/// Shorthand for results of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// An open project file.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    undo: undo::UndoHistory,
    /// True once testimony was deleted or replaced through this connection: on
    /// closing, the search index is rebuilt so no deleted word lingers in it.
    forgot: bool,
}

impl Drop for Store {
    /// Closing leaves nothing deleted readable in the file: the search index is
    /// merged (dropping deleted words) if testimony was deleted or edited, and
    /// the write-ahead log is copied into the file (where secure delete has
    /// overwritten freed pages) and emptied.
    fn drop(&mut self) {
        if self.path.is_none() || self.is_read_only() {
            return;
        }
        if self.forgot {
            let _optimized = self.conn.execute_batch("INSERT INTO excerpt_search (excerpt_search) VALUES ('optimize')");
        }
        let _checkpointed = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Creates a new, empty project at `path`, which must not exist yet.
    pub fn create(path: &Path) -> StoreResult<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists { path: path.to_owned() });
        }
        let made = (|| {
            let conn = Connection::open(path)?;
            // A project created with a passphrase is encrypted from its first page.
            if let Some(passphrase) = keys::passphrase_of(path) {
                keys::apply_key(&conn, &passphrase)?;
            }
            let mut store =
                Store { conn, path: Some(path.to_owned()), undo: undo::UndoHistory::default(), forgot: false };
            store.configure()?;
            store.conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            migrations::migrate(&mut store.conn)?;
            Ok::<_, StoreError>(store)
        })();
        // A project that could not be made whole (a full disk) leaves nothing
        // behind to block the retry.
        made.map_err(|error| {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut file = path.as_os_str().to_owned();
                file.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(file));
            }
            error.about_file(path)
        })
    }

    /// Opens an existing project, upgrading it if it was written by an older Quipu
    /// (after taking a backup copy beside it). A file from a newer Quipu, or a file
    /// that is not a project, is refused and left untouched.
    pub fn open(path: &Path) -> StoreResult<Store> {
        Store::open_unexplained(path).map_err(|error| {
            let cannot_write = matches!(
                &error,
                StoreError::Sqlite(error) if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                )
            );
            // A project that opens to read but not to write is said to be read-only.
            if cannot_write && Store::open_read_only_unexplained(path).is_ok() {
                return StoreError::InFile { path: path.to_owned(), message: read_only_message() };
            }
            error.about_file(path)
        })
    }

    fn open_unexplained(path: &Path) -> StoreResult<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.to_owned() });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        keys::unlock(&conn, path)?;
        let version = check_header(&conn, path)?;
        let mut store = Store { conn, path: Some(path.to_owned()), undo: undo::UndoHistory::default(), forgot: false };
        store.configure()?;
        if version < CURRENT_VERSION {
            store.back_up_before_upgrade(path, version)?;
        }
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Opens a project only to read it, as the commands that change nothing do,
    /// so a project on a read-only disk or in a read-only folder can still be
    /// read. A project of an older format is upgraded first ([`Store::open`]):
    /// that needs writing. Any write through it is refused, naming the file.
    pub fn open_read_only(path: &Path) -> StoreResult<Store> {
        Store::open_read_only_unexplained(path).map_err(|error| error.about_file(path))
    }

    fn open_read_only_unexplained(path: &Path) -> StoreResult<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.to_owned() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        keys::unlock(&conn, path)?;
        let (conn, version) = match check_header(&conn, path) {
            Ok(version) => (conn, version),
            // A project in write-ahead mode whose folder cannot be written has
            // no way to share its log: nobody can be writing it, so it is read
            // as it lies on the disk.
            Err(StoreError::Sqlite(error))
                if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) =>
            {
                drop(conn);
                let conn = Connection::open_with_flags(sqlite_uri(path, "mode=ro&immutable=1"), flags)?;
                keys::unlock(&conn, path)?;
                let version = check_header(&conn, path)?;
                (conn, version)
            }
            Err(error) => return Err(error),
        };
        if version < CURRENT_VERSION {
            drop(conn);
            return Store::open_unexplained(path);
        }
        let store = Store { conn, path: Some(path.to_owned()), undo: undo::UndoHistory::default(), forgot: false };
        store.conn.pragma_update(None, "foreign_keys", true)?;
        store.conn.pragma_update(None, "temp_store", "MEMORY")?;
        store.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        store.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(store)
    }

    /// True when the project was opened only to read it (see
    /// [`Store::open_read_only`]).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    /// Opens `path` if it exists, or creates a new project there.
    pub fn open_or_create(path: &Path) -> StoreResult<Store> {
        if path.exists() { Store::open(path) } else { Store::create(path) }
    }

    /// A project that lives only in memory, for tests and previews.
    pub fn in_memory() -> StoreResult<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: None, undo: undo::UndoHistory::default(), forgot: false };
        store.configure()?;
        store.conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// The project file's path, if it has one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Writes a consistent copy of the whole project to `target` (which must not
    /// exist), even while it is open. Used by "Save a copy as…".
    pub fn save_copy(&self, target: &Path) -> StoreResult<()> {
        if target.exists() {
            return Err(StoreError::AlreadyExists { path: target.to_owned() });
        }
        let Some(target_text) = target.to_str() else {
            return Err(StoreError::Invalid(crate::bilingual!(
                "{}: the file name must be valid Unicode",
                "{}: el nombre del archivo debe ser Unicode válido",
                target.display()
            )));
        };
        self.conn.execute("VACUUM INTO ?1", [target_text])?;
        Ok(())
    }

    /// Writes a copy of the project to `target` (which must not exist) leaving
    /// out what `options` says. Without codings it is the blind copy a second
    /// coder codes on her own: the same material, codebook and identities, no
    /// codings and no coders. What is left out is gone from the file, not only
    /// unlisted. A copy that fails half-way is removed.
    pub fn save_copy_with(&self, target: &Path, options: CopyOptions) -> StoreResult<()> {
        self.save_copy(target)?;
        if options == CopyOptions::default() {
            return Ok(());
        }
        // A copy of an encrypted project is encrypted with the same passphrase.
        let passphrase = self.path.as_deref().filter(|path| keys::looks_encrypted(path)).and_then(keys::passphrase_of);
        let trimmed = Connection::open(target).and_then(|copy| {
            if let Some(passphrase) = &passphrase {
                keys::apply_key(&copy, passphrase)?;
            }
            let mut sql = String::from("PRAGMA foreign_keys = ON; BEGIN;");
            if options.without_codings {
                // The running counts simply empty: their triggers, which would
                // recount an excerpt for each coding removed, are set aside.
                let triggers = counts::running_count_triggers(&copy)?;
                for (name, _) in &triggers {
                    sql.push_str(&format!("DROP TRIGGER \"{name}\";"));
                }
                sql.push_str(
                    "DELETE FROM codings; DELETE FROM coders; DELETE FROM code_tallies; DELETE FROM code_pairs;",
                );
                for (_, trigger) in &triggers {
                    sql.push_str(trigger);
                    sql.push(';');
                }
            }
            if options.without_memos {
                sql.push_str("DELETE FROM memos;");
            }
            sql.push_str("COMMIT; VACUUM;");
            copy.execute_batch(&sql)
        });
        if let Err(error) = trimmed {
            let _ = std::fs::remove_file(target);
            return Err(error.into());
        }
        Ok(())
    }

    fn configure(&mut self) -> StoreResult<()> {
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // Deleted testimony is overwritten in the file, not only unlinked, and
        // temporary data (the undo log holds deleted texts) stays in memory.
        self.conn.pragma_update(None, "secure_delete", true)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // In-memory databases answer "memory"; files switch to write-ahead logging so
        // a crash mid-write never damages the file.
        let _mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Plans do not depend on bound values. Otherwise SQLite recompiles a
        // cached statement on every run when a value could change its plan (a
        // `MAX` or `ORDER BY` under `column = ?`), which was a sixth of a large
        // REFI-QDA import.
        self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        self.conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    /// Copies the file to `PROJECT.vN.bak` before an upgrade, or, when that
    /// exists (an earlier upgrade's, or the person's own), to `PROJECT.vN.1.bak`,
    /// `.2` and so on: a backup is never overwritten.
    fn back_up_before_upgrade(&self, path: &Path, version: i64) -> StoreResult<()> {
        let named = |number: usize| {
            let mut backup = path.as_os_str().to_owned();
            backup.push(if number == 0 { format!(".v{version}.bak") } else { format!(".v{version}.{number}.bak") });
            PathBuf::from(backup)
        };
        let backup = (0..).map(named).find(|backup| !backup.exists()).unwrap_or_else(|| named(0));
        let failed = |reason: String| StoreError::BackupFailed { path: backup.clone(), reason };
        let Some(backup_text) = backup.to_str() else {
            return Err(failed("the file name is not valid Unicode".to_owned()));
        };
        self.conn.execute("VACUUM INTO ?1", [backup_text]).map_err(|error| failed(error.to_string()))?;
        Ok(())
    }

    /// A value from the project's settings table, such as the project title.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM project_settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?)
    }

    /// Stores a value in the project's settings table.
    pub fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO project_settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
        Ok(())
    }

    /// The file format version of the open project.
    pub fn format_version(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// A path as an SQLite URI with `parameters`, percent-encoded so any file
/// name opens.
pub(crate) fn sqlite_uri(path: &Path, parameters: &str) -> String {
    let mut uri = String::from("file:");
    let text = path.as_os_str().as_encoded_bytes();
    if cfg!(windows) && !text.starts_with(b"/") {
        uri.push('/');
    }
    for &byte in text {
        let byte = if cfg!(windows) && byte == b'\\' { b'/' } else { byte };
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(parameters);
    uri
}

/// Reads a file's header and says whether it is a project this build can
/// open: its format version, or why not. Writes nothing.
fn check_header(conn: &Connection, path: &Path) -> StoreResult<i64> {
    let not_a_project = |reason: Text| StoreError::NotAProject { path: path.to_owned(), reason };
    // Read the header before writing anything: a refused file must stay as it was.
    let header = conn.query_row("PRAGMA application_id", [], |row| row.get::<_, i32>(0)).and_then(|application_id| {
        let version = conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))?;
        Ok((application_id, version))
    });
    let (application_id, version) = match header {
        Ok(header) => header,
        Err(rusqlite::Error::SqliteFailure(error, _)) if error.code == rusqlite::ErrorCode::NotADatabase => {
            return Err(not_a_project(crate::bilingual!(
                "it is not an SQLite database",
                "no es una base de datos SQLite"
            )));
        }
        Err(error) => return Err(error.into()),
    };
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(1) == 0 {
        return Err(not_a_project(crate::bilingual!(
            "the file is empty (0 bytes), perhaps a project whose creation failed; delete it and create the project again",
            "el archivo está vacío (0 bytes), quizá un proyecto cuya creación falló; bórrelo y vuelva a crear el proyecto"
        )));
    }
    if application_id != APPLICATION_ID {
        return Err(not_a_project(if application_id == 0 {
            crate::bilingual!(
                "it is an SQLite database written by another program",
                "es una base de datos SQLite escrita por otro programa"
            )
        } else {
            crate::bilingual!(
                "it is an SQLite database of another program (application id {application_id:#x})",
                "es una base de datos SQLite de otro programa (identificador de aplicación {application_id:#x})"
            )
        }));
    }
    if version < 0 {
        return Err(not_a_project(crate::bilingual!(
            "its format version {version} is not one any Quipu writes",
            "su versión de formato {version} no es una que Quipu escriba"
        )));
    }
    if version > CURRENT_VERSION {
        return Err(StoreError::NewerFormat { path: path.to_owned(), found: version, supported: CURRENT_VERSION });
    }
    Ok(version)
}

/// The current time in UTC, ISO 8601, as stored in `created_at` columns.
pub(crate) const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// Turns a UNIQUE violation into [`StoreError::NameTaken`].
pub(crate) fn name_taken(kind: &'static str, name: &str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    let name = name.to_owned();
    move |error| match &error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            StoreError::NameTaken { kind, name }
        }
        _ => StoreError::Sqlite(error),
    }
}

impl Store {
    /// Runs `action` and takes back everything it wrote: a dry run that checks
    /// all the writes of an import would succeed, and says what they would do.
    pub fn try_out<T, E: From<StoreError>>(&mut self, action: impl FnOnce(&mut Store) -> Result<T, E>) -> Result<T, E> {
        let (begin, end) = if self.conn.is_autocommit() {
            ("BEGIN IMMEDIATE", "ROLLBACK")
        } else {
            ("SAVEPOINT quipu_try", "ROLLBACK TO quipu_try; RELEASE quipu_try")
        };
        self.conn.execute_batch(begin).map_err(|error| E::from(error.into()))?;
        let result = action(self);
        let ended = self.conn.execute_batch(end);
        let value = result?;
        ended.map_err(|error| E::from(error.into()))?;
        Ok(value)
    }

    /// Runs `action` as one unit: if it fails, everything it changed is rolled back.
    /// Nests (each level is a savepoint), so a method that is atomic on its own can
    /// be part of a larger user action.
    pub fn atomically<T, E: From<StoreError>>(
        &mut self,
        action: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        // The outermost level takes the write lock at once, so a second writer
        // waits for it (the busy timeout) instead of failing half-way.
        let (begin, commit, rollback) = if self.conn.is_autocommit() {
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        } else {
            ("SAVEPOINT quipu_action", "RELEASE quipu_action", "ROLLBACK TO quipu_action; RELEASE quipu_action")
        };
        self.conn.execute_batch(begin).map_err(|error| E::from(error.into()))?;
        match action(self) {
            Ok(value) => match self.conn.execute_batch(commit) {
                Ok(()) => Ok(value),
                Err(error) => {
                    // A commit that failed (a full disk) leaves nothing half-done.
                    if !self.conn.is_autocommit() {
                        let _rollback = self.conn.execute_batch(rollback);
                    }
                    Err(E::from(error.into()))
                }
            },
            Err(error) => {
                // Roll back, then drop the savepoint; the original error is what
                // matters (a full disk may already have ended the transaction).
                if !self.conn.is_autocommit() {
                    let _rollback = self.conn.execute_batch(rollback);
                }
                Err(error)
            }
        }
    }
}
