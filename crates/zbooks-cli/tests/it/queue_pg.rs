//! `zbooks import FILE --queue` and `zbooks worker --queue` against PostgreSQL
//! (127.0.0.1:5432) and the simulator: two workers at once create every record exactly once,
//! records Zoho holds already are enqueued done and never sent, a worker killed mid-call
//! leaves its jobs to the next one, which looks each up before sending it again, and `import
//! status --queue` and `import failed --queue` show every worker's share and every failure.
//! Each test works in a schema of its own, dropped at the end.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use zbooks_sim::{FaultAction, FaultRule};

use crate::import::Zoho;
use crate::journal_pg::{URL, in_schema, rows_per_state};

/// The worker's flags for a simulator whose minute is a second.
pub(crate) const FAST: [&str; 8] = [
    "--minute", "1s", "--defer", "200ms", "--poll", "50ms", "--lease", "1s",
];

pub(crate) const CONTACTS: usize = 30;

/// This machine's name as a worker finds it (the kernel's, else `/etc/hostname`).
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap()
}

/// A JSON Lines file of `CONTACTS` contacts named `{prefix} N`.
pub(crate) fn contacts(dir: &Path, prefix: &str) -> String {
    contacts_in(dir, "contacts.jsonl", prefix, CONTACTS)
}

/// A JSON Lines file `name` of the first `n` contacts named `{prefix} N`.
fn contacts_in(dir: &Path, name: &str, prefix: &str, n: usize) -> String {
    let path = dir.join(name);
    let mut lines = String::new();
    for i in 0..n {
        writeln!(
            lines,
            "{{\"entity\": \"contact\", \"payload\": {{\"contact_name\": \"{prefix} {i}\"}}}}"
        )
        .unwrap();
    }
    std::fs::write(&path, lines).unwrap();
    path.to_string_lossy().into_owned()
}

pub(crate) fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// How many records the simulator holds per contact of the file (0 when missing).
pub(crate) fn created(zoho: &Zoho, prefix: &str) -> Vec<u64> {
    let org = zoho.sim().demo().organization_id;
    let counters = zoho.sim().counters();
    (0..CONTACTS)
        .map(|i| {
            counters
                .records_per_natural_key
                .get(&format!("{org}:contacts:contact_name={prefix} {i}"))
                .copied()
                .unwrap_or(0)
        })
        .collect()
}

pub(crate) fn enqueue(zoho: &Zoho, dir: &Path, file: &str, url: &str) {
    let out = zoho
        .command(dir, &["import", file, "--queue", url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("enqueued 30 of 30 valid records"),
        "{stdout}"
    );
}

#[test]
fn two_workers_at_once_create_every_queued_record_exactly_once() {
    in_schema(|schema| {
        let zoho = Zoho::start(41);
        // Each create takes a while, so both workers are busy at the same time.
        zoho.sim().set_faults(vec![FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::Delay { ms: 20 },
        )]);
        let dir = tempfile::tempdir().unwrap();
        let url = format!("{URL}?options=-c%20search_path%3D{schema}");
        let file = contacts(dir.path(), "Pair");
        enqueue(&zoho, dir.path(), &file, &url);
        // Enqueueing again adds nothing.
        let again = zoho
            .command(dir.path(), &["import", &file, "--queue", &url])
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&again.stdout).contains("enqueued 0 of 30"),
            "{}",
            text(&again)
        );
        let mut args = vec!["worker", "--queue", &url, "--batch", "3"];
        args.extend(FAST);
        let a = zoho.command(dir.path(), &args).spawn().unwrap();
        let b = zoho.command(dir.path(), &args).spawn().unwrap();
        let a = a.wait_with_output().unwrap();
        let b = b.wait_with_output().unwrap();
        assert_eq!(a.status.code(), Some(0), "{}", text(&a));
        assert_eq!(b.status.code(), Some(0), "{}", text(&b));
        assert_eq!(created(&zoho, "Pair"), vec![1; CONTACTS]);
        assert_eq!(
            rows_per_state(schema, "import_jobs"),
            vec![("done".to_owned(), 30)]
        );
        assert!(
            String::from_utf8_lossy(&a.stdout).contains("queue of organization"),
            "{}",
            text(&a)
        );
    });
}

