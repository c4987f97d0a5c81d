//! Named places where a test stops an import as a crash would (issue 14 §4; TiKV's use of
//! failpoints is the model): before and after every journal transition of the executor and
//! around every call it makes to Zoho. A crash-safety claim ("a crash at any moment resumes to
//! the same end state", docs/design.md promise 6) is then proven point by point, not only by
//! random SIGKILLs (the CLI's, `crates/zbooks-cli/tests/it/import.rs` and the ignored chaos
//! soak, stay as the real binary's end-to-end check).
//!
//! The points are compiled in only with this crate's `failpoints` feature (the `fail` crate):
//! a normal build has neither the crate nor a trace of the points. This crate's tests turn
//! the feature on (a dev-dependency on itself), so `cargo test --workspace` runs them.
//!
//! # What each test proves
//!
//! `tests/failpoints/` has one test per name in [`FAILPOINTS`] (and a test that fails when a
//! name has none): the test arms the point with a callback that kills the run there — from
//! that instant no call reaches Zoho (the simulator) or the journal (SQLite in a temporary
//! directory), and the run's future is dropped, as a SIGKILL leaves things. A new run (a new
//! client, executor and store handle on the same file and simulator) then resumes it, and the
//! test asserts that every input record is in Zoho exactly once (no duplicate and none
//! missing, by natural key), that the journal ends with every record done, and that Zoho's
//! totals agree with the input's. Points reached only on a resumed run (the settling of rows
//! an earlier run left in flight or in doubt) are armed on the second run, after a first one
//! was killed at a point that leaves such rows.
//!
//! ```text
//! cargo test -p zbooks-import --test failpoints            # every point
//! cargo test -p zbooks-import --test failpoints in_doubt   # the points named so
//! ```
//!
//! What must not be here: behaviour. A point does nothing unless a test configures it.

