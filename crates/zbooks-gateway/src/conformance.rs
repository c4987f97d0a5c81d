//! The behaviour every [`AnswerStore`] must have, as one async test suite: the memory and
//! SQLite stores run it here, the Redis and PostgreSQL stores in their crates, so gateways
//! behave the same whichever state backend they share. It panics on the first difference (a
//! test helper, as `zbooks-testkit`'s store conformance).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use zbooks_types::{Clock as _, SystemClock};

use crate::idempotency::{AnswerStore, Claim, StoredAnswer};

fn answer(body: &str) -> StoredAnswer {
    StoredAnswer {
        status: 201,
        content_type: Some("application/json;charset=UTF-8".to_owned()),
        body: body.as_bytes().to_vec(),
    }
}

/// Runs every check against `store`, which must hold none of the keys `conformance-*` (give
/// it a fresh prefix, schema or file). Times are the store's arguments, not its clock: a
/// store that keeps them by its own clock as well must not forget an entry before them.
///
/// # Panics
///
/// On the first behaviour that differs from [`AnswerStore`]'s contract.
pub async fn run(store: Arc<dyn AnswerStore>) {
    let store = store.as_ref();
    let now = SystemClock.now();
    let minute = Duration::from_mins(1);
    let day = Duration::from_hours(24);

    // A free key is claimed once; while its marker lasts, every other claim waits.
    let key = "conformance-first";
    assert_eq!(
        claim(store, key, "g1", now, now + minute).await,
        Claim::Mine
    );
    assert_eq!(
        claim(store, key, "g2", now, now + minute).await,
        Claim::Pending
    );
    assert_eq!(
        claim(store, key, "g1", now, now + minute).await,
        Claim::Pending
    );
    // The first answer replaces the marker and is kept; a second does not overwrite it.
    store
        .save(key, &answer("first"), now, now + day)
        .await
        .expect("save");
    store
        .save(key, &answer("second"), now, now + day)
        .await
        .expect("save");
    assert_eq!(
        claim(store, key, "g2", now, now + minute).await,
        Claim::Kept(answer("first"))
    );
    // Releasing never forgets an answer.
    store.release(key, "g1").await.expect("release");
    assert_eq!(
        claim(store, key, "g3", now + minute, now + minute * 2).await,
        Claim::Kept(answer("first"))
    );
    // Expired, the key is free again.
    assert_eq!(
        claim(store, key, "g3", now + day, now + day + minute).await,
        Claim::Mine
    );

    // A marker whose holder vanished lasts until its time, then the key is free.
    let key = "conformance-abandoned";
    assert_eq!(
        claim(store, key, "g1", now, now + minute).await,
        Claim::Mine
    );
    assert_eq!(
        claim(store, key, "g2", now + minute / 2, now + minute).await,
        Claim::Pending
    );
    assert_eq!(
        claim(store, key, "g2", now + minute, now + minute * 2).await,
        Claim::Mine
    );

    // Only the holder releases its marker; then the next claim sends.
    let key = "conformance-released";
    assert_eq!(
        claim(store, key, "g1", now, now + minute).await,
        Claim::Mine
    );
    store.release(key, "g2").await.expect("release");
    assert_eq!(
        claim(store, key, "g2", now, now + minute).await,
        Claim::Pending
    );
    store.release(key, "g1").await.expect("release");
    assert_eq!(
        claim(store, key, "g2", now, now + minute).await,
        Claim::Mine
    );

    // An answer without a content type, and with bytes that are not text, comes back whole.
    let key = "conformance-bytes";
    assert_eq!(
        claim(store, key, "g1", now, now + minute).await,
        Claim::Mine
    );
    let odd = StoredAnswer {
        status: 400,
        content_type: None,
        body: vec![0, 10, 58, 255, 13, 10],
    };
    store.save(key, &odd, now, now + day).await.expect("save");
    assert_eq!(
        claim(store, key, "g2", now, now + minute).await,
        Claim::Kept(odd)
    );

    // Keys are distinct: one key's answer is not another's.
    assert_eq!(
        claim(store, "conformance-other", "g1", now, now + minute).await,
        Claim::Mine
    );
}

/// Many holders claiming one key at once: exactly one gets it (run with a store that can be
/// shared across tasks, on a runtime with several threads to race for real).
///
/// # Panics
///
/// When not exactly one claim wins.
pub async fn run_concurrent(store: Arc<dyn AnswerStore>) {
    let now = SystemClock.now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..16 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .claim(
                    "conformance-race",
                    &format!("g{n}"),
                    now,
                    now + Duration::from_mins(1),
                )
                .await
                .expect("claim")
        });
    }
    let mut mine = 0;
    while let Some(claim) = tasks.join_next().await {
        match claim.expect("task") {
            Claim::Mine => mine += 1,
            Claim::Pending => {}
            Claim::Kept(a) => panic!("nothing was saved, yet {a:?} was kept"),
        }
    }
    assert_eq!(mine, 1, "one claim wins the key");
}

async fn claim(
    store: &dyn AnswerStore,
    key: &str,
    holder: &str,
    now: SystemTime,
    pending_until: SystemTime,
) -> Claim {
    store
        .claim(key, holder, now, pending_until)
        .await
        .expect("claim")
}
