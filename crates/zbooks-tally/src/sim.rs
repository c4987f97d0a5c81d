//! A Tally simulator: an HTTP/1.1 server on a local port that answers TallyPrime's XML
//! export requests from companies read out of Tally export files, so the live pull is
//! tested end to end without a Tally (docs/tally-live.md).
//!
//! Like Tally it answers one request at a time (one thread accepts and answers in turn), `GET
//! /` with its liveness line, a company list, the masters (`List of Accounts`), vouchers of a
//! date window (a Voucher collection with a `$Date` filter, or `SVFROMDATE`/`SVTODATE`) and
//! reports through [`crate::reports::answer`]; errors as Tally gives them: an empty body when
//! no company is open, `Could not set 'SVCurrentCompany'` for a report of an unknown company
//! (an empty collection for a collection), `Unknown Request, cannot be processed` for what it
//! cannot read. It mirrors the request's charset (UTF-16LE without a BOM for a
//! `charset=utf-16` request). Faults and quirks are scripted by [`SimConfig`]. It must not
//! grow leniency real Tally lacks: the client is what gets fixed.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use zbooks_import::tally::{Node, XmlItem, XmlObjects};

use crate::company::Company;
use crate::reports;

/// Which data requests (POSTs, counted from 1) a fault hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Schedule {
    /// None.
    #[default]
    Never,
    /// The Nth only.
    Nth(u64),
    /// Every Nth (N, 2N, 3N...).
    Every(u64),
}

impl Schedule {
    fn hits(self, n: u64) -> bool {
        match self {
            Schedule::Never => false,
            Schedule::Nth(k) => n == k,
            Schedule::Every(k) => k > 0 && n.is_multiple_of(k),
        }
    }
}

/// The simulator's quirks and faults.
#[derive(Clone, Debug, Default)]
pub struct SimConfig {
    /// Answer in UTF-16LE with a byte-order mark, whatever the request's charset.
    pub utf16: bool,
    /// Put Tally's `&#4;` system marks into more values (`&#4; Primary` parents,
    /// `&#4; Not Applicable` GST classes) and a raw U+0004 into a field nothing reads.
    pub control_marks: bool,
    /// How long a slow answer waits before it is sent.
    pub delay: Duration,
    /// Which requests answer slowly (with [`SimConfig::delay`]).
    pub slow: Schedule,
    /// Which requests have their connection dropped, unanswered, once read.
    pub drop: Schedule,
    /// No company open: data requests get an empty body, the company list is empty.
    pub closed: bool,
}

/// A company the simulator serves: the company in memory (for reports) and its objects as
/// read (for the masters and vouchers answers).
#[derive(Clone, Debug)]
pub struct Book {
    /// The company.
    pub company: Company,
    masters: Vec<Node>,
    vouchers: Vec<(u32, Node)>,
}

impl Book {
    /// Reads a Tally export file; the company's name is the file's `SVCURRENTCOMPANY`
    /// (else the file's stem).
    ///
    /// # Errors
    ///
    /// The I/O error, or what made the file unreadable as a Tally export.
    pub fn read(path: &Path) -> io::Result<Book> {
        let bytes = std::fs::read(path)?;
        let file = path.display().to_string();
        let name = company_name(&bytes).unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        Book::from_bytes(&name, bytes, &file)
    }

    /// Reads a Tally export held in memory as company `name`.
    ///
    /// # Errors
    ///
    /// What made the bytes unreadable as a Tally export.
    pub fn from_bytes(name: &str, bytes: Vec<u8>, file: &str) -> io::Result<Book> {
        let (company, problems) = Company::read(name, io::Cursor::new(bytes.clone()), file);
        if let Some(p) = problems.iter().find(|p| p.is_error()) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, p.to_string()));
        }
        let objects = XmlObjects::new(io::Cursor::new(bytes), Arc::from(file))
            .map_err(|p| io::Error::new(io::ErrorKind::InvalidData, p.to_string()))?;
        let mut book = Book {
            company,
            masters: Vec::new(),
            vouchers: Vec::new(),
        };
        for item in objects {
            if let XmlItem::Object(node) = item {
                if &*node.name == "VOUCHER" {
                    let date = node.get("DATE").and_then(|d| d.parse().ok()).unwrap_or(0);
                    book.vouchers.push((date, node));
                } else {
                    book.masters.push(node);
                }
            }
        }
        Ok(book)
    }

    /// The company's name.
    pub fn name(&self) -> &str {
        &self.company.name
    }
}

