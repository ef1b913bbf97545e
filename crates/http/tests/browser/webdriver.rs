//! A small WebDriver client for the browser tests: real Chromium driven by chromedriver
//! (the Debian packages `chromium` and `chromium-driver`), spoken to over plain HTTP/1.1 on
//! loopback. Only the commands the tests use.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The W3C key of an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver; killed when dropped.
pub struct Driver {
    port: u16,
    _child: Child,
    /// Chromium's temporary files (its `TMPDIR`), removed with the driver.
    _temp: tempfile::TempDir,
}

/// Whether the browser tests can run here: `None` when they must be skipped (printing why),
/// and a panic when `CI=true` and they cannot run.
pub fn browser_available() -> bool {
    let found = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !found {
        let why = format!("{CHROMEDRIVER} or {CHROMIUM} is missing (Debian packages chromium, chromium-driver)");
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("browser tests cannot run: {why}");
        }
        eprintln!("skipping browser tests: {why}");
    }
    found
}

impl Driver {
    pub async fn start() -> Driver {
        let port = free_port();
        let temp = tempfile::tempdir().expect("a temporary directory for Chromium");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .env("TMPDIR", temp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            port,
            _child: child,
            _temp: temp,
        };
        for _ in 0..100 {
            let answer = driver.call("GET", "/status", None).await;
            if std::env::var_os("PD_WEBDRIVER_TRACE").is_some() {
                eprintln!("webdriver: status {answer:?}");
            }
            if let Ok((200, _)) = answer {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer on port {port}");
    }

    /// One WebDriver command: (HTTP status, the JSON body's `value`).
    async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<(u16, Value)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).await?;
        let raw = read_response(&mut stream).await?;
        let text = String::from_utf8_lossy(&raw);
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            dechunk(rest)
        } else {
            rest.to_string()
        };
        let value = serde_json::from_str::<Value>(&body)
            .map(|v| v["value"].clone())
            .unwrap_or(Value::Null);
        Ok((status, value))
    }
}

/// Reads one response: chromedriver says `Connection: close` but keeps the connection
/// open, so the body is read by its `Content-Length` (or to the end when there is none).
async fn read_response(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        if let Some(length) = length {
            while raw.len() < end + 4 + length {
                let n = stream.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                raw.extend_from_slice(&buf[..n]);
            }
            return Ok(raw);
        }
        stream.read_to_end(&mut raw).await?;
        return Ok(raw);
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Where screenshots go: `target/screenshots/`, for a person to look at.
pub fn screenshots_dir() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots directory");
    dir
}

/// One browser window (its own profile, so its own cookies) on the server at `base`.
pub struct Browser<'d> {
    driver: &'d Driver,
    session: String,
    base: String,
    _profile: tempfile::TempDir,
}

