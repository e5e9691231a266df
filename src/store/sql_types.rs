//! SQL conversions for the domain's ID newtypes and enums, so queries bind and read
//! them directly.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::{
    AttributeId, AttributeScope, AttributeType, CaseId, CodeId, CoderId, CodingId, Color, ExcerptId, MemoId, Side,
    SourceId, TranslationStatus,
};

macro_rules! sql_id {
    ($($name:ident),*) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }
        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )*};
}

sql_id!(CaseId, SourceId, ExcerptId, CodeId, CodingId, CoderId, MemoId, AttributeId);

macro_rules! sql_text_enum {
    ($($name:ident),*) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }
        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                $name::parse(text).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} '{text}'", stringify!($name)).into())
                })
            }
        }
    )*};
}

sql_text_enum!(TranslationStatus, Side, AttributeScope, AttributeType);

impl ToSql for Color {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Color {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Color::parse(text).ok_or_else(|| FromSqlError::Other(format!("bad colour '{text}'").into()))
    }
}
