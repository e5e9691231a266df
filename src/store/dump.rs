//! A plain-text dump of everything a project holds, used to prove that a failed
//! action left the project exactly as it was, and that undo restores it.

use std::fmt::Write as _;

use rusqlite::types::ValueRef;

use super::{Store, StoreResult};

impl Store {
    /// Every row of every table (the search index excluded, as it is derived), one
    /// line per row, tables by name and rows by rowid or key.
    pub fn dump(&self) -> StoreResult<String> {
        let mut tables_statement = self.conn.prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'excerpt_search%'
             ORDER BY name",
        )?;
        let tables: Vec<String> = tables_statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        let mut out = String::new();
        for table in tables {
            let _ = writeln!(out, "[{table}]");
            let mut statement = self.conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"))?;
            let columns = statement.column_count();
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let mut line = Vec::with_capacity(columns);
                for index in 0..columns {
                    line.push(match row.get_ref(index)? {
                        ValueRef::Null => "NULL".to_owned(),
                        ValueRef::Integer(value) => value.to_string(),
                        ValueRef::Real(value) => value.to_string(),
                        ValueRef::Text(text) => format!("{:?}", String::from_utf8_lossy(text)),
                        ValueRef::Blob(blob) => format!("<{} bytes>", blob.len()),
                    });
                }
                let _ = writeln!(out, "{}", line.join(" | "));
            }
        }
        Ok(out)
    }
}