/// Declares each failpoint as a constant holding its name, and [`FAILPOINTS`], every one.
macro_rules! failpoints {
    ($( $(#[doc = $doc:literal])* $constant:ident = $name:literal; )*) => {
        $( $(#[doc = $doc])* pub const $constant: &str = $name; )*

        /// Every failpoint, in the order a run meets them.
        pub const FAILPOINTS: &[&str] = &[$($constant),*];
    };
}

failpoints! {
    /// The pipeline listed what Zoho holds; it has not validated or planned against it yet,
    /// and the journal is untouched (`pipeline.rs`).
    LISTING_BEFORE_PLAN = "listing_before_plan";
    /// The run's rows are in the journal (a first run's all pending); nothing settled yet.
    BEGIN_AFTER_WRITE = "begin_after_write";
    /// Resuming after an earlier run left rows in flight or in doubt: the executor waited
    /// for requests still travelling to land ([`crate::ExecuteOptions::settle`]) and listed
    /// Zoho again; nothing settled yet.
    RESUME_AFTER_LISTING = "resume_after_listing";
    /// Resuming: a row an earlier run left unsettled is in Zoho's listing; its `done`
    /// (adopted, or present) is not written yet.
    RESUME_BEFORE_ADOPT = "resume_before_adopt";
    /// Resuming: that `done` is written.
    RESUME_AFTER_ADOPT = "resume_after_adopt";
    /// Resuming: a row left `in_flight` is not in Zoho's listing; its return to pending
    /// (*interrupted*) is not written yet.
    RESUME_BEFORE_INTERRUPTED = "resume_before_interrupted";
    /// Resuming: that return to pending is written.
    RESUME_AFTER_INTERRUPTED = "resume_after_interrupted";
    /// Resuming: a row left `in_doubt` is not in Zoho's listing; its return to pending is not
    /// written yet.
    RESUME_BEFORE_PENDING = "resume_before_pending";
    /// Resuming: that return to pending is written.
    RESUME_AFTER_PENDING = "resume_after_pending";
    /// A record that may already be in Zoho (or that another run may have made) is about to
    /// be looked up before its create.
    LOOKUP_BEFORE_CALL = "lookup_before_call";
    /// That lookup found the record; its `done` (adopted or present) is not written yet.
    LOOKUP_FOUND_BEFORE_WRITE = "lookup_found_before_write";
    /// The lookup before a create failed; the record's deferral (looked up again before any
    /// send) is not written yet.
    LOOKUP_FAILED_BEFORE_WRITE = "lookup_failed_before_write";
    /// That deferral is written.
    LOOKUP_FAILED_AFTER_WRITE = "lookup_failed_after_write";
    /// About to write the intent (`in_flight`) before a create.
    INTENT_BEFORE_WRITE = "intent_before_write";
    /// The intent is written; the create is not sent yet.
    INTENT_AFTER_WRITE = "intent_after_write";
    /// In the Books port: the create is built and about to be sent (`ports.rs`).
    CREATE_BEFORE_SEND = "create_before_send";
    /// In the Books port: the create went to Zoho and its answer came back, but the executor
    /// has not seen it: the record is in Zoho, its answer lost (`ports.rs`).
    CREATE_AFTER_SEND = "create_after_send";
    /// The executor holds the new record's id; its `done` (created) is not written yet.
    CREATE_ANSWERED = "create_answered";
    /// Zoho answered the create with no id and a lookup did not find the record: `in_doubt`
    /// is not written yet.
    NO_ID_BEFORE_WRITE = "no_id_before_write";
    /// That `in_doubt` is written.
    NO_ID_AFTER_WRITE = "no_id_after_write";
    /// A record's `done` is written (any outcome); the executor has not taken it in yet.
    DONE_AFTER_WRITE = "done_after_write";
    /// The create failed in a way that may have landed (a lost answer, a 5xx, a duplicate
    /// refusal); `in_doubt` is not written yet.
    IN_DOUBT_BEFORE_WRITE = "in_doubt_before_write";
    /// `in_doubt` is written; the lookup that settles it is not sent yet.
    IN_DOUBT_AFTER_WRITE = "in_doubt_after_write";
    /// The lookup after a create that may have landed found the record; its adoption is not
    /// journaled yet.
    IN_DOUBT_FOUND_BEFORE_WRITE = "in_doubt_found_before_write";
    /// The record goes back to pending (a lost answer that did not land, to be sent again
    /// now; a spent quota; a fatal error); the write is not made yet.
    PENDING_BEFORE_WRITE = "pending_before_write";
    /// That return to pending is written.
    PENDING_AFTER_WRITE = "pending_after_write";
    /// The accounts server refused a token for the create (nothing was sent): the record's
    /// return to pending (*interrupted*, no attempt charged) is not written yet.
    COOLDOWN_BEFORE_WRITE = "cooldown_before_write";
    /// That return to pending is written.
    COOLDOWN_AFTER_WRITE = "cooldown_after_write";
    /// Zoho failed on its side: the record's deferral is not written yet.
    DEFER_BEFORE_WRITE = "defer_before_write";
    /// The deferral is written.
    DEFER_AFTER_WRITE = "defer_after_write";
    /// Zoho refused the record for good: `failed` is not written yet.
    FAILED_BEFORE_WRITE = "failed_before_write";
    /// `failed` is written.
    FAILED_AFTER_WRITE = "failed_after_write";
    /// A record depends on one that failed (or on nothing in the input or in Zoho): its
    /// `failed` (class `dependency`, never sent) is not written yet.
    DEPENDENCY_FAILED_BEFORE_WRITE = "dependency_failed_before_write";
    /// That `failed` is written.
    DEPENDENCY_FAILED_AFTER_WRITE = "dependency_failed_after_write";
    /// Every record is settled (or the run stops): the run's status is not written yet.
    STATUS_BEFORE_WRITE = "status_before_write";
    /// The run's status is written; the read-back has not started.
    STATUS_AFTER_WRITE = "status_after_write";
    /// The run ended; the pipeline has not saved the plan with the journal yet.
    PLAN_BEFORE_SAVE = "plan_before_save";
}

/// Evaluates the failpoint named by one of this module's constants when the `failpoints`
/// feature is on; nothing at all otherwise.
macro_rules! failpoint {
    ($name:ident) => {
        #[cfg(feature = "failpoints")]
        fail::fail_point!($crate::failpoints::$name);
    };
}
pub(crate) use failpoint;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_usable_in_the_failpoints_variable() {
        let mut seen = std::collections::BTreeSet::new();
        for name in FAILPOINTS {
            assert!(seen.insert(*name), "{name} twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
    }
}
