//! Typed attributes of cases and sources (company, region, stage …).

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreResult};
use crate::model::{AttributeId, AttributeScope, AttributeType, CaseId};

/// One attribute value of a case or source.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttributeValue {
    /// The attribute's ID.
    pub attribute_id: AttributeId,
    /// The attribute's name.
    pub name: String,
    /// Its type.
    pub value_type: AttributeType,
    /// The value, as text.
    pub value: String,
}

impl Store {
    /// The attribute of `scope` named `name`, created with `value_type` if missing.
    pub fn ensure_attribute(
        &mut self,
        scope: AttributeScope,
        name: &str,
        value_type: AttributeType,
    ) -> StoreResult<AttributeId> {
        let existing = self
            .conn
            .prepare_cached("SELECT attribute_id FROM attributes WHERE scope = ?1 AND name = ?2")?
            .query_row(params![scope, name], |row| row.get(0))
            .optional()?;
        if let Some(attribute_id) = existing {
            return Ok(attribute_id);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO attributes (scope, name, value_type, sort_order)
                 VALUES (?1, ?2, ?3, (SELECT IFNULL(MAX(sort_order), 0) + 1 FROM attributes WHERE scope = ?1))",
            )?
            .execute(params![scope, name, value_type])?;
        Ok(AttributeId(self.conn.last_insert_rowid()))
    }

    /// Sets (or, with an empty value, clears) a case's attribute value.
    pub fn set_case_attribute(&mut self, case_id: CaseId, attribute_id: AttributeId, value: &str) -> StoreResult<()> {
        if value.trim().is_empty() {
            self.conn
                .prepare_cached("DELETE FROM case_attribute_values WHERE case_id = ?1 AND attribute_id = ?2")?
                .execute(params![case_id, attribute_id])?;
        } else {
            self.conn
                .prepare_cached(
                    "INSERT INTO case_attribute_values (case_id, attribute_id, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (case_id, attribute_id) DO UPDATE SET value = excluded.value",
                )?
                .execute(params![case_id, attribute_id, value.trim()])?;
        }
        Ok(())
    }

    /// A case's attribute values, in attribute order.
    pub fn case_attributes(&self, case_id: CaseId) -> StoreResult<Vec<AttributeValue>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT a.attribute_id, a.name, a.value_type, v.value
             FROM case_attribute_values v JOIN attributes a USING (attribute_id)
             WHERE v.case_id = ?1 ORDER BY a.sort_order",
        )?;
        let values = statement
            .query_map([case_id], |row| {
                Ok(AttributeValue {
                    attribute_id: row.get(0)?,
                    name: row.get(1)?,
                    value_type: row.get(2)?,
                    value: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(values)
    }
}
