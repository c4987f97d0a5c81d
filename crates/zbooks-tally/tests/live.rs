//! The live client against the Tally simulator on 127.0.0.1:0: what a live pull reads is
//! what the file import reads, through every quirk and fault the simulator scripts, and
//! Tally's error answers come back explained.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::time::Duration;

use zbooks_import::tally::{TallyOptions, TallyReader};
use zbooks_import::{Parsed, Record};
use zbooks_tally::live::{self, Day, LiveError, LiveOptions, Tally};
use zbooks_tally::sim::{Book, Schedule, SimConfig, TallySim};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../zbooks-import/fixtures/tally/"
    ))
    .join(name)
}

const SAMPLE: &str = "sample-company.xml";
const REAL: &str = "real-daybook-tallyprime.xml";

fn sim(files: &[&str], config: SimConfig) -> TallySim {
    let books = files
        .iter()
        .map(|f| Book::read(&fixture(f)).expect("fixture reads"))
        .collect();
    TallySim::start(books, config, 0).expect("sim starts")
}

fn fast() -> LiveOptions {
    LiveOptions {
        timeout: Duration::from_secs(5),
        retries: 2,
        backoff: Duration::from_millis(20),
        utf8_requests: false,
    }
}

/// What the file import reads from the fixture.
fn file_import(name: &str) -> Parsed {
    let file = std::fs::File::open(fixture(name)).expect("fixture");
    Parsed::collect(TallyReader::new(file, name, TallyOptions::default()))
}

/// What a live pull of the fixture's company reads, for FY 2024-25.
fn live_pull(sim: &TallySim, company: &str, options: LiveOptions) -> Result<Parsed, LiveError> {
    let tally = Tally::new(&sim.url(), options)?;
    let company = tally.check_company(company)?;
    let months = live::windows(
        Day::parse("2024-04-01").unwrap(),
        Day::parse("2025-03-31").unwrap(),
    );
    let pull = live::pull(&tally, &company, months, TallyOptions::default());
    let parsed = Parsed::collect(pull.records);
    if let Some(e) = pull.state.lock().unwrap().error.take() {
        return Err(e);
    }
    Ok(parsed)
}

/// A record without its location, as JSON, for comparing a pull with a file.
fn shape(r: &Record) -> String {
    let mut v = serde_json::to_value(r).unwrap();
    v.as_object_mut().unwrap().remove("location");
    v.to_string()
}

