//! Connections stay bounded: an idle keep-alive connection is closed after the configured
//! timeout, and at the connection cap the simulator stops accepting until one ends, so idle
//! clients can neither exhaust its file descriptors nor lock out a new request.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zbooks_sim::{FaultAction, FaultRule, SimConfig};

use crate::support::{client, read, start_with};

/// Everything the server sends until it closes the connection. The timeout only keeps a
/// broken build from hanging the suite; closing is what is asserted.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut got))
        .await
        .expect("the simulator closes the idle connection")
        .expect("a clean close, not an error");
    got
}

#[tokio::test]
async fn closes_idle_keep_alive_connections_after_the_idle_timeout() {
    let t = start_with(SimConfig {
        idle_timeout: Duration::from_millis(200),
        ..SimConfig::default()
    })
    .await;
    // One connection answered once and left open (HTTP/1.1 keeps it alive), one that never
    // sends a byte.
    let mut used = TcpStream::connect(t.sim.addr()).await.unwrap();
    used.write_all(b"GET /__sim/health HTTP/1.1\r\nHost: sim\r\n\r\n")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(t.sim.addr()).await.unwrap();
    let answered = String::from_utf8(until_closed(&mut used).await).unwrap();
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    assert!(
        !answered.to_ascii_lowercase().contains("connection: close"),
        "kept alive, then closed for being idle: {answered}"
    );
    assert!(until_closed(&mut silent).await.is_empty());
    assert!(
        t.sim.connections().closed_idle >= 2,
        "{:?}",
        t.sim.connections()
    );

    // A request that takes longer than the idle timeout is not idle: it is answered.
    t.sim.set_faults(vec![FaultRule::on(
        "GET",
        "/books/v3/contacts",
        FaultAction::Delay { ms: 700 },
    )]);
    assert_eq!(t.get("/contacts").await.status, 200);
}

#[tokio::test]
async fn at_the_connection_cap_idle_connections_are_reaped_and_a_new_request_is_served() {
    let t = start_with(SimConfig {
        idle_timeout: Duration::from_millis(300),
        max_connections: 8,
        ..SimConfig::default()
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(t.sim.addr()).await.unwrap());
    }
    // A new client, so a new connection, queued behind the 20 idle ones.
    let res = client()
        .get(format!("{}/health", t.sim.control_url()))
        .send()
        .await
        .expect("served once idle connections are reaped");
    assert_eq!(read(res).await.status, 200);
    for stream in &mut idle {
        assert!(until_closed(stream).await.is_empty());
    }
    // Still responsive, and never more than the cap open at once.
    assert_eq!(t.get("/contacts").await.status, 200);
    let seen = t.sim.connections();
    assert!(seen.peak <= 8, "{seen:?}");
    assert!(seen.closed_idle >= 20, "{seen:?}");
    assert_eq!(seen.accept_errors, 0, "{seen:?}");
}