/// The `SVCURRENTCOMPANY` of an export, in UTF-8 or UTF-16 (NULs dropped).
fn company_name(bytes: &[u8]) -> Option<String> {
    let head: Vec<u8> = bytes
        .iter()
        .take(64 * 1024)
        .copied()
        .filter(|b| *b != 0)
        .collect();
    let text = String::from_utf8_lossy(&head);
    tag(&text, "SVCURRENTCOMPANY").filter(|n| !n.is_empty())
}

/// A running simulator; stopped when dropped.
#[derive(Debug)]
pub struct TallySim {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl TallySim {
    /// Starts serving `books` on 127.0.0.1 at `port` (0 picks a free one).
    ///
    /// # Errors
    ///
    /// The I/O error when the port cannot be bound.
    pub fn start(books: Vec<Book>, config: SimConfig, port: u16) -> io::Result<TallySim> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let server = Server {
            books,
            config,
            log: log.clone(),
            posts: 0,
        };
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("tally-sim".into())
            .spawn(move || server.serve(&listener, &stopping))?;
        Ok(TallySim {
            addr,
            stop,
            log,
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its address as `zbooks import` takes it: `tally://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("tally://{}", self.addr)
    }

    /// What each data request asked, in order (`companies`, `masters Company`, `vouchers
    /// Company 20240401..20240430`, `report Company Trial Balance`, `unknown`), with
    /// `dropped` or `slow` appended when a fault hit it.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Serves until the process ends (for `zbooks tally-sim`).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for TallySim {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Server {
    books: Vec<Book>,
    config: SimConfig,
    log: Arc<Mutex<Vec<String>>>,
    posts: u64,
}

/// A request as read off the socket.
struct Request {
    method: String,
    utf16: bool,
    body: Vec<u8>,
}

/// An answer: its text (encoded on the way out) or nothing at all (an empty body).
struct Answer {
    text: String,
}

impl Server {
    fn serve(mut self, listener: &TcpListener, stop: &AtomicBool) {
        for stream in listener.incoming() {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            // One at a time, like Tally: the next connection waits in the backlog.
            if let Ok(stream) = stream {
                let _ = self.connection(stream);
            }
        }
    }

    fn connection(&mut self, mut stream: TcpStream) -> io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let Some(request) = read_request(&mut stream)? else {
            return Ok(());
        };
        if request.method == "GET" {
            let text = format!("<RESPONSE>{LIVENESS}</RESPONSE>");
            return self.send(&mut stream, &text, request.utf16);
        }
        self.posts += 1;
        let n = self.posts;
        let (what, answer) = self.answer(&request);
        let mut entry = what;
        if self.config.drop.hits(n) {
            entry.push_str(" dropped");
            self.log_request(entry);
            let _ = stream.shutdown(Shutdown::Both);
            return Ok(());
        }
        if self.config.slow.hits(n) {
            entry.push_str(" slow");
            std::thread::sleep(self.config.delay);
        }
        self.log_request(entry);
        self.send(&mut stream, &answer.text, request.utf16)
    }

    fn log_request(&self, entry: String) {
        if let Ok(mut l) = self.log.lock() {
            l.push(entry);
        }
    }

    fn send(&self, stream: &mut TcpStream, text: &str, utf16: bool) -> io::Result<()> {
        let (body, charset) = if self.config.utf16 {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            (b, "utf-16")
        } else if utf16 {
            // Tally answers a UTF-16 request in UTF-16LE without a BOM (GW §1.2).
            (
                text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                "utf-16",
            )
        } else {
            (text.as_bytes().to_vec(), "utf-8")
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset={charset}\r\nContent-Length: \
             {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        stream.write_all(&body)?;
        stream.flush()
    }

    /// What the request asked (for the log) and the answer.
    fn answer(&self, request: &Request) -> (String, Answer) {
        let Some(text) = request_text(request) else {
            return ("unknown".into(), unknown_request());
        };
        let kind = tag(&text, "TYPE").unwrap_or_default().to_ascii_lowercase();
        let id = tag(&text, "ID").unwrap_or_default();
        let wanted = tag(&text, "SVCURRENTCOMPANY");
        let from = tag(&text, "SVFROMDATE");
        let to = tag(&text, "SVTODATE");
        let company_name = wanted.clone().unwrap_or_default();
        if tag(&text, "TALLYREQUEST").is_none_or(|r| !r.eq_ignore_ascii_case("Export")) {
            return ("unknown".into(), unknown_request());
        }
        let collection = collection_type(&text);
        if kind == "collection" && collection.as_deref() == Some("company") {
            return ("companies".into(), self.companies(&id));
        }
        if self.config.closed {
            // No company loaded: Tally answers a data request with an empty body.
            return (
                format!("{kind} closed"),
                Answer {
                    text: String::new(),
                },
            );
        }
        let book = match &wanted {
            Some(w) => self
                .books
                .iter()
                .find(|b| b.name().trim().eq_ignore_ascii_case(w.trim())),
            None => self.books.first(),
        };
        match (kind.as_str(), collection.as_deref()) {
            ("data", _) if id.eq_ignore_ascii_case("List of Accounts") => {
                let what = format!("masters {company_name}");
                match book {
                    Some(b) => (what, self.masters(b)),
                    None => (what, could_not_set(&company_name)),
                }
            }
            ("data", _) if !id.is_empty() => {
                let what = format!("report {company_name} {id}");
                match book {
                    Some(b) => {
                        let from = from.as_deref().map(digits);
                        let to = to.as_deref().map(digits);
                        match reports::answer(&b.company, &id, from.as_deref(), to.as_deref()) {
                            Some(text) => (what, Answer { text }),
                            None => (what, line_error(&format!("Could not find Report '{id}'!"))),
                        }
                    }
                    None => (what, could_not_set(&company_name)),
                }
            }
            ("collection", Some("voucher")) => {
                let (lo, hi) = voucher_window(&text, from.as_deref(), to.as_deref());
                let what = format!("vouchers {company_name} {lo}..{hi}");
                let objects: Vec<&Node> = book
                    .map(|b| {
                        b.vouchers
                            .iter()
                            .filter(|(d, _)| *d >= lo && *d <= hi)
                            .map(|(_, n)| n)
                            .collect()
                    })
                    .unwrap_or_default();
                (what, self.collection(&id, &objects))
            }
            ("collection", Some(t)) => {
                // A master collection: an unknown company gives 0 rows and STATUS 1 (GW §9.11).
                let upper = t.to_ascii_uppercase();
                let objects: Vec<&Node> = book
                    .map(|b| b.masters.iter().filter(|n| *n.name == *upper).collect())
                    .unwrap_or_default();
                (
                    format!("collection {company_name} {t}"),
                    self.collection(&id, &objects),
                )
            }
            _ => ("unknown".into(), unknown_request()),
        }
    }

    fn companies(&self, id: &str) -> Answer {
        let mut body = String::new();
        if !self.config.closed {
            for b in &self.books {
                let name = escape(b.name());
                let _ = writeln!(
                    body,
                    "<COMPANY NAME=\"{name}\"><NAME TYPE=\"String\">{name}</NAME></COMPANY>"
                );
            }
        }
        Answer {
            text: envelope(id, &body),
        }
    }

    fn masters(&self, book: &Book) -> Answer {
        let mut objects = String::new();
        for node in &book.masters {
            write_node(&mut objects, &self.quirked(node), 3);
        }
        let text = format!(
            "<ENVELOPE>\n <HEADER>\n  <TALLYREQUEST>Import Data</TALLYREQUEST>\n </HEADER>\n \
             <BODY>\n  <IMPORTDATA>\n   <REQUESTDESC>\n    <REPORTNAME>All Masters</REPORTNAME>\n    \
             <STATICVARIABLES>\n     <SVCURRENTCOMPANY>{}</SVCURRENTCOMPANY>\n    \
             </STATICVARIABLES>\n   </REQUESTDESC>\n   <REQUESTDATA>\n    \
             <TALLYMESSAGE xmlns:UDF=\"TallyUDF\">\n{objects}    </TALLYMESSAGE>\n   \
             </REQUESTDATA>\n  </IMPORTDATA>\n </BODY>\n</ENVELOPE>\n",
            escape(book.name())
        );
        Answer { text }
    }

    fn collection(&self, id: &str, objects: &[&Node]) -> Answer {
        let mut body = String::new();
        for node in objects {
            write_node(&mut body, &self.quirked(node), 3);
        }
        Answer {
            text: envelope(id, &body),
        }
    }

    /// The object with the configured `&#4;` marks added.
    fn quirked(&self, node: &Node) -> Node {
        let mut node = node.clone();
        if !self.config.control_marks {
            return node;
        }
        let mark = |name: &str, text: &str| Node {
            name: name.into(),
            text: text.to_owned(),
            ..Node::default()
        };
        match &*node.name {
            "GROUP" | "LEDGER" if node.child("PARENT").is_none() => {
                node.children.push(mark("PARENT", "\u{4} Primary"));
            }
            "VOUCHER" => {
                for entry in &mut node.children {
                    if (&*entry.name == "ALLLEDGERENTRIES.LIST"
                        || &*entry.name == "LEDGERENTRIES.LIST")
                        && entry.child("GSTCLASS").is_none()
                    {
                        entry
                            .children
                            .push(mark("GSTCLASS", "\u{4} Not Applicable"));
                    }
                }
                // A raw control character, as Tally lets through (MCP sanitizeXml).
                node.children
                    .push(mark("VCHSTATUSTAXADJUSTMENT", "\u{4}\u{5} Default"));
            }
            _ => {}
        }
        if &*node.name != "VOUCHER" {
            node.children
                .push(mark("OBJECTUPDATEACTION", "\u{4} Resave"));
        }
        node
    }
}

const LIVENESS: &str = "TallyPrime Server is Running";

/// A collection answer (`HEADER/STATUS`, `DESC/CMPINFO` counters, `DATA/COLLECTION`).
fn envelope(id: &str, objects: &str) -> String {
    format!(
        "<ENVELOPE>\n <HEADER>\n  <VERSION>1</VERSION>\n  <STATUS>1</STATUS>\n </HEADER>\n \
         <BODY>\n  <DESC>\n   <CMPINFO>\n    <COMPANY>0</COMPANY>\n    <GROUP>0</GROUP>\n    \
         <LEDGER>0</LEDGER>\n    <VOUCHER>0</VOUCHER>\n   </CMPINFO>\n  </DESC>\n  <DATA>\n   \
         <COLLECTION NAME=\"{}\">\n{objects}   </COLLECTION>\n  </DATA>\n </BODY>\n</ENVELOPE>\n",
        escape(id)
    )
}

fn unknown_request() -> Answer {
    Answer {
        text: "<RESPONSE>Unknown Request, cannot be processed</RESPONSE>\n".into(),
    }
}

fn line_error(message: &str) -> Answer {
    Answer {
        text: format!(
            "<ENVELOPE>\n <HEADER>\n  <VERSION>1</VERSION>\n  <STATUS>0</STATUS>\n </HEADER>\n \
             <BODY>\n  <DATA>\n   <LINEERROR>{}</LINEERROR>\n  </DATA>\n </BODY>\n</ENVELOPE>\n",
            escape(message)
        ),
    }
}

fn could_not_set(company: &str) -> Answer {
    line_error(&format!("Could not set 'SVCurrentCompany' to '{company}'"))
}

/// The request's text, or `None` for what Tally refuses: a UTF-16 body without the
/// charset header, bytes that are not text, a body that is not an envelope.
fn request_text(request: &Request) -> Option<String> {
    let body = &request.body;
    let looks_utf16 = body.starts_with(&[0xFF, 0xFE]) || (body.len() > 1 && body[1] == 0);
    let text = if request.utf16 {
        let start = if body.starts_with(&[0xFF, 0xFE]) {
            2
        } else {
            0
        };
        let units: Vec<u16> = body[start..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).ok()?
    } else if looks_utf16 {
        // GW §1.2: a UTF-16 body without `charset=utf-16` is an unknown request.
        return None;
    } else {
        String::from_utf8(body.clone()).ok()?
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    (trimmed.contains("<ENVELOPE>") && trimmed.ends_with("</ENVELOPE>")).then(|| trimmed.to_owned())
}

/// The `<TYPE>` of the inline `<COLLECTION>`, lower case.
fn collection_type(text: &str) -> Option<String> {
    let start = text.find("<COLLECTION")?;
    tag(&text[start..], "TYPE").map(|t| t.trim().to_ascii_lowercase())
}

/// The date window of a Voucher collection: the two `$$Date:"yyyymmdd"` literals of its
/// filter, else `SVFROMDATE`/`SVTODATE`, else everything.
fn voucher_window(text: &str, from: Option<&str>, to: Option<&str>) -> (u32, u32) {
    let literals: Vec<u32> = text
        .match_indices("$$Date:\"")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest.get(..8).and_then(|d| d.parse().ok())
        })
        .collect();
    if let [lo, hi] = literals[..] {
        return (lo, hi);
    }
    let lo = from.and_then(|f| digits(f).parse().ok()).unwrap_or(0);
    let hi = to.and_then(|t| digits(t).parse().ok()).unwrap_or(u32::MAX);
    (lo, hi)
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The unescaped text of the first `<NAME>` or `<NAME ...>` element.
fn tag(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = text[from..].find(&open) {
        let at = from + i + open.len();
        let rest = &text[at..];
        if rest.starts_with('>') || rest.starts_with(' ') {
            let gt = rest.find('>')?;
            let inner = &rest[gt + 1..];
            let end = inner.find(&format!("</{name}>"))?;
            return Some(unescape(inner[..end].trim()));
        }
        from = at;
    }
    None
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Escapes text for XML the way Tally writes it: markup characters as entities, control
/// characters as numeric references (`&#4;`).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\u{5}' => out.push(c), // raw, as Tally lets it through
            c if (c as u32) < 0x20 && c != '\n' && c != '\r' && c != '\t' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn write_node(out: &mut String, node: &Node, depth: usize) {
    let pad = " ".repeat(depth);
    out.push_str(&pad);
    out.push('<');
    out.push_str(&node.name);
    for (k, v) in &node.attrs {
        let _ = write!(out, " {k}=\"{}\"", escape(v));
    }
    if node.children.is_empty() {
        out.push('>');
        out.push_str(&escape(&node.text));
    } else {
        out.push_str(">\n");
        if !node.text.trim().is_empty() {
            out.push_str(&escape(&node.text));
        }
        for c in &node.children {
            write_node(out, c, depth + 1);
        }
        out.push_str(&pad);
    }
    out.push_str("</");
    out.push_str(&node.name);
    out.push_str(">\n");
}

/// Reads one request: the method, whether its charset is UTF-16, the body.
fn read_request(stream: &mut TcpStream) -> io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let method = line
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut length = 0usize;
    let mut utf16 = false;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            let v = v.trim();
            if k.eq_ignore_ascii_case("content-length") {
                length = v.parse().unwrap_or(0);
            } else if k.eq_ignore_ascii_case("content-type") {
                utf16 = v.to_ascii_lowercase().contains("utf-16");
            }
        }
    }
    let mut body = vec![0; length.min(16 * 1024 * 1024)];
    reader.read_exact(&mut body)?;
    Ok(Some(Request {
        method,
        utf16,
        body,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_and_windows() {
        let text = "<ENVELOPE><HEADER><TYPE>Collection</TYPE><ID>V</ID></HEADER><BODY><DESC>\
            <STATICVARIABLES><SVCURRENTCOMPANY>A &amp; B</SVCURRENTCOMPANY></STATICVARIABLES>\
            <TDL><TDLMESSAGE><COLLECTION NAME=\"V\"><TYPE>Voucher</TYPE></COLLECTION>\
            <SYSTEM TYPE=\"Formulae\" NAME=\"f\">$Date &gt;= $$Date:\"20240501\" and $Date &lt;= \
            $$Date:\"20240531\"</SYSTEM></TDLMESSAGE></TDL></DESC></BODY></ENVELOPE>";
        assert_eq!(tag(text, "SVCURRENTCOMPANY").as_deref(), Some("A & B"));
        assert_eq!(tag(text, "TYPE").as_deref(), Some("Collection"));
        assert_eq!(collection_type(text).as_deref(), Some("voucher"));
        assert_eq!(voucher_window(text, None, None), (20_240_501, 20_240_531));
        assert_eq!(
            voucher_window("", Some("20240401"), Some("20240430")),
            (20_240_401, 20_240_430)
        );
    }

    #[test]
    fn schedules_hit_the_right_requests() {
        assert!(Schedule::Nth(3).hits(3) && !Schedule::Nth(3).hits(6));
        assert!(Schedule::Every(2).hits(4) && !Schedule::Every(2).hits(3));
        assert!(!Schedule::Never.hits(1));
    }

    #[test]
    fn escapes_marks_as_tally_writes_them() {
        assert_eq!(
            escape("\u{4} Primary & <x>"),
            "&#4; Primary &amp; &lt;x&gt;"
        );
    }
}
