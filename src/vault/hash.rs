//! The hash behind every stable id rapport writes (checklist items,
//! calendar entries). It lives here, beside the note model, because the
//! index works out each open task's id once, when the task is indexed, and
//! the checklist only reads it: the two must hash alike.

/// FNV-1a of `parts`, each ended by a zero byte. Ids are kept in checklist
/// files across versions: this must never change (a test pins known
/// values).
pub fn stable_hash(parts: &[&str]) -> u64 {
    const PRIME: u64 = 0x100_0000_01b3;
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for p in parts {
        for &b in p.as_bytes() {
            h = (h ^ b as u64).wrapping_mul(PRIME);
        }
        // The zero byte that ends a part (`h ^ 0` is `h`).
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// The hash of a task's id: of its note's path and its text as written,
/// trimmed (so an edit elsewhere in the note keeps it). The index keeps it
/// for each open task: a change must bump `index::schema::SCHEMA_VERSION`.
pub fn task_hash(path: &str, text: &str) -> u64 {
    stable_hash(&["task", path, text.trim()])
}