#[test]
fn a_worker_killed_mid_run_leaves_its_jobs_to_the_next_and_nothing_doubles() {
    in_schema(|schema| {
        let zoho = Zoho::start(42);
        // The sixth create is held 600ms by Zoho (less than the 1s lease, as a real call is
        // shorter than a real lease): the kill lands while it is in flight. The others are
        // quick.
        zoho.sim().set_faults(vec![
            FaultRule::on("POST", "/books/v3/contacts", FaultAction::Delay { ms: 600 })
                .nth(6)
                .named("held create"),
            FaultRule::on("POST", "/books/v3/contacts", FaultAction::Delay { ms: 5 }),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let url = format!("{URL}?options=-c%20search_path%3D{schema}");
        let file = contacts(dir.path(), "Killed");
        enqueue(&zoho, dir.path(), &file, &url);
        let mut args = vec!["worker", "--queue", &url, "--batch", "5"];
        args.extend(FAST);
        let mut first = zoho.command(dir.path(), &args).spawn().unwrap();
        // Until the first batch is done and the second claimed: the worker is then in the
        // sixth create (nothing but the create comes between the claim and the call for a
        // contact). Bounded: the worker would end by itself.
        let mid_call = vec![
            ("claimed".to_owned(), 5),
            ("done".to_owned(), 5),
            ("ready".to_owned(), 20),
        ];
        for _ in 0..2000 {
            if rows_per_state(schema, "import_jobs") == mid_call {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(rows_per_state(schema, "import_jobs"), mid_call);
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(created(&zoho, "Killed").iter().sum::<u64>(), 5);
        // SIGKILL mid-call: its claims stay until their lease ends, the sixth create is cut
        // off with its connection.
        first.kill().unwrap();
        first.wait().unwrap();
        let second = zoho.command(dir.path(), &args).output().unwrap();
        let all = text(&second);
        assert_eq!(second.status.code(), Some(0), "{all}");
        assert_eq!(created(&zoho, "Killed"), vec![1; CONTACTS]);
        assert_eq!(zoho.sim().counters().duplicates_refused, 0);
        assert_eq!(
            rows_per_state(schema, "import_jobs"),
            vec![("done".to_owned(), 30)]
        );
        // The held create reached Zoho from the first worker and never finished: had the
        // kill come before it was sent, the second worker's first create would have been the
        // sixth, held and logged.
        let log = zoho.sim().request_log();
        assert!(
            !log.iter()
                .any(|r| r.fault.as_deref() == Some("held create")),
            "the kill did not land mid-call"
        );
        // Every job the dead worker held went to the second, which looked each up first
        // (lookup_first) and created the rest: 25, none twice.
        assert!(all.contains("25 created, 0 adopted, 0 failed"), "{all}");
        assert_eq!(
            log.iter()
                .filter(|r| r.method == "POST" && r.status == 201)
                .count(),
            30
        );
    });
}

#[test]
fn a_server_error_defers_a_lost_answer_is_adopted_and_a_refusal_fails_it_and_what_names_it() {
    in_schema(|schema| {
        let zoho = Zoho::start(43);
        zoho.sim().set_faults(vec![
            FaultRule::on(
                "POST",
                "/books/v3/contacts",
                FaultAction::zoho(500, 1000, "Internal error"),
            )
            .nth(1),
            FaultRule::on(
                "POST",
                "/books/v3/contacts",
                FaultAction::zoho(400, 4, "Invalid value passed for contact_name"),
            )
            .nth(2),
            // Later Co again, after its deferral: created, but the answer is lost.
            FaultRule::on("POST", "/books/v3/contacts", FaultAction::ResetAfter).nth(3),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let url = format!("{URL}?options=-c%20search_path%3D{schema}");
        let file = dir.path().join("mixed.jsonl");
        std::fs::write(
            &file,
            "{\"entity\": \"contact\", \"payload\": {\"contact_name\": \"Later Co\"}}\n\
             {\"entity\": \"contact\", \"payload\": {\"contact_name\": \"Refused Co\"}}\n\
             {\"entity\": \"invoice\", \"payload\": {\"customer_name\": \"Refused Co\", \
             \"invoice_number\": \"Q-1\", \"date\": \"2026-04-01\", \
             \"line_items\": [{\"name\": \"Work\", \"rate\": 10, \"quantity\": 1}]}}\n",
        )
        .unwrap();
        let file = file.to_string_lossy().into_owned();
        let out = zoho
            .command(dir.path(), &["import", &file, "--queue", &url])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let mut args = vec!["worker", "--queue", &url, "--batch", "1"];
        args.extend(FAST);
        let out = zoho.command(dir.path(), &args).output().unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(1), "{all}");
        assert!(all.contains("(code 4)"), "{all}");
        assert!(all.contains("name records that failed"), "{all}");
        // The lost answer is settled by a lookup: adopted, not sent again.
        assert!(all.contains("0 created, 1 adopted"), "{all}");
        let org = zoho.sim().demo().organization_id;
        let counters = zoho.sim().counters();
        assert_eq!(
            counters
                .records_per_natural_key
                .get(&format!("{org}:contacts:contact_name=Later Co"))
                .copied(),
            Some(1)
        );
        assert_eq!(
            rows_per_state(schema, "import_jobs"),
            vec![("done".to_owned(), 1), ("failed".to_owned(), 2)]
        );

        // `import failed --queue`: every failed job, in the journal's CSV and JSON Lines.
        let out = zoho
            .command(dir.path(), &["import", "failed", "--queue", &url])
            .output()
            .unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(0), "{all}");
        let csv = String::from_utf8_lossy(&out.stdout).into_owned();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 3, "{csv}");
        assert!(
            rows[0].starts_with("entity,key_field,key_value,location,code,class,message,fix"),
            "{csv}"
        );
        assert!(
            rows[1].starts_with(&format!(
                "contact,contact_name,Refused Co,\"{file}:2 \"\"Refused Co\"\"\",4,validation,"
            )),
            "{csv}"
        );
        assert!(
            rows[2].starts_with(&format!(
                "invoice,invoice_number,Q-1,\"{file}:3 \"\"Q-1\"\"\",,dependency_failed,"
            )),
            "{csv}"
        );
        assert!(all.contains("2 failed job(s)"), "{all}");
        let out = zoho
            .command(
                dir.path(),
                &["import", "failed", "--queue", &url, "--format", "json"],
            )
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0]["payload"]["contact_name"], "Refused Co");
        assert_eq!(lines[0]["error"]["code"], 4);
        assert_eq!(
            lines[0]["error"]["location"],
            format!("{file}:2 \"Refused Co\"")
        );
        assert_eq!(
            lines[1]["error"]["fix"],
            "correct the record it depends on and import both again"
        );
        // Only the jobs of the file named.
        let other = dir.path().join("other.jsonl");
        let out = zoho
            .command(
                dir.path(),
                &[
                    "import",
                    "failed",
                    "--queue",
                    &url,
                    &other.to_string_lossy(),
                ],
            )
            .output()
            .unwrap();
        assert!(text(&out).contains("0 failed job(s)"), "{}", text(&out));
    });
}

#[test]
fn records_zoho_holds_are_enqueued_done_and_status_shows_every_workers_share() {
    in_schema(|schema| {
        let zoho = Zoho::start(45);
        zoho.sim().set_faults(vec![FaultRule::on(
            "POST",
            "/books/v3/contacts",
            FaultAction::Delay { ms: 20 },
        )]);
        let dir = tempfile::tempdir().unwrap();
        let url = format!("{URL}?options=-c%20search_path%3D{schema}");
        // The first ten are in Zoho already: imported on one machine, the usual way.
        let first = contacts_in(dir.path(), "first.jsonl", "There", 10);
        let mut args = vec!["import", &first];
        args.extend(crate::import::FAST);
        let out = zoho.command(dir.path(), &args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let file = contacts(dir.path(), "There");
        // Two invoices: one names a contact Zoho holds (its id comes from the queue's done
        // job), one a contact a worker creates (it waits for that job).
        let mut lines = std::fs::read_to_string(&file).unwrap();
        for (number, customer) in [("T-1", "There 0"), ("T-2", "There 20")] {
            writeln!(
                lines,
                "{{\"entity\": \"invoice\", \"payload\": {{\"customer_name\": \"{customer}\", \
                 \"invoice_number\": \"{number}\", \"date\": \"2026-04-01\", \
                 \"line_items\": [{{\"name\": \"Work\", \"rate\": 10, \"quantity\": 1}}]}}}}"
            )
            .unwrap();
        }
        std::fs::write(&file, lines).unwrap();
        let out = zoho
            .command(dir.path(), &["import", &file, "--queue", &url])
            .output()
            .unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(all.contains("enqueued 32 of 32 valid records"), "{all}");
        assert!(
            all.contains("already in Zoho (found by key, enqueued done, never sent): 10"),
            "{all}"
        );
        let mut args = vec!["worker", "--queue", &url, "--batch", "3"];
        args.extend(FAST);
        let a = zoho.command(dir.path(), &args).spawn().unwrap();
        let b = zoho.command(dir.path(), &args).spawn().unwrap();
        let a = a.wait_with_output().unwrap();
        let b = b.wait_with_output().unwrap();
        assert_eq!(a.status.code(), Some(0), "{}", text(&a));
        assert_eq!(b.status.code(), Some(0), "{}", text(&b));
        // The ten were never sent again; the workers created only the rest.
        assert_eq!(created(&zoho, "There"), vec![1; CONTACTS]);
        assert_eq!(zoho.sim().counters().duplicates_refused, 0);
        let org = zoho.sim().demo().organization_id;
        let counters = zoho.sim().counters();
        for number in ["T-1", "T-2"] {
            assert_eq!(
                counters
                    .records_per_natural_key
                    .get(&format!("{org}:invoices:invoice_number={number}"))
                    .copied(),
                Some(1),
                "{number}"
            );
        }

        let host = host_name();
        let out = zoho
            .command(dir.path(), &["import", "status", "--queue", &url])
            .output()
            .unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(all.contains("32 of 32 in Zoho"), "{all}");
        assert!(
            all.contains(
                "ready 0 · claimed 0 · created 22 · adopted 0 · already there 10 · failed 0"
            ),
            "{all}"
        );
        assert_eq!(all.matches(&format!("{host} pid ")).count(), 2, "{all}");

        let out = zoho
            .command(
                dir.path(),
                &["import", "status", "--queue", &url, "--format", "json"],
            )
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let envelope: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let queue = &envelope["data"]["queues"][0];
        assert_eq!(queue["jobs"]["present"], 10, "{envelope:#}");
        assert_eq!(queue["jobs"]["created"], 22, "{envelope:#}");
        assert_eq!(queue["entities"][0]["entity"], "contact", "{envelope:#}");
        assert_eq!(queue["entities"][0]["present"], 10, "{envelope:#}");
        assert_eq!(queue["entities"][1]["entity"], "invoice", "{envelope:#}");
        assert_eq!(queue["entities"][1]["created"], 2, "{envelope:#}");
        let workers = queue["workers"].as_array().unwrap();
        assert_eq!(workers.len(), 2, "{envelope:#}");
        let mut shares = 0;
        for w in workers {
            assert!(
                w["name"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{host} pid ")),
                "{w}"
            );
            assert_eq!(w["held"], 0, "{w}");
            shares += w["created"].as_u64().unwrap();
        }
        assert_eq!(shares, 22, "{envelope:#}");
    });
}
