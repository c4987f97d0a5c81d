//! An import embedded in another program: a Zoho Books simulator started in-process (as
//! `zbooks sim` would serve it), a client of its demo organization, and a JSON Lines input
//! held in memory, prepared (read, validated, planned offline) and run with the journaled
//! executor, the program rendering the pipeline's events itself.
//!
//! `cargo run -p zbooks-import --example embed`
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an example shows what it does"
)]

use std::sync::Arc;
use std::time::Duration;

use zbooks_client::{Client, Credentials, LimitsConfig, RetryConfig};
use zbooks_import::{Event, ExecuteOptions, Import, Phase, PlanOptions, Settings, Source, Stop};
use zbooks_sim::{Sim, SimConfig};
use zbooks_store::SqliteStore;
use zbooks_types::Plan;

const INPUT: &str = r#"{"entity": "contact", "payload": {"contact_name": "Embed Buyer", "contact_type": "customer"}}
{"entity": "item", "payload": {"name": "Embed Bolt", "rate": 5}}
{"entity": "invoice", "payload": {"customer_name": "Embed Buyer", "invoice_number": "EMB-1", "date": "2026-01-15", "line_items": [{"item_id": {"$ref": "item:name=Embed Bolt"}, "quantity": 2, "rate": 5}]}}
"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A simulator on 127.0.0.1:0 whose minute lasts a second (the limit stays 100 a minute).
    let minute = Duration::from_secs(1);
    let sim = Sim::start(SimConfig {
        minute,
        ..SimConfig::default()
    })
    .await?;
    let demo = sim.demo();
    let store = Arc::new(SqliteStore::open_in_memory()?);
    let client = Client::builder()
        .accounts_url(sim.accounts_url())
        .api_url(sim.api_url())
        .organization_id(&demo.organization_id)
        .plan(Plan::Professional)
        .credentials(Credentials::refresh_token(
            demo.client_id,
            demo.client_secret,
            demo.refresh_token,
        ))
        .limits(LimitsConfig {
            window: minute,
            ..LimitsConfig::default()
        })
        .retry(RetryConfig {
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(200),
            ..RetryConfig::default()
        })
        .store(store.clone())
        .build()?;

    // Read, validate and plan: no call yet (what `zbooks import --dry-run` shows).
    let prepared = Import::prepare(
        Source::bytes("embedded.jsonl", INPUT),
        Settings {
            plan: PlanOptions {
                limits: Plan::Professional.limits(),
                daily_budget: None,
            },
            execute: ExecuteOptions {
                settle: Duration::ZERO,
                // This program is the only one creating in the simulator's organization.
                exclusive: true,
                ..ExecuteOptions::default()
            },
            ..Settings::default()
        },
    )?;
    println!(
        "{}: {} records, {} calls planned, {} problems",
        prepared.name(),
        prepared.parsed().records.len(),
        prepared.plan().calls,
        prepared.validation().report.problems.len()
    );

    // Run against the simulator with a journal in the store; render the events.
    let journal = store
        .journal(&prepared.fingerprint(&demo.organization_id))
        .await?;
    let outcome = prepared
        .run(&client, &journal, &mut |event: Event<'_>| match event {
            Event::Listed { entity, records } => eprintln!("zoho holds {records} {entity}(s)"),
            Event::Planned(plan) => eprintln!("plan: {} calls", plan.calls),
            Event::Progress(p) if p.phase == Phase::Creating => {
                eprintln!("{}/{} settled", p.settled, p.total);
            }
            _ => {}
        })
        .await?;
    let s = &outcome.run.summary;
    println!(
        "created {} · adopted {} · present {} · failed {}",
        s.created, s.adopted, s.present, s.failed
    );
    let finished = matches!(outcome.run.stop, Stop::Finished);
    sim.shutdown().await;
    if !finished || s.created != 3 {
        return Err(format!("the embedded import did not finish cleanly: {s:?}").into());
    }
    Ok(())
}
