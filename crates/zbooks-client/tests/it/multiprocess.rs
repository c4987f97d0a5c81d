//! Processes sharing one SQLite store: one token request across an expiry, however many
//! processes notice it (docs/design.md promise 4). The children are this test binary run again,
//! with an environment variable naming the child's job.

use std::process::Command;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use zbooks_client::{Client, Credentials, Method};
use zbooks_store::SqliteStore;
use zbooks_types::Plan;

use zbooks_testkit::{demo_client, fast_limits, fast_retry, fast_sim, fast_tokens, start};

const CHILD_ENV: &str = "ZBOOKS_IT_CHILD";

/// What a child process does.
#[derive(Serialize, Deserialize)]
struct ChildJob {
    accounts_url: String,
    api_domain: String,
    organization_id: String,
    client_id: String,
    client_secret: String,
    refresh_token: String,
    store: String,
    calls: usize,
}

/// Runs in a child process only (the parent runs it with `--ignored`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs as a child process of the multi-process tests"]
async fn child_process() {
    let Some(job) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let job: ChildJob = serde_json::from_str(job.to_str().unwrap()).unwrap();
    let store = Arc::new(SqliteStore::open(&job.store).unwrap());
    let client = Client::builder()
        .accounts_url(job.accounts_url)
        .api_domain(job.api_domain)
        .organization_id(job.organization_id)
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            job.client_id,
            job.client_secret,
            job.refresh_token,
        ))
        .store(store)
        .retry(fast_retry())
        .limits(fast_limits())
        .tokens(fast_tokens())
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..job.calls {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.request(Method::GET, "/contacts").send().await
        }));
    }
    for task in tasks {
        task.await.unwrap().expect("the child's calls succeed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_sharing_a_store_make_one_token_request_across_an_expiry() {
    let (sim, demo) = start(fast_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    let warm = demo_client(&sim, &demo)
        .plan(Plan::Professional)
        .store(store)
        .build()
        .unwrap();
    warm.request(Method::GET, "/contacts").send().await.unwrap();
    assert_eq!(sim.counters().token_requests, 1);
    // Zoho expires the cached token; three processes then call at once.
    sim.expire_tokens();
    let job = ChildJob {
        accounts_url: sim.accounts_url(),
        api_domain: sim.api_domain(),
        organization_id: demo.organization_id.clone(),
        client_id: demo.client_id.clone(),
        client_secret: demo.client_secret.clone(),
        refresh_token: demo.refresh_token.clone(),
        store: path.to_string_lossy().into_owned(),
        calls: 10,
    };
    let job = serde_json::to_string(&job).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "multiprocess::child_process",
                    "--exact",
                    "--ignored",
                    "--quiet",
                ])
                .env(CHILD_ENV, &job)
                .spawn()
                .unwrap()
        })
        .collect();
    let statuses = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|mut child| child.wait().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for status in statuses {
        assert!(status.success(), "a child failed: {status}");
    }
    let counters = sim.counters();
    assert_eq!(counters.token_requests, 2, "one more token request in all");
    let gets = sim
        .request_log()
        .iter()
        .filter(|r| r.method == "GET" && r.status == 200 && r.path == "/books/v3/contacts")
        .count();
    assert_eq!(gets, 31);
}
