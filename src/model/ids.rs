//! ID newtypes, one per table, so an excerpt ID can never be passed where a code ID
//! is expected. The store implements the SQL conversions.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Identifies a case (a mine site, a community).
    CaseId
);
id_type!(
    /// Identifies a source (an interview, a workshop record).
    SourceId
);
id_type!(
    /// Identifies an excerpt (the unit researchers quote).
    ExcerptId
);
id_type!(
    /// Identifies a code of the codebook.
    CodeId
);
id_type!(
    /// Identifies one application of a code to an excerpt.
    CodingId
);
id_type!(
    /// Identifies a coder.
    CoderId
);
id_type!(
    /// Identifies a memo.
    MemoId
);
id_type!(
    /// Identifies a case or source attribute (company, region, stage …).
    AttributeId
);
