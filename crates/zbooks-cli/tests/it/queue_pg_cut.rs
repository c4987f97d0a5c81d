//! `zbooks worker --queue` losing PostgreSQL mid-run: the test puts a small TCP proxy of its
//! own between the worker and the shared server (127.0.0.1:5432), drops every connection
//! through it and refuses new ones for a while, then lets them through again. The shared
//! server is never restarted. The worker must pause, say so, resume, record the outcomes it
//! held (records Zoho created while the database was away) and create nothing twice; stopped
//! with Ctrl-C while paused, it leaves its jobs to the next worker, which looks them up first.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use zbooks_sim::{FaultAction, FaultRule};

use crate::import::Zoho;
use crate::journal_pg::{URL, in_schema, rows_per_state};
use crate::queue_pg::{CONTACTS, FAST, contacts, created, enqueue, text};

/// A TCP proxy to the shared PostgreSQL that the test can cut.
struct Proxy {
    port: u16,
    /// While true, a new connection is accepted and closed at once.
    refusing: Arc<AtomicBool>,
    /// Bumped to drop every connection open through the proxy.
    cut: watch::Sender<u64>,
    rt: tokio::runtime::Runtime,
}

impl Proxy {
    fn start() -> Proxy {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let refusing = Arc::new(AtomicBool::new(false));
        let (cut, _) = watch::channel(0);
        let refuse = refusing.clone();
        let cuts = cut.subscribe();
        rt.spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if refuse.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let mut cuts = cuts.clone();
                cuts.mark_unchanged();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect("127.0.0.1:5432").await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cuts.changed() => {}
                    }
                });
            }
        });
        Proxy {
            port,
            refusing,
            cut,
            rt,
        }
    }

    /// Drops every connection and refuses new ones.
    fn cut(&self) {
        self.refusing.store(true, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    /// Lets connections through again.
    fn restore(&self) {
        self.refusing.store(false, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        let rt = std::mem::replace(
            &mut self.rt,
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
        );
        rt.shutdown_background();
    }
}

#[test]
fn a_worker_that_loses_postgres_pauses_resumes_and_creates_nothing_twice() {
    in_schema(|schema| {
        let zoho = Zoho::start(46);
        // Slow creates: the cut lands while the worker is busy.
        zoho.sim().set_faults(vec![FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::Delay { ms: 50 },
        )]);
        let dir = tempfile::tempdir().unwrap();
        let direct = format!("{URL}?options=-c%20search_path%3D{schema}");
        let file = contacts(dir.path(), "Cut");
        enqueue(&zoho, dir.path(), &file, &direct);
        let proxy = Proxy::start();
        let url = format!(
            "postgres://postgres@127.0.0.1:{}/test?options=-c%20search_path%3D{schema}",
            proxy.port
        );
        let mut args = vec!["worker", "--queue", &url, "--batch", "5"];
        args.extend(FAST);
        let worker = zoho.command(dir.path(), &args).spawn().unwrap();
        // Until a few records exist (bounded: the worker would end by itself).
        for _ in 0..2000 {
            if created(&zoho, "Cut").iter().sum::<u64>() >= 6 {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        proxy.cut();
        let at_cut = created(&zoho, "Cut").iter().sum::<u64>();
        assert!(at_cut < 30, "the worker finished before the cut");
        // Longer than the lease: the worker's claims end while it cannot reach the database.
        std::thread::sleep(Duration::from_millis(1500));
        // Zoho answered meanwhile: the rest of the batch the worker held was created, and
        // nothing beyond it (no claim without the database).
        let during = created(&zoho, "Cut").iter().sum::<u64>();
        assert!(during <= at_cut + 5, "{at_cut} then {during}");
        proxy.restore();
        let out = worker.wait_with_output().unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(all.contains("PostgreSQL is not answering"), "{all}");
        assert!(all.contains("pausing this worker"), "{all}");
        assert!(all.contains("PostgreSQL answers again"), "{all}");
        assert!(all.contains("resuming"), "{all}");
        assert_eq!(created(&zoho, "Cut"), vec![1; CONTACTS]);
        assert_eq!(zoho.sim().counters().duplicates_refused, 0);
        assert_eq!(
            rows_per_state(schema, "import_jobs"),
            vec![("done".to_owned(), 30)]
        );
        // The outcomes held through the cut were recorded as this worker's creates: none
        // had to be found again by a lookup.
        assert!(all.contains("30 created, 0 adopted"), "{all}");
        drop(proxy);
    });
}

#[test]
fn ctrl_c_ends_a_worker_paused_for_postgres_and_the_next_one_doubles_nothing() {
    in_schema(|schema| {
        let zoho = Zoho::start(47);
        zoho.sim().set_faults(vec![FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::Delay { ms: 50 },
        )]);
        let dir = tempfile::tempdir().unwrap();
        let direct = format!("{URL}?options=-c%20search_path%3D{schema}");
        let file = contacts(dir.path(), "Stop");
        enqueue(&zoho, dir.path(), &file, &direct);
        let proxy = Proxy::start();
        let url = format!(
            "postgres://postgres@127.0.0.1:{}/test?options=-c%20search_path%3D{schema}",
            proxy.port
        );
        let mut args = vec!["worker", "--queue", &url, "--batch", "5"];
        args.extend(FAST);
        let worker = zoho.command(dir.path(), &args).spawn().unwrap();
        for _ in 0..2000 {
            if created(&zoho, "Stop").iter().sum::<u64>() >= 3 {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        proxy.cut();
        // Long enough for the rest of its batch (5 creates of 50ms) and the pause to begin.
        std::thread::sleep(Duration::from_secs(1));
        let sent = std::process::Command::new("kill")
            .args(["-INT", &worker.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let out = worker.wait_with_output().unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(130), "{all}");
        assert!(all.contains("pausing this worker"), "{all}");
        // What the first worker made in Zoho and could not record: how many of its claims
        // are in Zoho already (how many depends on where the cut caught it).
        let made: u64 = created(&zoho, "Stop").iter().sum();
        // The database back, the next worker takes over the jobs the first held (looked up
        // first: the ones it created are adopted) and creates the rest.
        proxy.restore();
        let recorded = rows_per_state(schema, "import_jobs")
            .into_iter()
            .find(|(state, _)| state == "done")
            .map_or(0, |(_, n)| u64::try_from(n).unwrap());
        let second = zoho.command(dir.path(), &args).output().unwrap();
        let all = text(&second);
        assert_eq!(second.status.code(), Some(0), "{all}");
        assert_eq!(created(&zoho, "Stop"), vec![1; CONTACTS]);
        assert_eq!(zoho.sim().counters().duplicates_refused, 0);
        assert_eq!(
            rows_per_state(schema, "import_jobs"),
            vec![("done".to_owned(), 30)]
        );
        assert!(
            all.contains(&format!(", {} adopted", made - recorded)),
            "the held outcomes ({made} made, {recorded} recorded) were adopted: {all}"
        );
        drop(proxy);
    });
}