impl<'d> Browser<'d> {
    pub async fn open(driver: &'d Driver, base: &str) -> Browser<'d> {
        let profile = tempfile::tempdir().expect("profile directory");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    "--lang=en-US",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {"intl.accept_languages": "en-US,en"}
            }
        }}});
        let (status, value) = driver.call("POST", "/session", Some(&caps)).await.expect("new session");
        assert_eq!(status, 200, "chromedriver refused a session: {value}");
        let session = value["sessionId"].as_str().expect("session id").to_string();
        Browser {
            driver,
            session,
            base: base.trim_end_matches('/').to_string(),
            _profile: profile,
        }
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        if std::env::var_os("PD_WEBDRIVER_TRACE").is_some() {
            eprintln!("webdriver: {method} {path} {body:?}");
        }
        let (status, value) = self
            .driver
            .call(method, &full, body.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert_eq!(status, 200, "{method} {path}: {value}");
        if std::env::var_os("PD_WEBDRIVER_TRACE").is_some() {
            eprintln!(
                "webdriver: -> {}",
                value.to_string().chars().take(200).collect::<String>()
            );
        }
        value
    }

    /// Opens a path of the server.
    pub async fn goto(&self, path: &str) {
        self.cmd("POST", "/url", Some(json!({"url": format!("{}{path}", self.base)})))
            .await;
    }

    /// The path (and query) the browser is on.
    pub async fn path(&self) -> String {
        let url = self.cmd("GET", "/url", None).await;
        let url = url.as_str().unwrap_or_default();
        url.strip_prefix(&self.base).unwrap_or(url).to_string()
    }

    /// Elements matching a CSS selector, in document order.
    pub async fn all(&self, css: &str) -> Vec<String> {
        let found = self
            .cmd(
                "POST",
                "/elements",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The one element matching `css`; fails the test when there is none.
    pub async fn find(&self, css: &str) -> String {
        let all = self.all(css).await;
        match all.first() {
            Some(e) => e.clone(),
            None => {
                let source = self.cmd("GET", "/source", None).await;
                panic!(
                    "no element matches {css} on {}:\n{}",
                    self.path().await,
                    source.as_str().unwrap_or_default()
                )
            }
        }
    }

    /// Clicks an element. When it is a link or a submit button, waits until the page it
    /// leads to has loaded, so the next step reads the new page and never the old one.
    pub async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.click_element(&e).await;
    }

    /// Clicks the link whose text is exactly `text`, and waits for the page it leads to.
    pub async fn click_link(&self, text: &str) {
        let found = self
            .cmd("POST", "/element", Some(json!({"using": "link text", "value": text})))
            .await;
        let e = found[ELEMENT_KEY].as_str().expect("a link").to_string();
        self.click_element(&e).await;
    }

    async fn click_element(&self, e: &str) {
        let tag = self.cmd("GET", &format!("/element/{e}/name"), None).await;
        let kind = self.cmd("GET", &format!("/element/{e}/property/type"), None).await;
        let navigates = tag.as_str() == Some("a") || kind.as_str() == Some("submit");
        if navigates {
            // A mark on the current document: gone once another document has loaded.
            self.run("window.__pdOldPage = true;").await;
        }
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({}))).await;
        if navigates {
            self.wait_for_new_page().await;
        }
    }

    /// Waits (up to 15 s) until the document marked before a click has been replaced.
    async fn wait_for_new_page(&self) {
        let loaded = "return window.__pdOldPage === undefined && document.readyState === 'complete';";
        for _ in 0..150 {
            let done = self
                .cmd("POST", "/execute/sync", Some(json!({"script": loaded, "args": []})))
                .await;
            if done.as_bool() == Some(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no new page loaded after a click on {}", self.path().await);
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.cmd("POST", &format!("/element/{e}/clear"), Some(json!({}))).await;
        self.cmd("POST", &format!("/element/{e}/value"), Some(json!({"text": text})))
            .await;
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.element_string(css, "text").await
    }

    /// The current value of the form field matching `css` (an input's, a textarea's).
    pub async fn value(&self, css: &str) -> String {
        self.element_string(css, "property/value").await
    }

    /// What `GET /element/{id}/{what}` says of the element matching `css`, as text.
    async fn element_string(&self, css: &str, what: &str) -> String {
        let e = self.find(css).await;
        self.cmd("GET", &format!("/element/{e}/{what}"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The visible text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.all(css).await {
            let text = self.cmd("GET", &format!("/element/{e}/text"), None).await;
            out.push(text.as_str().unwrap_or_default().to_string());
        }
        out
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        self.text("body").await
    }

    pub async fn is_enabled(&self, css: &str) -> bool {
        let e = self.find(css).await;
        self.cmd("GET", &format!("/element/{e}/enabled"), None)
            .await
            .as_bool()
            .unwrap_or(false)
    }

    /// Runs a script in the page (to tamper with a form the way an attacker would).
    pub async fn run(&self, script: &str) {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
            .await;
    }

    /// The value a script returns (`return ...;`).
    pub async fn eval(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
            .await
    }

    pub async fn window_size(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height})))
            .await;
    }

    /// Saves a PNG of the window as `target/screenshots/{name}.png`.
    pub async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let data = self.cmd("GET", "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .expect("a PNG");
        std::fs::write(screenshots_dir().join(format!("{name}.png")), png).expect("write screenshot");
    }

    pub async fn close(self) {
        let path = format!("/session/{}", self.session);
        let _ = self.driver.call("DELETE", &path, None).await;
    }
}