fn assert_same_records(live: &Parsed, file: &Parsed) {
    let a: Vec<String> = live.records.iter().map(shape).collect();
    let b: Vec<String> = file.records.iter().map(shape).collect();
    assert!(!b.is_empty());
    assert_eq!(
        a.len(),
        b.len(),
        "live {} records, file {}",
        a.len(),
        b.len()
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    let problems = |p: &Parsed| -> Vec<String> {
        p.report
            .problems
            .iter()
            .map(|p| format!("{:?} {}", p.kind, p.message))
            .collect()
    };
    assert_eq!(problems(live), problems(file));
}

fn sample_name() -> String {
    Book::read(&fixture(SAMPLE)).unwrap().name().to_owned()
}

#[test]
fn a_live_pull_reads_what_the_file_import_reads() {
    let sim = sim(&[SAMPLE], SimConfig::default());
    let live = live_pull(&sim, &sample_name(), fast()).expect("pull");
    assert_same_records(&live, &file_import(SAMPLE));
    // One request at a time, in order: the company list, the masters, twelve months.
    let requests = sim.requests();
    assert_eq!(requests.len(), 14, "{requests:?}");
    assert_eq!(requests[0], "companies");
    assert!(requests[1].starts_with("masters "));
    assert!(
        requests[2].ends_with("20240401..20240430"),
        "{}",
        requests[2]
    );
    assert!(
        requests[13].ends_with("20250301..20250331"),
        "{}",
        requests[13]
    );
    // Voucher locations name the request they came from.
    let voucher = live
        .records
        .iter()
        .find(|r| r.location.to_string().contains("vouchers 2024-04"))
        .expect("a voucher of April");
    assert!(voucher.location.to_string().starts_with(&sim.url()));
    assert!(
        live.records
            .iter()
            .any(|r| r.location.to_string().contains(" masters:"))
    );
}

#[test]
fn the_real_export_served_by_the_sim_pulls_without_loss() {
    let sim = sim(&[REAL], SimConfig::default());
    let name = Book::read(&fixture(REAL)).unwrap().name().to_owned();
    let live = live_pull(&sim, &name, fast()).expect("pull");
    assert_same_records(&live, &file_import(REAL));
}

#[test]
fn utf16_answers_with_a_bom_and_utf8_requests_read_alike() {
    let sim16 = sim(
        &[SAMPLE],
        SimConfig {
            utf16: true,
            ..SimConfig::default()
        },
    );
    let live = live_pull(&sim16, &sample_name(), fast()).expect("pull");
    assert_same_records(&live, &file_import(SAMPLE));
    let sim8 = sim(&[SAMPLE], SimConfig::default());
    let utf8 = LiveOptions {
        utf8_requests: true,
        ..fast()
    };
    let live = live_pull(&sim8, &sample_name(), utf8).expect("pull");
    assert_same_records(&live, &file_import(SAMPLE));
}

#[test]
fn tally_system_marks_in_values_change_nothing() {
    let sim = sim(
        &[SAMPLE],
        SimConfig {
            control_marks: true,
            ..SimConfig::default()
        },
    );
    let live = live_pull(&sim, &sample_name(), fast()).expect("pull");
    assert_same_records(&live, &file_import(SAMPLE));
}

#[test]
fn a_slow_answer_beyond_the_timeout_is_asked_again() {
    let sim = sim(
        &[SAMPLE],
        SimConfig {
            delay: Duration::from_millis(600),
            slow: Schedule::Nth(3),
            ..SimConfig::default()
        },
    );
    let options = LiveOptions {
        timeout: Duration::from_millis(400),
        retries: 3,
        backoff: Duration::from_millis(100),
        ..fast()
    };
    let live = live_pull(&sim, &sample_name(), options).expect("pull");
    assert_same_records(&live, &file_import(SAMPLE));
    let requests = sim.requests();
    // The third request (April) answered late, was given up on and asked again.
    assert!(requests[2].ends_with(" slow"), "{requests:?}");
    assert_eq!(requests[2].trim_end_matches(" slow"), requests[3]);
    assert!(requests.len() >= 15, "{requests:?}");
    assert!(requests.last().unwrap().ends_with("20250301..20250331"));
}

#[test]
fn a_dropped_connection_is_retried() {
    let sim = sim(
        &[SAMPLE],
        SimConfig {
            drop: Schedule::Every(4),
            ..SimConfig::default()
        },
    );
    let live = live_pull(&sim, &sample_name(), fast()).expect("pull");
    assert_same_records(&live, &file_import(SAMPLE));
    let dropped = sim
        .requests()
        .iter()
        .filter(|r| r.ends_with(" dropped"))
        .count();
    assert!(dropped >= 3, "{:?}", sim.requests());
}

#[test]
fn retries_are_bounded() {
    let sim = sim(
        &[SAMPLE],
        SimConfig {
            drop: Schedule::Every(1),
            ..SimConfig::default()
        },
    );
    let tally = Tally::new(&sim.url(), fast()).unwrap();
    let err = tally.companies().unwrap_err();
    assert!(
        matches!(err, LiveError::NoAnswer { attempts: 3, .. }),
        "{err}"
    );
    assert_eq!(sim.requests().len(), 3);
    assert!(err.to_string().contains("run the same command again"));
}

#[test]
fn no_company_open_is_explained() {
    let sim = sim(
        &[SAMPLE],
        SimConfig {
            closed: true,
            ..SimConfig::default()
        },
    );
    let err = live_pull(&sim, &sample_name(), fast()).unwrap_err();
    assert!(matches!(err, LiveError::NoCompanyOpen { .. }), "{err}");
    assert!(err.to_string().contains("F3: Select Company"), "{err}");
    // Asked directly, the masters come back empty: the same error.
    let tally = Tally::new(&sim.url(), fast()).unwrap();
    let err = tally.masters(&sample_name()).unwrap_err();
    assert!(matches!(err, LiveError::NoCompanyOpen { .. }), "{err}");
}

#[test]
fn a_wrong_company_name_lists_the_open_companies() {
    let sim = sim(&[SAMPLE, REAL], SimConfig::default());
    let err = live_pull(&sim, "Shree Ganesh Electricals", fast()).unwrap_err();
    let LiveError::WrongCompany { open, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(open.len(), 2);
    let text = err.to_string();
    assert!(text.contains(&sample_name()), "{text}");
    assert!(text.contains("UTTAM POLYRUBS"), "{text}");
    // A report asked of an unknown company: Tally's LINEERROR, the same explanation.
    let tally = Tally::new(&sim.url(), fast()).unwrap();
    let err = tally
        .report("Nobody", "Trial Balance", None, None)
        .unwrap_err();
    assert!(matches!(err, LiveError::WrongCompany { .. }), "{err}");
    // The company name is matched as Tally does: case and outer spaces aside.
    let name = tally
        .check_company(&format!("  {}  ", sample_name().to_uppercase()))
        .unwrap();
    assert_eq!(name, sample_name());
}

#[test]
fn a_server_that_is_off_says_how_to_switch_it_on() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let tally = Tally::new(&format!("tally://127.0.0.1:{port}"), fast()).unwrap();
    let err = tally.companies().unwrap_err();
    assert!(matches!(err, LiveError::ServerOff { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("F1 (Help) > Settings > Connectivity"),
        "{text}"
    );
    assert!(text.contains(&port.to_string()), "{text}");
}

#[test]
fn liveness_and_unknown_requests_answer_as_tally_does() {
    let sim = sim(&[SAMPLE], SimConfig::default());
    let tally = Tally::new(&sim.url(), fast()).unwrap();
    assert_eq!(
        tally.alive().unwrap(),
        "<RESPONSE>TallyPrime Server is Running</RESPONSE>"
    );
    // A report zbooks does not know: Tally's "Could not find Report" line error.
    let err = tally
        .report(&sample_name(), "Outstandings", None, None)
        .unwrap_err();
    assert!(
        matches!(&err, LiveError::Tally { message, .. } if message == "Could not find Report 'Outstandings'!"),
        "{err}"
    );
}

/// Posts raw bytes to the simulator and returns the decoded answer.
fn raw_post(sim: &TallySim, content_type: &str, body: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(sim.addr()).unwrap();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    live::decode(&answer[split + 4..])
}

#[test]
fn malformed_requests_and_unknown_companies_answer_as_tally_does() {
    let sim = sim(&[SAMPLE], SimConfig::default());
    let unknown = "<RESPONSE>Unknown Request, cannot be processed</RESPONSE>";
    // Not an envelope.
    assert_eq!(
        raw_post(&sim, "text/xml", b"<ENVELOPE><HEADER>").trim(),
        unknown
    );
    // A UTF-16 body without charset=utf-16 (GW §1.2).
    let request = live::masters_request(&sample_name());
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(request.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(raw_post(&sim, "text/xml", &utf16).trim(), unknown);
    // The same with the header: the masters.
    let masters = raw_post(&sim, "text/xml;charset=utf-16", &utf16);
    assert!(masters.contains("<LEDGER NAME="), "{masters}");
    // A UTF-8 request is answered in UTF-8 with the same masters.
    let utf8 = raw_post(&sim, "text/xml;charset=utf-8", request.as_bytes());
    assert_eq!(utf8, masters);
    // A master collection of an unknown company: zero rows and STATUS 1, no error (GW §9.11).
    let ledgers = "<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Export</TALLYREQUEST>\
        <TYPE>Collection</TYPE><ID>L</ID></HEADER><BODY><DESC><STATICVARIABLES>\
        <SVCURRENTCOMPANY>Nobody</SVCURRENTCOMPANY></STATICVARIABLES><TDL><TDLMESSAGE>\
        <COLLECTION NAME=\"L\"><TYPE>Ledger</TYPE><FETCH>Name</FETCH></COLLECTION>\
        </TDLMESSAGE></TDL></DESC></BODY></ENVELOPE>";
    let answer = raw_post(&sim, "text/xml", ledgers.as_bytes());
    assert!(answer.contains("<STATUS>1</STATUS>"), "{answer}");
    assert!(!answer.contains("<LEDGER NAME="), "{answer}");
    // The same for the open company: its ledgers.
    let ours = ledgers.replace("Nobody", &sample_name());
    let answer = raw_post(&sim, "text/xml", ours.as_bytes());
    assert!(answer.contains("<LEDGER NAME="), "{answer}");
}
