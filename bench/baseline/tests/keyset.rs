//! The keyset baseline answers what the bench compares the product's page with: valid JSON
//! (its rows are written by hand into the buffer), the page after the given id in id order,
//! the cached count, and names with quotes and Cyrillic intact.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, path: &str) -> (u16, serde_json::Value) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let status = answer[9..12].parse().expect("status");
    let body = answer.split_once("\r\n\r\n").expect("body").1;
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

#[test]
fn the_keyset_page_is_valid_json_in_id_order_after_the_given_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("plain.db");
    let conn = rusqlite::Connection::open(&db).expect("create");
    conn.execute_batch(
        "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL,
             country TEXT NOT NULL, culture TEXT NOT NULL, billing_contact TEXT NOT NULL,
             billing_email TEXT NOT NULL, billing_address TEXT NOT NULL, created_at TEXT NOT NULL,
             version INTEGER NOT NULL);
         INSERT INTO customers VALUES
             ('c', 'ООО \"Ромашка\"', 'c.example', 'RU', 'ru-RU', 'Ирина', 'b@c.example', '1 Main\\Street', 't3', 3),
             ('a', 'Alpha', 'a.example', 'US', 'en-US', 'Pat', 'b@a.example', '1 Main Street', 't1', 1),
             ('b', 'Beta', 'b.example', 'US', 'en-US', 'Pat', 'b@b.example', '1 Main Street', 't2', 2);
         CREATE TABLE count_cache (n INTEGER NOT NULL);
         INSERT INTO count_cache VALUES (3);",
    )
    .expect("fill");
    drop(conn);

    let mut child = Command::new(env!("CARGO_BIN_EXE_partnerdesk-bench-baseline"))
        .args(["keyset", "127.0.0.1:0"])
        .arg(&db)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the baseline");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("its address");
    let _server = Server(child);
    let addr = line.trim().rsplit("http://").next().expect("address").to_string();

    let (status, first) = get(&addr, "/v1/customers?size=2");
    assert_eq!(status, 200);
    assert_eq!(first["totalCount"], 3);
    let ids: Vec<&str> = first["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(first["items"][1]["companyProfile"]["domain"], "b.example");
    assert_eq!(first["items"][1]["version"], 2);

    let (status, next) = get(&addr, "/v1/customers?size=2&after=b");
    assert_eq!(status, 200);
    let items = next["items"].as_array().expect("items, as valid JSON");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["companyProfile"]["companyName"], "ООО \"Ромашка\"");
    assert_eq!(
        items[0]["billingProfile"]["defaultAddress"]["addressLine1"],
        "1 Main\\Street"
    );
    assert_eq!(items[0]["billingProfile"]["defaultAddress"]["firstName"], "Ирина");
}
