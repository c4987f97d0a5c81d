//! The accept loop (hyper over our own loop, as the simulator's): a connection cap, a read
//! timeout on every request head, each request answered by [`crate::forward::handle`], and a
//! graceful shutdown — stop accepting, let every connection finish the request it is on, wait
//! (up to the drain time) for every request in flight, then close.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::forward::Shared;
use crate::route::handle;

/// The first pause after a failed `accept`; it doubles up to a second.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(5);

/// Accepts connections until `shutdown` turns true, then drains.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    let mut backoff = ACCEPT_BACKOFF;
    let max = shared.config.max_connections.max(1);
    loop {
        tokio::select! {
            accepted = listener.accept(), if connections.len() < max => {
                if let Ok((stream, peer)) = accepted {
                    backoff = ACCEPT_BACKOFF;
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection(stream, peer, shared.clone(), shutdown.clone()));
                } else {
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        _ = shutdown.changed() => break,
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    shared.closing.store(true, Ordering::Release);
    let drain = shared.config.drain;
    let drained = tokio::time::timeout(drain, async {
        while connections.join_next().await.is_some() {}
        loop {
            let idle = shared.idle.notified();
            if shared.in_flight.load(Ordering::Acquire) == 0 {
                break;
            }
            idle.await;
        }
    })
    .await;
    if drained.is_err() {
        tracing::warn!(target: "zbooks::gateway", in_flight = shared.in_flight.load(Ordering::Acquire), "requests still in flight after the drain time; closing");
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// Completes once the shutdown flag turns true (or its sender is gone).
async fn closing(shutdown: &mut watch::Receiver<bool>) {
    while !*shutdown.borrow_and_update() {
        if shutdown.changed().await.is_err() {
            return;
        }
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let read_timeout = shared.config.read_timeout;
    let service = service_fn(move |request| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(handle(shared, request, peer).await) }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(read_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = closing(&mut shutdown) => {
            // Finish the request this connection is on (if any), then close it.
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
