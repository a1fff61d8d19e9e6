//! Shutdown must finish even when a client stalls in the middle of a request.

mod common;

use std::time::{Duration, Instant};

use common::TestServer;
use oauth2_admin_server::SHUTDOWN_GRACE;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

#[tokio::test]
async fn stalled_client_does_not_block_shutdown() {
    let server = TestServer::start().await;
    let address = server.url("").trim_start_matches("http://").to_owned();
    let mut stalled = TcpStream::connect(&address).await.unwrap();
    // A request whose body never arrives keeps the connection busy.
    let head = format!(
        "PUT /api/oauth2-configs/6f1c0b7e-2a9d-4c58-9e3b-0d1f2a3b4c5d HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\":",
        common::TOKEN
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    let stopped = tokio::time::timeout(SHUTDOWN_GRACE + Duration::from_secs(5), server.stop()).await;

    assert!(
        stopped.is_ok(),
        "shutdown waited on the stalled client for more than the grace period"
    );
    assert!(
        started.elapsed() >= SHUTDOWN_GRACE - Duration::from_secs(1),
        "requests in flight get the grace period"
    );
    drop(stalled);
}
