//! Concurrent writers with `If-Match`: exactly one wins each round and no update is lost.

mod common;

use std::sync::Arc;

use common::{config_body, config_path, TestServer};
use serde_json::json;
use tokio::task::JoinSet;
use uuid::Uuid;

const CLIENTS: usize = 20;
const ROUNDS: i64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_writer_wins_each_round() {
    let server = Arc::new(TestServer::start().await);
    let id = Uuid::new_v4();
    server.create(id, &config_body("Shared")).await;

    for round in 1..=ROUNDS {
        let etag = format!("\"{round}\"");
        let mut writers = JoinSet::new();
        for client in 0..CLIENTS {
            let server = Arc::clone(&server);
            let etag = etag.clone();
            writers.spawn(async move {
                let mut body = config_body("Shared");
                body["client_id"] = json!(format!("round-{round}-client-{client}"));
                let reply = server.put(id, &body, Some(&etag)).await;
                (client, reply)
            });
        }

        let mut winners = Vec::new();
        let mut conflicts = 0;
        while let Some(result) = writers.join_next().await {
            let (client, reply) = result.unwrap();
            match reply.status {
                200 => winners.push(client),
                412 => {
                    conflicts += 1;
                    let current = &reply.json()["current"];
                    assert_eq!(current["revision"], round + 1, "412 should carry the winner's revision");
                }
                other => panic!(
                    "round {round}, client {client}: unexpected status {other}: {}",
                    reply.text
                ),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        assert_eq!(conflicts, CLIENTS - 1, "round {round}");

        let stored = server.get(&config_path(id)).await;
        assert_eq!(stored.etag(), format!("\"{}\"", round + 1));
        assert_eq!(
            stored.json()["client_id"],
            format!("round-{round}-client-{}", winners[0]),
            "round {round}: the stored content is not the winner's"
        );
    }

    let last = server.get(&config_path(id)).await.json();
    assert_eq!(last["revision"], ROUNDS + 1);
}
