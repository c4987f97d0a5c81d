//! A redirect is never followed (issue 12 §7): the Authorization header, the `organization_id`
//! and the body stay with the origin the client was configured for. Two tiny servers on
//! 127.0.0.1 stand in for the story: "home" answers every request with a redirect to
//! "elsewhere", which counts every connection it gets. The simulator has no redirect fault
//! (Zoho does not redirect API calls), so a plain TCP server plays the misbehaving host.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use zbooks_client::oauth::AccountsServer;
use zbooks_client::{Client, Credentials, ErrorKind, Method};
use zbooks_types::{Plan, Secret};

use zbooks_testkit::fast_retry;

const TOKEN: &str = "1000.redirectcanaryACCESS0123456789";
const CLIENT_SECRET: &str = "redirectcanarySECRET0123456789";
const REFRESH: &str = "1000.redirectcanaryREFRESH0123456789";

/// A server that counts the connections it accepts (and reads nothing it could forward).
fn elsewhere() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (origin, hits)
}

/// Reads one HTTP/1.1 request (head and a `Content-Length` body) from `stream`.
fn read_request(stream: &mut TcpStream) -> Option<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()
}

/// A server answering every request with `status` and `Location: location`.
fn home(status: u16, location: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            if read_request(&mut stream).is_none() {
                continue;
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n"
            );
        }
    });
    origin
}

const STATUSES: [u16; 4] = [301, 302, 307, 308];

#[tokio::test]
async fn api_calls_never_follow_a_redirect_to_another_origin() {
    for status in STATUSES {
        let (target, hits) = elsewhere();
        let location = format!("{target}/books/v3/contacts?organization_id=60000000001");
        let origin = home(status, location.clone());
        let client = Client::builder()
            .api_url(format!("{origin}/books/v3"))
            .organization_id("60000000001")
            .plan(Plan::Professional)
            .credentials(Credentials::access_token(TOKEN))
            .retry(fast_retry())
            .build()
            .unwrap();
        for method in [Method::GET, Method::POST] {
            let mut request = client.request(method.clone(), "/contacts");
            if method == Method::POST {
                request = request.json(&serde_json::json!({"contact_name": "Redirected Ltd"}));
            }
            let err = request.send().await.unwrap_err();
            assert_eq!(
                hits.load(Ordering::SeqCst),
                0,
                "{status} {method}: followed"
            );
            match err.kind() {
                ErrorKind::Redirected {
                    status: got,
                    location: shown,
                } => {
                    assert_eq!(*got, status);
                    assert!(shown.starts_with(&target), "{shown}");
                }
                other => panic!("{status} {method}: {other:?}"),
            }
            let text = err.to_string();
            assert!(text.contains(&target), "{text}");
            assert!(!text.contains(TOKEN), "{text}");
            assert!(!err.is_retryable(), "{text}");
        }
    }
}

#[tokio::test]
async fn token_requests_never_follow_a_redirect_to_another_origin() {
    for status in STATUSES {
        let (target, hits) = elsewhere();
        let origin = home(status, format!("{target}/oauth/v2/token"));
        // The grant code exchange (`auth login`)...
        let server = AccountsServer::new(&origin).unwrap();
        let err = server
            .exchange_grant_code(
                "1000.CLIENT",
                &Secret::new(CLIENT_SECRET),
                &Secret::new("1000.code"),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Redirected { .. }),
            "{status}: {err}"
        );
        assert!(err.to_string().contains(&target), "{err}");
        // ...and the refresh behind every call.
        let client = Client::builder()
            .accounts_url(&origin)
            .api_url(format!("{origin}/books/v3"))
            .organization_id("60000000001")
            .plan(Plan::Professional)
            .credentials(Credentials::refresh_token(
                "1000.CLIENT",
                CLIENT_SECRET,
                REFRESH,
            ))
            .retry(fast_retry())
            .build()
            .unwrap();
        let err = client
            .request(Method::GET, "/contacts")
            .send()
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&target), "{status}: {text}");
        assert!(
            !text.contains(CLIENT_SECRET) && !text.contains(REFRESH),
            "{text}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 0, "{status}: followed");
    }
}
