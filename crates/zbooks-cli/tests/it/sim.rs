//! `zbooks sim` as a standalone server: the first line of `--format json` output, and that it
//! serves Zoho's answers at the URLs it prints.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Sends one HTTP/1.1 request and returns the status and body.
fn http(base: &str, method: &str, path_and_query: &str) -> (u16, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("simulator reachable");
    write!(
        stream,
        "{method} {path_and_query} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("request written");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    let status = response[9..12].parse().expect("status line");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn prints_its_urls_and_demo_credentials_as_one_json_line_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args(["sim", "--port", "0", "--format", "json", "--minute", "1s"])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let v = crate::data(&first);
    for key in [
        "accounts_url",
        "api_url",
        "control_url",
        "client_id",
        "client_secret",
        "refresh_token",
        "organization_id",
    ] {
        assert!(v[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {v}");
    }
    let api = v["api_url"].as_str().unwrap();
    assert!(api.ends_with("/books/v3"), "{api}");
    let base = v["accounts_url"].as_str().unwrap();

    // The accounts server answers a refresh with a token whose api_domain is the simulator.
    let (status, body) = http(
        base,
        "POST",
        &format!(
            "/oauth/v2/token?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
            v["client_id"].as_str().unwrap(),
            v["client_secret"].as_str().unwrap(),
            v["refresh_token"].as_str().unwrap()
        ),
    );
    assert_eq!(status, 200, "{body}");
    let token: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(token["api_domain"].as_str(), Some(base));
    // The Books API answers a call without a token as Zoho does: 401 with code 14.
    let (status, body) = http(base, "GET", "/books/v3/organizations");
    assert_eq!(status, 401, "{body}");
    let err: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(err["code"], 14);

    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn closes_idle_connections_after_the_idle_timeout_flag() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zbooks"))
        .args([
            "sim",
            "--port",
            "0",
            "--format",
            "json",
            "--idle-timeout",
            "200ms",
            "--max-connections",
            "4",
        ])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let v = crate::data(&first);
    let host = v["accounts_url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_owned();
    // Six connections that never send a byte, two more than the cap: each is closed once idle,
    // the last two after the first ones made room.
    let mut idle: Vec<TcpStream> = (0..6)
        .map(|_| TcpStream::connect(&host).expect("simulator reachable"))
        .collect();
    for stream in &mut idle {
        // Only a guard against a hang; the close is what is asserted.
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        let mut got = Vec::new();
        stream
            .read_to_end(&mut got)
            .expect("the simulator closes the idle connection");
        assert!(got.is_empty());
    }
    let (status, _) = http(&format!("http://{host}"), "GET", "/__sim/health");
    assert_eq!(status, 200);
    child.kill().unwrap();
    let _ = child.wait();
}
