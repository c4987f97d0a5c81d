//! The organizations' queues: requests of one organization are handed to its client first
//! come, first served (a fair semaphore: whichever client sent first goes first, however many
//! connections each client holds), a few at a time; the client then paces them inside the
//! organization's limits, shared through its store with every other zbooks process.
//!
//! Before a request joins, its wait is estimated (the time to the organization's next pacing
//! slot, which covers a pause after a 44 and every other process's calls, plus one pacing
//! interval for each request ahead of it); a request that would wait longer than its maximum
//! is refused at once with `Retry-After` instead of holding a connection it will lose anyway.
//! A request that joined still never waits past its maximum.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The queues of every organization the gateway serves.
#[derive(Debug)]
pub(crate) struct Queues {
    slots: u32,
    queues: Mutex<HashMap<String, Arc<OrgQueue>>>,
}

/// One organization's queue.
#[derive(Debug)]
pub(crate) struct OrgQueue {
    semaphore: Arc<Semaphore>,
    waiting: AtomicUsize,
    active: AtomicUsize,
}

/// A request's place at the head of the queue: it is being sent; freed on drop.
#[derive(Debug)]
pub(crate) struct Place {
    _permit: OwnedSemaphorePermit,
    queue: Arc<OrgQueue>,
}

impl Drop for Place {
    fn drop(&mut self) {
        self.queue.active.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Counts a waiting request until it leaves the queue, whichever way.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Queues {
    pub(crate) fn new(slots: u32) -> Self {
        Queues {
            slots: slots.max(1),
            queues: Mutex::new(HashMap::new()),
        }
    }

    /// The queue of `org` (created on first use).
    pub(crate) fn of(&self, org: &str) -> Arc<OrgQueue> {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        queues
            .entry(org.to_owned())
            .or_insert_with(|| {
                Arc::new(OrgQueue {
                    semaphore: Arc::new(Semaphore::new(usize::try_from(self.slots).unwrap_or(1))),
                    waiting: AtomicUsize::new(0),
                    active: AtomicUsize::new(0),
                })
            })
            .clone()
    }

    /// (waiting, being sent) per organization.
    pub(crate) fn depths(&self) -> Vec<(String, usize, usize)> {
        let queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        queues
            .iter()
            .map(|(org, q)| (org.clone(), q.waiting(), q.active()))
            .collect()
    }
}

impl OrgQueue {
    /// Requests waiting for their turn.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    /// Requests handed to the client (waiting for their pacing slot or in flight).
    pub(crate) fn active(&self) -> usize {
        self.active.load(Ordering::Acquire)
    }

    /// How long a request joining now is expected to wait: until the next pacing slot, then
    /// one interval per request ahead of it.
    pub(crate) fn estimate(&self, until_next_slot: Duration, interval: Duration) -> Duration {
        let ahead = u32::try_from(self.waiting() + self.active()).unwrap_or(u32::MAX);
        until_next_slot.saturating_add(interval.saturating_mul(ahead))
    }

    /// Waits for the request's turn, at most `max`; `None` when the time ran out.
    pub(crate) async fn enter(self: &Arc<Self>, max: Duration) -> Option<Place> {
        self.waiting.fetch_add(1, Ordering::AcqRel);
        let waiting = Waiting(&self.waiting);
        let permit = tokio::time::timeout(max, self.semaphore.clone().acquire_owned()).await;
        // Counted as active before it stops counting as waiting: the depth never dips.
        let permit = match permit {
            Ok(Ok(permit)) => {
                self.active.fetch_add(1, Ordering::AcqRel);
                permit
            }
            _ => return None,
        };
        drop(waiting);
        Some(Place {
            _permit: permit,
            queue: self.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn first_come_first_served_and_bounded_waits() {
        let queues = Queues::new(1);
        let q = queues.of("1");
        let first = q.enter(Duration::from_secs(1)).await.expect("free");
        assert_eq!((q.waiting(), q.active()), (0, 1));
        assert_eq!(
            q.estimate(Duration::from_millis(5), Duration::from_millis(10)),
            Duration::from_millis(15)
        );
        // The slot is taken: a short maximum runs out, and nothing is left counted.
        assert!(q.enter(Duration::from_millis(20)).await.is_none());
        assert_eq!((q.waiting(), q.active()), (0, 1));
        // Two waiters: they get the slot in the order they came.
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for n in 0..2 {
            let (mine, order) = (q.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let place = mine.enter(Duration::from_secs(5)).await.expect("turn");
                order.lock().expect("lock").push(n);
                drop(place);
            }));
            while q.waiting() < n + 1 {
                tokio::task::yield_now().await;
            }
        }
        drop(first);
        for t in tasks {
            t.await.expect("task");
        }
        assert_eq!(*order.lock().expect("lock"), vec![0, 1]);
        assert_eq!(queues.depths(), vec![("1".to_owned(), 0, 0)]);
    }
}
