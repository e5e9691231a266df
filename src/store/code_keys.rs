//! The number keys 1–9 that apply codes in the window. Until someone changes
//! the codebook's shape, the first nine codes in codebook order hold them; from the
//! first move, deletion or new code on, the keys are written down in the
//! project's settings so that each stays with the code it was given.

use super::{Store, StoreResult};
use crate::model::CodeId;

/// The project setting that holds the keys, as `key=code_id` pairs.
const CODE_KEYS_SETTING: &str = "code_keys";

/// The keys there are.
pub const CODE_KEYS: std::ops::RangeInclusive<u8> = 1..=9;

impl Store {
    /// The number keys given to codes, as (key, code) pairs in key order. Keys of
    /// codes that no longer exist are left out.
    pub fn code_keys(&self) -> StoreResult<Vec<(u8, CodeId)>> {
        let codes = self.codes()?;
        let Some(stored) = self.setting(CODE_KEYS_SETTING)? else {
            return Ok(CODE_KEYS.zip(codes.iter().map(|code| code.code_id)).collect());
        };
        let mut keys: Vec<(u8, CodeId)> = stored
            .split(',')
            .filter_map(|pair| {
                let (key, code_id) = pair.split_once('=')?;
                let key: u8 = key.trim().parse().ok().filter(|key| CODE_KEYS.contains(key))?;
                let code_id = CodeId(code_id.trim().parse().ok()?);
                codes.iter().any(|code| code.code_id == code_id).then_some((key, code_id))
            })
            .collect();
        keys.sort();
        keys.dedup_by_key(|(key, _)| *key);
        Ok(keys)
    }

    /// Writes the keys down as they are now, so that a change to the codebook's
    /// order does not move them. Call before such a change: every edit of the
    /// codebook's shape and every import does. An empty codebook has no keys to
    /// keep; its first codes take them in order.
    pub fn freeze_code_keys(&self) -> StoreResult<()> {
        if self.setting(CODE_KEYS_SETTING)?.is_none() && !self.codes()?.is_empty() {
            let keys = self.code_keys()?;
            self.write_code_keys(&keys)?;
        }
        Ok(())
    }

    fn write_code_keys(&self, keys: &[(u8, CodeId)]) -> StoreResult<()> {
        let text = keys.iter().map(|(key, code_id)| format!("{key}={code_id}")).collect::<Vec<_>>().join(",");
        self.set_setting(CODE_KEYS_SETTING, &text)
    }

    /// Gives `code_id` number key `key` (taking it from any other code), or takes
    /// its key away with `None`.
    pub fn set_code_key(&mut self, code_id: CodeId, key: Option<u8>) -> StoreResult<()> {
        let mut keys = self.code_keys()?;
        keys.retain(|(existing_key, existing_code)| *existing_code != code_id && Some(*existing_key) != key);
        if let Some(key) = key.filter(|key| CODE_KEYS.contains(key)) {
            keys.push((key, code_id));
            keys.sort();
        }
        self.write_code_keys(&keys)
    }

    /// Gives a new code the first free key, if one is free (the window does this
    /// for codes made there; imports into a codebook that had codes leave new
    /// codes without a key).
    pub fn give_free_key(&self, code_id: CodeId) -> StoreResult<()> {
        let mut keys = self.code_keys()?;
        if let Some(free) = CODE_KEYS.clone().find(|key| !keys.iter().any(|(taken, _)| taken == key)) {
            keys.push((free, code_id));
            keys.sort();
            self.write_code_keys(&keys)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::CodeDraft;
    use crate::store::Store;

    fn draft(name: &str) -> CodeDraft {
        CodeDraft { name: name.to_owned(), description: String::new(), color: None, parent_id: None }
    }

    #[test]
    fn keys_stay_with_their_codes_when_a_code_moves_or_is_deleted() {
        let mut store = Store::in_memory().unwrap();
        let ids: Vec<_> = ["A", "B", "C", "D"].iter().map(|name| store.add_code(&draft(name)).unwrap()).collect();
        let before = store.code_keys().unwrap();
        assert_eq!(before, vec![(1, ids[0]), (2, ids[1]), (3, ids[2]), (4, ids[3])]);
        // B moves under D: in codebook order it now comes last, but keeps key 2.
        store.move_code(ids[1], Some(ids[3])).unwrap();
        assert_eq!(store.code_keys().unwrap(), before);
        store.delete_code(ids[0]).unwrap();
        assert_eq!(store.code_keys().unwrap(), vec![(2, ids[1]), (3, ids[2]), (4, ids[3])]);
        // A new code takes the first free key.
        let e = store.add_code(&draft("E")).unwrap();
        store.give_free_key(e).unwrap();
        assert_eq!(store.code_keys().unwrap()[0], (1, e));
    }

    #[test]
    fn giving_a_key_takes_it_from_the_code_that_had_it() {
        let mut store = Store::in_memory().unwrap();
        let a = store.add_code(&draft("A")).unwrap();
        let b = store.add_code(&draft("B")).unwrap();
        store.set_code_key(b, Some(1)).unwrap();
        assert_eq!(store.code_keys().unwrap(), vec![(1, b)]);
        store.set_code_key(a, Some(7)).unwrap();
        assert_eq!(store.code_keys().unwrap(), vec![(1, b), (7, a)]);
        store.set_code_key(a, None).unwrap();
        assert_eq!(store.code_keys().unwrap(), vec![(1, b)]);
    }
}
