//! Reading and writing the codebook: codes, their hierarchy, colours and order.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError, StoreResult, name_taken};
use crate::model::{Code, CodeDraft, CodeId, Color, DEFAULT_CODEBOOK, MAX_CODE_DEPTH};

const CODE_COLUMNS: &str = "code_id, name, description, color, parent_id, sort_order";

fn code_from_row(row: &Row<'_>) -> rusqlite::Result<Code> {
    Ok(Code {
        code_id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        color: row.get(3)?,
        parent_id: row.get(4)?,
        sort_order: row.get(5)?,
    })
}

impl Store {
    /// The whole codebook, ordered so that each code follows its parent and
    /// siblings keep their order (a depth-first walk of the hierarchy).
    pub fn codes(&self) -> StoreResult<Vec<Code>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "WITH RECURSIVE tree (code_id, path) AS (
                 SELECT code_id, printf('%010d', sort_order) || printf('%010d', code_id)
                 FROM codes WHERE parent_id IS NULL
                 UNION ALL
                 SELECT c.code_id, tree.path || printf('%010d', c.sort_order) || printf('%010d', c.code_id)
                 FROM codes c JOIN tree ON c.parent_id = tree.code_id
             )
             SELECT {CODE_COLUMNS} FROM codes JOIN tree USING (code_id) ORDER BY tree.path"
        ))?;
        let codes = statement.query_map([], code_from_row)?.collect::<Result<_, _>>()?;
        Ok(codes)
    }

    /// The code with this ID.
    pub fn code(&self, code_id: CodeId) -> StoreResult<Code> {
        self.conn
            .prepare_cached(&format!("SELECT {CODE_COLUMNS} FROM codes WHERE code_id = ?1"))?
            .query_row([code_id], code_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "code", name: code_id.to_string() })
    }

    /// The code a person names (ignoring case): by its name where no other
    /// code has it, or by its path `Parent/Child`. A name several codes share
    /// (names are unique among siblings only) is refused, listing their paths.
    pub fn code_by_name(&self, reference: &str) -> StoreResult<Option<Code>> {
        let reference = reference.trim();
        let named: Vec<Code> = self
            .conn
            .prepare_cached(&format!("SELECT {CODE_COLUMNS} FROM codes WHERE name = ?1 ORDER BY code_id"))?
            .query_map([reference], code_from_row)?
            .collect::<Result<_, _>>()?;
        match named.len() {
            1 => return Ok(named.into_iter().next()),
            0 => {}
            _ => {
                let paths = crate::model::code_paths(&self.codes()?, "/");
                let listed: Vec<&str> =
                    named.iter().filter_map(|code| paths.get(&code.code_id)).map(String::as_str).collect();
                let listed = listed.join(", ");
                return Err(StoreError::Invalid(crate::bilingual!(
                    "several codes are named '{reference}' ({listed}); name one by its path",
                    "varios códigos se llaman '{reference}' ({listed}); nombre uno por su ruta"
                )));
            }
        }
        // A path: each step among the children of the one before.
        if !reference.contains('/') {
            return Ok(None);
        }
        let mut found: Option<Code> = None;
        for step in reference.split('/').map(str::trim).filter(|step| !step.is_empty()) {
            match self.code_named_under(found.as_ref().map(|code| code.code_id), step)? {
                Some(code) => found = Some(code),
                None => return Ok(None),
            }
        }
        Ok(found)
    }

    /// The code named `name` (ignoring case) directly under `parent` (at the top
    /// level with `None`), if any: names are unique among siblings.
    pub fn code_named_under(&self, parent: Option<CodeId>, name: &str) -> StoreResult<Option<Code>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {CODE_COLUMNS} FROM codes WHERE parent_id IS ?1 AND name = ?2"))?
            .query_row(params![parent, name.trim()], code_from_row)
            .optional()?)
    }

    /// The code named `name` directly under `parent`, or else, for a code at
    /// the top level of a codebook coming from elsewhere, the one code of that
    /// name anywhere in this one: how such a codebook is matched to this one
    /// without duplicating its codes. Under a parent, only that parent's
    /// children match ("Other" under two themes are two codes).
    pub fn matching_code(&self, parent: Option<CodeId>, name: &str) -> StoreResult<Option<Code>> {
        if let Some(code) = self.code_named_under(parent, name)? {
            return Ok(Some(code));
        }
        if parent.is_some() {
            return Ok(None);
        }
        let named: Vec<Code> = self
            .conn
            .prepare_cached(&format!("SELECT {CODE_COLUMNS} FROM codes WHERE name = ?1 LIMIT 2"))?
            .query_map([name.trim()], code_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(if named.len() == 1 { named.into_iter().next() } else { None })
    }

    /// Adds a code at the end of its parent's children.
    pub fn add_code(&mut self, draft: &CodeDraft) -> StoreResult<CodeId> {
        let name = draft.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!("a code needs a name", "un código necesita un nombre")));
        }
        if let Some(parent_id) = draft.parent_id
            && self.code_depth(parent_id)? + 1 > MAX_CODE_DEPTH
        {
            return Err(too_deep());
        }
        let color = match draft.color {
            Some(color) => color,
            None => {
                let count: i64 =
                    self.conn.prepare_cached("SELECT COUNT(*) FROM codes")?.query_row([], |row| row.get(0))?;
                Color::from_palette(count as usize)
            }
        };
        self.conn
            .prepare_cached(
                "INSERT INTO codes (name, description, color, parent_id, sort_order)
                 VALUES (?1, ?2, ?3, ?4,
                     (SELECT IFNULL(MAX(sort_order), 0) + 1 FROM codes WHERE parent_id IS ?4))",
            )?
            .execute(params![name, draft.description.trim(), color, draft.parent_id])
            .map_err(name_taken("a code named", name))?;
        Ok(CodeId(self.conn.last_insert_rowid()))
    }

    /// Adds the default codebook (state absence, trust, police use …), skipping
    /// codes whose names are already taken. Returns how many were added.
    pub fn add_default_codebook(&mut self) -> StoreResult<usize> {
        self.atomically(|store| {
            let mut added = 0;
            for default_code in DEFAULT_CODEBOOK {
                if store.code_named_under(None, default_code.name)?.is_some() {
                    continue;
                }
                store.add_code(&CodeDraft {
                    name: default_code.name.to_owned(),
                    description: default_code.description.to_owned(),
                    color: Color::parse(default_code.color),
                    parent_id: None,
                })?;
                added += 1;
            }
            Ok(added)
        })
    }

    /// Renames a code.
    pub fn rename_code(&mut self, code_id: CodeId, new_name: &str) -> StoreResult<()> {
        let new_name = new_name.trim();
        if new_name.is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!("a code needs a name", "un código necesita un nombre")));
        }
        self.conn
            .prepare_cached("UPDATE codes SET name = ?2 WHERE code_id = ?1")?
            .execute(params![code_id, new_name])
            .map_err(name_taken("a code named", new_name))?;
        Ok(())
    }

    /// Sets a code's definition.
    pub fn set_code_description(&mut self, code_id: CodeId, description: &str) -> StoreResult<()> {
        self.conn
            .prepare_cached("UPDATE codes SET description = ?2 WHERE code_id = ?1")?
            .execute(params![code_id, description])?;
        Ok(())
    }

    /// Sets a code's colour.
    pub fn set_code_color(&mut self, code_id: CodeId, color: Color) -> StoreResult<()> {
        self.conn.prepare_cached("UPDATE codes SET color = ?2 WHERE code_id = ?1")?.execute(params![code_id, color])?;
        Ok(())
    }

    /// Moves a code under another (or to the top level with `None`), as its last
    /// child. Refuses to move a code under itself or one of its descendants.
    pub fn move_code(&mut self, code_id: CodeId, new_parent: Option<CodeId>) -> StoreResult<()> {
        if let Some(parent_id) = new_parent
            && self.code_and_descendants(code_id)?.contains(&parent_id)
        {
            return Err(StoreError::Invalid(crate::bilingual!(
                "a code cannot be moved under itself or one of its own sub-codes",
                "un código no puede moverse bajo sí mismo ni bajo uno de sus subcódigos"
            )));
        }
        if let Some(parent_id) = new_parent
            && self.code_depth(parent_id)? + self.code_height(code_id)? > MAX_CODE_DEPTH
        {
            return Err(too_deep());
        }
        self.freeze_code_keys()?;
        self.conn
            .prepare_cached(
                "UPDATE codes SET parent_id = ?2,
                     sort_order = (SELECT IFNULL(MAX(sort_order), 0) + 1 FROM codes WHERE parent_id IS ?2)
                 WHERE code_id = ?1",
            )?
            .execute(params![code_id, new_parent])?;
        Ok(())
    }

    /// How deep a code sits: 1 at the top level.
    pub fn code_depth(&self, code_id: CodeId) -> StoreResult<usize> {
        let depth: i64 = self
            .conn
            .prepare_cached(&format!(
                "WITH RECURSIVE above (code_id, depth) AS (
                     SELECT ?1, 1
                     UNION ALL SELECT c.parent_id, above.depth + 1 FROM codes c JOIN above ON c.code_id = above.code_id
                     WHERE c.parent_id IS NOT NULL AND above.depth <= {MAX_CODE_DEPTH}
                 )
                 SELECT MAX(depth) FROM above"
            ))?
            .query_row([code_id], |row| row.get(0))?;
        Ok(depth as usize)
    }

    /// How many levels a code and the codes below it take: 1 for a code
    /// without sub-codes.
    pub fn code_height(&self, code_id: CodeId) -> StoreResult<usize> {
        let height: i64 = self
            .conn
            .prepare_cached(&format!(
                "WITH RECURSIVE below (code_id, level) AS (
                     SELECT ?1, 1
                     UNION ALL SELECT c.code_id, below.level + 1 FROM codes c JOIN below ON c.parent_id = below.code_id
                     WHERE below.level <= {MAX_CODE_DEPTH}
                 )
                 SELECT MAX(level) FROM below"
            ))?
            .query_row([code_id], |row| row.get(0))?;
        Ok(height as usize)
    }

    /// A code's ID followed by the IDs of all codes below it.
    pub fn code_and_descendants(&self, code_id: CodeId) -> StoreResult<Vec<CodeId>> {
        let mut statement = self.conn.prepare_cached(
            "WITH RECURSIVE below (code_id) AS (
                 SELECT ?1 UNION ALL SELECT c.code_id FROM codes c JOIN below ON c.parent_id = below.code_id
             )
             SELECT code_id FROM below",
        )?;
        let ids = statement.query_map([code_id], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Deletes a code and its codings. Its sub-codes move up to its parent.
    pub fn delete_code(&mut self, code_id: CodeId) -> StoreResult<()> {
        self.atomically(|store| {
            let code = store.code(code_id)?;
            store.freeze_code_keys()?;
            store
                .conn
                .prepare_cached("UPDATE codes SET parent_id = ?2 WHERE parent_id = ?1")?
                .execute(params![code_id, code.parent_id])?;
            store.conn.prepare_cached("DELETE FROM codes WHERE code_id = ?1")?.execute([code_id])?;
            Ok(())
        })
    }

    /// Merges `source` into `target`: its codings join the target's (a coding that
    /// would duplicate one the target already has on the same excerpt, passage and
    /// coder is dropped), its sub-codes move under the target, and it is deleted.
    pub fn merge_codes(&mut self, source: CodeId, target: CodeId) -> StoreResult<()> {
        if source == target {
            return Err(StoreError::Invalid(crate::bilingual!(
                "a code cannot be merged into itself",
                "un código no puede fusionarse consigo mismo"
            )));
        }
        self.atomically(|store| {
            let (_, _) = (store.code(source)?, store.code(target)?);
            store.freeze_code_keys()?;
            if store.code_and_descendants(source)?.contains(&target) {
                return Err(StoreError::Invalid(crate::bilingual!(
                    "a code cannot be merged into one of its own sub-codes",
                    "un código no puede fusionarse con uno de sus subcódigos"
                )));
            }
            // `+t.coder_id` keeps SQLite on the excerpt's index (see `merge_codings`).
            store
                .conn
                .prepare_cached(
                    "DELETE FROM codings WHERE code_id = ?1 AND EXISTS (
                         SELECT 1 FROM codings t WHERE t.code_id = ?2 AND t.excerpt_id = codings.excerpt_id
                             AND +t.coder_id = codings.coder_id AND t.side IS codings.side
                             AND t.start_char IS codings.start_char AND t.end_char IS codings.end_char)",
                )?
                .execute(params![source, target])?;
            store
                .conn
                .prepare_cached("UPDATE codings SET code_id = ?2 WHERE code_id = ?1")?
                .execute(params![source, target])?;
            store
                .conn
                .prepare_cached("UPDATE codes SET parent_id = ?2 WHERE parent_id = ?1")?
                .execute(params![source, target])?;
            store.conn.prepare_cached("DELETE FROM codes WHERE code_id = ?1")?.execute([source])?;
            Ok(())
        })
    }
}

/// The refusal of a code placed deeper than [`MAX_CODE_DEPTH`].
fn too_deep() -> StoreError {
    StoreError::Invalid(crate::bilingual!(
        "codes can sit at most {MAX_CODE_DEPTH} levels deep",
        "los códigos pueden estar como mucho a {MAX_CODE_DEPTH} niveles de profundidad"
    ))
}
