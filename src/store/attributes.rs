//! Typed attributes of cases and sources (company, region, stage …): their
//! definitions and values. Values are checked against the attribute's type before
//! they are stored.

use crate::language::{Language, Text};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, StoreResult, name_taken};
use crate::model::{AttributeId, AttributeScope, AttributeType, CaseId, SourceId};

/// An attribute of cases or sources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attribute {
    /// The attribute's ID.
    pub attribute_id: AttributeId,
    /// Whether it describes cases or sources.
    pub scope: AttributeScope,
    /// Its name, unique within its scope.
    pub name: String,
    /// The type of its values.
    pub value_type: AttributeType,
}

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

fn attribute_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Attribute> {
    Ok(Attribute { attribute_id: row.get(0)?, scope: row.get(1)?, name: row.get(2)?, value_type: row.get(3)? })
}

impl Store {
    /// The attribute of `scope` named `name`, created with `value_type` if missing.
    pub fn ensure_attribute(
        &mut self,
        scope: AttributeScope,
        name: &str,
        value_type: AttributeType,
    ) -> StoreResult<AttributeId> {
        if let Some(attribute) = self.attribute_by_name(scope, name)? {
            return Ok(attribute.attribute_id);
        }
        self.add_attribute(scope, name, value_type)
    }

    /// Adds an attribute.
    pub fn add_attribute(
        &mut self,
        scope: AttributeScope,
        name: &str,
        value_type: AttributeType,
    ) -> StoreResult<AttributeId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!(
                "an attribute needs a name",
                "un atributo necesita un nombre"
            )));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO attributes (scope, name, value_type, sort_order)
                 VALUES (?1, ?2, ?3, (SELECT IFNULL(MAX(sort_order), 0) + 1 FROM attributes WHERE scope = ?1))",
            )?
            .execute(params![scope, name, value_type])
            .map_err(name_taken("an attribute named", name))?;
        Ok(AttributeId(self.conn.last_insert_rowid()))
    }

    /// The attributes of `scope`, in order.
    pub fn attributes(&self, scope: AttributeScope) -> StoreResult<Vec<Attribute>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT attribute_id, scope, name, value_type FROM attributes WHERE scope = ?1 ORDER BY sort_order, name",
        )?;
        let attributes = statement.query_map([scope], attribute_from_row)?.collect::<Result<_, _>>()?;
        Ok(attributes)
    }

    /// The attribute of `scope` named `name` (ignoring case), if any.
    pub fn attribute_by_name(&self, scope: AttributeScope, name: &str) -> StoreResult<Option<Attribute>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT attribute_id, scope, name, value_type FROM attributes WHERE scope = ?1 AND name = ?2",
            )?
            .query_row(params![scope, name.trim()], attribute_from_row)
            .optional()?)
    }

    /// The attribute with this ID.
    pub fn attribute(&self, attribute_id: AttributeId) -> StoreResult<Attribute> {
        self.conn
            .prepare_cached("SELECT attribute_id, scope, name, value_type FROM attributes WHERE attribute_id = ?1")?
            .query_row([attribute_id], attribute_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "attribute", name: attribute_id.to_string() })
    }

    /// Renames an attribute.
    pub fn rename_attribute(&mut self, attribute_id: AttributeId, name: &str) -> StoreResult<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::bilingual!(
                "an attribute needs a name",
                "un atributo necesita un nombre"
            )));
        }
        self.conn
            .prepare_cached("UPDATE attributes SET name = ?2 WHERE attribute_id = ?1")?
            .execute(params![attribute_id, name])
            .map_err(name_taken("an attribute named", name))?;
        Ok(())
    }

    /// Deletes an attribute and all its values.
    pub fn delete_attribute(&mut self, attribute_id: AttributeId) -> StoreResult<()> {
        self.conn.prepare_cached("DELETE FROM attributes WHERE attribute_id = ?1")?.execute([attribute_id])?;
        Ok(())
    }

    /// Changes an attribute's type; refused if a stored value does not fit it.
    pub fn set_attribute_type(&mut self, attribute_id: AttributeId, value_type: AttributeType) -> StoreResult<()> {
        self.atomically(|store| {
            let attribute = store.attribute(attribute_id)?;
            let table = values_table(attribute.scope);
            let values: Vec<(i64, String)> = store
                .conn
                .prepare(&format!("SELECT rowid, value FROM {table} WHERE attribute_id = ?1"))?
                .query_map([attribute_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (rowid, value) in values {
                let normalized = value_type.normalize_value(&value).map_err(|message| {
                    StoreError::Invalid(Text::new(
                        format!("'{}' cannot become {}: {message}", attribute.name, value_type.as_str()),
                        format!(
                            "'{}' no puede pasar a {}: {}",
                            attribute.name,
                            value_type.spanish_name(),
                            message.get(Language::Spanish)
                        ),
                    ))
                })?;
                store
                    .conn
                    .prepare(&format!("UPDATE {table} SET value = ?2 WHERE rowid = ?1"))?
                    .execute(params![rowid, normalized])?;
            }
            store
                .conn
                .prepare_cached("UPDATE attributes SET value_type = ?2 WHERE attribute_id = ?1")?
                .execute(params![attribute_id, value_type])?;
            Ok(())
        })
    }

    /// Sets (or, with an empty value, clears) a case's attribute value, checked
    /// against the attribute's type.
    pub fn set_case_attribute(&mut self, case_id: CaseId, attribute_id: AttributeId, value: &str) -> StoreResult<()> {
        self.set_attribute_value(AttributeScope::Case, case_id.0, attribute_id, value)
    }

    /// Sets (or clears) a source's attribute value, checked against its type.
    pub fn set_source_attribute(
        &mut self,
        source_id: SourceId,
        attribute_id: AttributeId,
        value: &str,
    ) -> StoreResult<()> {
        self.set_attribute_value(AttributeScope::Source, source_id.0, attribute_id, value)
    }

    fn set_attribute_value(
        &mut self,
        scope: AttributeScope,
        owner: i64,
        attribute_id: AttributeId,
        value: &str,
    ) -> StoreResult<()> {
        let attribute = self.attribute(attribute_id)?;
        if attribute.scope != scope {
            return Err(StoreError::Invalid(Text::new(
                format!("'{}' is not a {} attribute", attribute.name, scope.as_str()),
                format!("'{}' no es un atributo de {}", attribute.name, scope.spanish_name()),
            )));
        }
        let value = attribute.value_type.normalize_value(value).map_err(|message| {
            StoreError::Invalid(Text::new(
                format!("{}: {message}", attribute.name),
                format!("{}: {}", attribute.name, message.get(Language::Spanish)),
            ))
        })?;
        let (table, owner_column) = (values_table(scope), owner_column(scope));
        if value.is_empty() {
            self.conn
                .prepare_cached(&format!("DELETE FROM {table} WHERE {owner_column} = ?1 AND attribute_id = ?2"))?
                .execute(params![owner, attribute_id])?;
        } else {
            self.conn
                .prepare_cached(&format!(
                    "INSERT INTO {table} ({owner_column}, attribute_id, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT ({owner_column}, attribute_id) DO UPDATE SET value = excluded.value"
                ))?
                .execute(params![owner, attribute_id, value])?;
        }
        Ok(())
    }

    /// A case's attribute values, in attribute order.
    pub fn case_attributes(&self, case_id: CaseId) -> StoreResult<Vec<AttributeValue>> {
        self.attribute_values(AttributeScope::Case, case_id.0)
    }

    /// A source's attribute values, in attribute order.
    pub fn source_attributes(&self, source_id: SourceId) -> StoreResult<Vec<AttributeValue>> {
        self.attribute_values(AttributeScope::Source, source_id.0)
    }

    fn attribute_values(&self, scope: AttributeScope, owner: i64) -> StoreResult<Vec<AttributeValue>> {
        let (table, owner_column) = (values_table(scope), owner_column(scope));
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT a.attribute_id, a.name, a.value_type, v.value
             FROM {table} v JOIN attributes a USING (attribute_id)
             WHERE v.{owner_column} = ?1 ORDER BY a.sort_order"
        ))?;
        let values = statement
            .query_map([owner], |row| {
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

/// The table holding values of attributes of `scope`.
pub(super) fn values_table(scope: AttributeScope) -> &'static str {
    match scope {
        AttributeScope::Case => "case_attribute_values",
        AttributeScope::Source => "source_attribute_values",
    }
}

/// The column naming the case or source a value belongs to.
pub(super) fn owner_column(scope: AttributeScope) -> &'static str {
    match scope {
        AttributeScope::Case => "case_id",
        AttributeScope::Source => "source_id",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_written_one_way() {
        assert_eq!(AttributeType::Number.normalize_value("3,5"), Ok("3.5".to_owned()));
        assert!(AttributeType::Number.normalize_value("tres").is_err());
        assert_eq!(AttributeType::Boolean.normalize_value("Sí"), Ok("yes".to_owned()));
        assert!(AttributeType::Date.normalize_value("12/2020").is_err());
        assert_eq!(AttributeType::Date.normalize_value("2020-12"), Ok("2020-12".to_owned()));
    }

    #[test]
    fn types_are_inferred_from_the_values() {
        assert_eq!(AttributeType::infer(["12", "3.5", ""]), AttributeType::Number);
        assert_eq!(AttributeType::infer(["2019", "2021-03"]), AttributeType::Date);
        assert_eq!(AttributeType::infer(["sí", "no"]), AttributeType::Boolean);
        assert_eq!(AttributeType::infer(["Cusco", "12"]), AttributeType::Text);
        assert_eq!(AttributeType::infer([""]), AttributeType::Text);
    }
}
