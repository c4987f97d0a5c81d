//! `zbooks import` with `ZBOOKS_JOURNAL` naming PostgreSQL (127.0.0.1:5432, as the project's
//! machines and CI run it): the records are journaled there, the same command again finds them
//! done and sends nothing, and `import status` and `import failed` read them there. The test
//! works in a schema of its own, dropped at the end.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::hash::{BuildHasher, Hasher};

use crate::import::{FAST, SAMPLE, Zoho};

pub(crate) const URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Runs `f` with a fresh schema's name, then drops the schema (also when `f` panics).
pub(crate) fn in_schema(f: impl FnOnce(&str) + std::panic::UnwindSafe) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let admin = rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(URL, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is not answering at {URL}: {e}"));
        tokio::spawn(connection);
        client
    });
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let schema = format!("zb_test_{:016x}", h.finish());
    rt.block_on(admin.batch_execute(&format!("CREATE SCHEMA {schema}")))
        .unwrap();
    let outcome = std::panic::catch_unwind(|| f(&schema));
    rt.block_on(admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")))
        .unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// The rows of `table` in `schema` per state (`journal_records`, `import_jobs`).
pub(crate) fn rows_per_state(schema: &str, table: &str) -> Vec<(String, i64)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(URL, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        let rows = client
            .query(
                &format!(
                    "SELECT state, COUNT(*) FROM {schema}.{table} GROUP BY state ORDER BY state"
                ),
                &[],
            )
            .await
            .unwrap();
        rows.iter().map(|r| (r.get(0), r.get(1))).collect()
    })
}

#[test]
fn zbooks_journal_puts_the_import_journal_on_postgres() {
    in_schema(|schema| {
        let zoho = Zoho::start(21);
        let dir = tempfile::tempdir().unwrap();
        // The schema through the connection's options, as a user could name their own.
        let url = format!("{URL}?options=-c%20search_path%3D{schema}");
        let mut args = vec!["import", SAMPLE];
        args.extend(FAST);
        let run = |args: &[&str]| {
            let out = zoho
                .command(dir.path(), args)
                .env("ZBOOKS_JOURNAL", &url)
                .output()
                .unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
        assert!(stdout.contains("records: 44 of 44 agree"), "{stdout}");
        let journaled = rows_per_state(schema, "journal_records");
        assert_eq!(journaled.len(), 1, "{journaled:?}");
        assert_eq!(journaled[0].0, "done");
        assert!(journaled[0].1 >= 41, "{journaled:?}");
        // Again: the journal on PostgreSQL says everything is done; nothing is created.
        let created = zoho.sim().counters().by_status.get(&201).copied();
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
        assert_eq!(zoho.sim().counters().by_status.get(&201).copied(), created);
        // status and failed read the same journal.
        let (code, stdout, stderr) = run(&["import", "status"]);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
        assert!(stdout.contains("demo-company.xml"), "{stdout}");
        assert!(stdout.contains("finished"), "{stdout}");
        let (code, stdout, stderr) = run(&["import", "failed"]);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
        assert!(stderr.contains("0 failed record(s)"), "{stderr}");
    });
}

#[test]
fn zbooks_journal_that_is_not_a_postgres_url_is_a_usage_error() {
    let zoho = Zoho::start(22);
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["import", SAMPLE];
    args.extend(FAST);
    let out = zoho
        .command(dir.path(), &args)
        .env("ZBOOKS_JOURNAL", "mysql://db")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ZBOOKS_JOURNAL is not a postgres:// URL"),
        "{stderr}"
    );
}
