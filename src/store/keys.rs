//! Encryption at rest: a project file can be encrypted with a passphrase
//! (SQLCipher: AES-256, an HMAC on every page). The passphrases a person gave
//! are held in memory for as long as the program runs, by file, so every
//! connection to that file (the window's, background jobs', a merge's) opens it
//! the same way; they are never written anywhere.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Connection;

use super::{Store, StoreError, StoreResult};

/// Passphrases given in this run, by the file's canonical path.
static PASSPHRASES: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);

/// The key a file is known by: its folder's canonical path and its name, so a
/// file about to be created and the same file opened later agree.
fn key_of(path: &Path) -> PathBuf {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let folder = folder.canonicalize().unwrap_or(folder);
    match path.file_name() {
        Some(name) => folder.join(name),
        None => path.to_owned(),
    }
}

/// Remembers `passphrase` for the project at `path` for the rest of this run.
pub fn remember_passphrase(path: &Path, passphrase: &str) {
    let mut held = PASSPHRASES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    held.get_or_insert_with(HashMap::new).insert(key_of(path), passphrase.to_owned());
}

/// Forgets the passphrase of the project at `path`.
pub fn forget_passphrase(path: &Path) {
    let mut held = PASSPHRASES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(held) = held.as_mut() {
        held.remove(&key_of(path));
    }
}

/// The passphrase given for the project at `path`, if any.
pub(super) fn passphrase_of(path: &Path) -> Option<String> {
    let held = PASSPHRASES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    held.as_ref().and_then(|held| held.get(&key_of(path)).cloned())
}

/// True when the file does not start as every plain SQLite file does: an
/// encrypted project, or something that is no database at all (told apart only
/// by trying a passphrase).
pub fn looks_encrypted(path: &Path) -> bool {
    use std::io::Read as _;
    let mut header = [0u8; 16];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let size = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    // An encrypted project is whole pages of random-looking bytes.
    file.read_exact(&mut header).is_ok() && &header != b"SQLite format 3\0" && size % 1024 == 0
}

/// Gives `conn` the passphrase its file is (or will be) encrypted with.
pub(super) fn apply_key(conn: &Connection, passphrase: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("PRAGMA key = {}", quoted(passphrase)))
}

/// SQL text quoting for a passphrase in a PRAGMA.
fn quoted(passphrase: &str) -> String {
    format!("'{}'", passphrase.replace('\'', "''"))
}

/// Gives a fresh connection the passphrase of the file it opened, if the file
/// is encrypted: refused when none was given, or when it is wrong.
pub(super) fn unlock(conn: &Connection, path: &Path) -> StoreResult<()> {
    if !looks_encrypted(path) {
        return Ok(());
    }
    let Some(passphrase) = passphrase_of(path) else {
        return Err(StoreError::Locked { path: path.to_owned() });
    };
    // A wrong passphrase is said once, plainly, by Quipu: SQLCipher's own log
    // of the failed check would print on the terminal.
    let _quiet = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    apply_key(conn, &passphrase)?;
    // The first read tells whether the passphrase opens the file.
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(error, _)) if error.code == rusqlite::ErrorCode::NotADatabase => {
            Err(StoreError::WrongPassphrase { path: path.to_owned() })
        }
        Err(error) => Err(error.into()),
    }
}

impl Store {
    /// True when the project file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.path.as_deref().is_some_and(looks_encrypted)
    }

    /// Writes a copy of the project to `target` (which must not exist),
    /// encrypted with `passphrase`, or plain when `passphrase` is `None`.
    pub fn export_keyed(&self, target: &Path, passphrase: Option<&str>) -> StoreResult<()> {
        if target.exists() {
            return Err(StoreError::AlreadyExists { path: target.to_owned() });
        }
        // The project's connection may not create files: an empty file is an
        // empty database it may open and fill.
        std::fs::File::create_new(target).map_err(|error| {
            StoreError::Invalid(crate::bilingual!(
                "{}: could not be written ({error})",
                "{}: no se pudo escribir ({error})",
                target.display()
            ))
        })?;
        let target_uri = super::sqlite_uri(target, "mode=rw");
        let key = quoted(passphrase.unwrap_or_default());
        let version = self.format_version()?;
        let exported = self.conn.execute_batch(&format!(
            "ATTACH DATABASE '{}' AS quipu_keyed KEY {key};
             SELECT sqlcipher_export('quipu_keyed');
             PRAGMA quipu_keyed.user_version = {version};
             PRAGMA quipu_keyed.application_id = {};",
            target_uri.replace('\'', "''"),
            super::APPLICATION_ID
        ));
        let _detached = self.conn.execute_batch("DETACH DATABASE quipu_keyed");
        if let Err(error) = exported {
            let _ = std::fs::remove_file(target);
            return Err(error.into());
        }
        Ok(())
    }

    /// Rewrites the project file encrypted with `passphrase`, or plain with
    /// `None`: a new file is written beside it, checked (it opens, SQLite finds
    /// it whole, and it holds exactly what the project holds), and only then
    /// put in the project's place. Returns the project opened anew.
    pub fn rewrite_keyed(self, passphrase: Option<&str>) -> StoreResult<Store> {
        let Some(path) = self.path.clone() else {
            return Err(StoreError::Invalid(crate::bilingual!(
                "a project in memory has no file to encrypt",
                "un proyecto en memoria no tiene archivo que cifrar"
            )));
        };
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.rekey", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let _ = std::fs::remove_file(&temporary);
        let contents = self.dump()?;
        self.export_keyed(&temporary, passphrase)?;
        drop(self);
        let failed = |error: StoreError| {
            let _ = std::fs::remove_file(&temporary);
            forget_passphrase(&temporary);
            error
        };
        if let Some(passphrase) = passphrase {
            remember_passphrase(&temporary, passphrase);
        }
        let checked = Store::open(&temporary).and_then(|copy| {
            let integrity: String = copy.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
            let same = integrity == "ok" && copy.dump()? == contents;
            Ok(same)
        });
        match checked {
            Ok(true) => {}
            Ok(false) => {
                return Err(failed(StoreError::Invalid(crate::bilingual!(
                    "{}: the rewritten file did not hold the same project; the project was left as it was",
                    "{}: el archivo reescrito no contenía el mismo proyecto; el proyecto quedó como estaba",
                    path.display()
                ))));
            }
            Err(error) => return Err(failed(error)),
        }
        forget_passphrase(&temporary);
        std::fs::rename(&temporary, &path).map_err(|error| {
            failed(StoreError::Invalid(crate::bilingual!(
                "{}: could not put the rewritten file in place ({error}); the project was left as it was",
                "{}: no se pudo poner el archivo reescrito en su lugar ({error}); el proyecto quedó como estaba",
                path.display()
            )))
        })?;
        match passphrase {
            Some(passphrase) => remember_passphrase(&path, passphrase),
            None => forget_passphrase(&path),
        }
        Store::open(&path)
    }
}
