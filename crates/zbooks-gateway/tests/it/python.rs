//! A small Python program written for Zoho Books (it sends its own `Authorization` and
//! `organization_id`, and bursts 150 calls from 8 threads — a 44 storm against Zoho itself)
//! runs unchanged but for its base URL: every call succeeds and Zoho never answers 429.

use std::process::Command;

use crate::support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_python_program_runs_unchanged_but_for_its_base_url() {
    let python = Command::new("python3").arg("--version").output();
    assert!(
        python.is_ok_and(|o| o.status.success()),
        "python3 is needed for this test (it is on the machines and on CI)"
    );
    let t = support::start(Vec::new(), |_| {}).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/zoho_app.py");
    let base = t.gateway.base_url();
    let org = t.demo.organization_id.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(script)
            .env("ZOHO_BOOKS_BASE_URL", base)
            .env("ZOHO_ORG_ID", org)
            .env(
                "ZOHO_ACCESS_TOKEN",
                "1000.what-the-program-had-before-the-gateway",
            )
            .output()
            .expect("python3 runs")
    })
    .await
    .expect("the program");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("burst: 150 calls, 150 ok"), "{stdout}");
    assert!(
        stdout.contains("created, read, updated and deleted"),
        "{stdout}"
    );
    let counters = t.sim.counters();
    assert!(
        counters.throttled.is_empty(),
        "Zoho refused: {:?}",
        counters.throttled
    );
    assert_eq!(counters.token_requests, 1);
    t.stop().await;
}
