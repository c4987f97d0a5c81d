//! The live pull: a client of TallyPrime's XML-over-HTTP server (docs/tally-live.md).
//!
//! It builds the export requests Tally documents (the company list, the masters as `List of
//! Accounts`, each month's vouchers as a Voucher collection bounded by a `$Date` filter,
//! reports by name), posts them one at a time (Tally serves one request at a time; a request
//! is never sent in parallel with another), in UTF-16LE with `charset=utf-16` so that
//! non-ASCII names survive, with a timeout and a bounded number of retries with backoff on a
//! dropped connection or a timeout. It decodes the answer whatever Tally sent (BOM, BOM-less
//! UTF-16, UTF-8, Windows-1252) and turns Tally's error answers into a [`LiveError`] that says
//! what happened and the fix. [`pull`] chains the masters and the months into one
//! [`TallyReader`], one answer held at a time, so the live pull goes through the same
//! mapping as a file.

use std::fmt::{self, Write as _};
use std::io::{self, Cursor, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbooks_import::Records;
use zbooks_import::tally::{Part, TallyOptions, TallyReader};

/// How the client talks to Tally.
#[derive(Clone, Debug)]
pub struct LiveOptions {
    /// How long one request may take before it is given up (and retried).
    pub timeout: Duration,
    /// How many times a request is sent again after a timeout or a dropped connection.
    pub retries: u32,
    /// The wait before the first retry; doubled before each next one.
    pub backoff: Duration,
    /// Send requests in UTF-8 instead of UTF-16 (Tally then answers in UTF-8 or its code
    /// page, and characters outside it arrive as `?`).
    pub utf8_requests: bool,
}

impl Default for LiveOptions {
    /// 120 s per request (a month of a big book can take a while), 3 retries, 2 s backoff.
    fn default() -> Self {
        LiveOptions {
            timeout: Duration::from_mins(2),
            retries: 3,
            backoff: Duration::from_secs(2),
            utf8_requests: false,
        }
    }
}

/// Why the live pull stopped, with the fix. The display is the whole explanation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LiveError {
    /// The address is not `tally://HOST:PORT`.
    #[error("{0:?} is not a Tally address: write tally://HOST:PORT (e.g. tally://localhost:9000)")]
    Address(String),
    /// Nothing listens at the address.
    #[error(
        "nothing answers at {url} ({cause}): TallyPrime is not running there or its HTTP server \
         is off. Fix: in TallyPrime press F1 (Help) > Settings > Connectivity > Client/Server \
         configuration, set \"TallyPrime acts as\" to Server (or Both) and the port to {port}, \
         accept, restart TallyPrime, and allow the port through the firewall of that machine"
    )]
    ServerOff {
        /// The address.
        url: String,
        /// Its port.
        port: u16,
        /// The connection error.
        cause: String,
    },
    /// Tally did not answer in time, or dropped the connection, every time.
    #[error(
        "TallyPrime at {url} gave no answer to the {what} request after {attempts} attempts \
         ({cause}). Tally serves one request at a time and keeps working on one a client gave \
         up on: wait until TallyPrime responds again (no dialog box open on its screen), then \
         run the same command again; a larger --tally-timeout gives a big month more time"
    )]
    NoAnswer {
        /// The address.
        url: String,
        /// The request.
        what: String,
        /// How many times it was sent.
        attempts: u32,
        /// The last failure.
        cause: String,
    },
    /// No company is open in Tally.
    #[error(
        "TallyPrime at {url} has no company open (it answered the {what} request with nothing). \
         Fix: open {company:?} in TallyPrime (F3: Select Company) and run the same command again"
    )]
    NoCompanyOpen {
        /// The address.
        url: String,
        /// The request.
        what: String,
        /// The company asked for.
        company: String,
    },
    /// The company asked for is not among the open ones.
    #[error(
        "TallyPrime at {url} has no open company named {company:?}; the open ones are: {}. \
         Fix: pass one of them to --company exactly as Tally shows it, or open {company:?} in \
         TallyPrime (F3: Select Company)",
        list(.open)
    )]
    WrongCompany {
        /// The address.
        url: String,
        /// The company asked for.
        company: String,
        /// The companies Tally has open.
        open: Vec<String>,
    },
    /// Tally refused the request (`Unknown Request, cannot be processed`) or answered it
    /// with something that is not an answer.
    #[error(
        "TallyPrime at {url} refused the {what} request: {answer:?}. This is a bug of zbooks's \
         request (or a Tally release that reads it differently): please report it with this \
         message"
    )]
    Rejected {
        /// The address.
        url: String,
        /// The request.
        what: String,
        /// Tally's answer (its start).
        answer: String,
    },
    /// Tally answered with a `LINEERROR`.
    #[error("TallyPrime at {url} answered the {what} request with an error: {message:?}")]
    Tally {
        /// The address.
        url: String,
        /// The request.
        what: String,
        /// Tally's message.
        message: String,
    },
    /// An HTTP status other than 200 (Tally answers 200 even to failures).
    #[error(
        "the server at {url} answered the {what} request with HTTP {status}: is it TallyPrime?"
    )]
    Http {
        /// The address.
        url: String,
        /// The request.
        what: String,
        /// The status.
        status: u16,
    },
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A calendar day, as the live pull's window bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, from 1.
    pub day: u32,
}

impl Day {
    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    ///
    /// What is wrong with the text.
    pub fn parse(text: &str) -> Result<Day, String> {
        let bad = || format!("{text:?} is not a date: write YYYY-MM-DD (e.g. 2024-04-01)");
        let mut it = text.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (it.next(), it.next(), it.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (year, month, day) = (
            y.parse::<i32>().map_err(|_| bad())?,
            m.parse::<u32>().map_err(|_| bad())?,
            d.parse::<u32>().map_err(|_| bad())?,
        );
        if !(1..=12).contains(&month) || day == 0 || day > days_in(year, month) {
            return Err(bad());
        }
        Ok(Day { year, month, day })
    }

    /// As Tally writes dates in requests: `YYYYMMDD`.
    pub fn tally(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// The month, `YYYY-MM`.
    pub fn month_name(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    fn last_of_month(self) -> Day {
        Day {
            day: days_in(self.year, self.month),
            ..self
        }
    }

    fn first_of_next_month(self) -> Day {
        if self.month == 12 {
            Day {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Day {
                month: self.month + 1,
                day: 1,
                ..self
            }
        }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One request's date window: a calendar month, clipped to the pull's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The first day.
    pub from: Day,
    /// The last day.
    pub to: Day,
}

impl Window {
    /// The month, `YYYY-MM`.
    pub fn month(&self) -> String {
        self.from.month_name()
    }
}

/// The months from `from` to `to` (inclusive), each clipped to the bounds.
pub fn windows(from: Day, to: Day) -> Vec<Window> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start.last_of_month().min(to);
        out.push(Window {
            from: start,
            to: end,
        });
        start = start.first_of_next_month();
    }
    out
}

/// A TallyPrime server.
#[derive(Clone, Debug)]
pub struct Tally {
    host: String,
    port: u16,
    options: LiveOptions,
}

impl Tally {
    /// The server at `tally://HOST:PORT` (also `http://HOST:PORT` or `HOST:PORT`; the port
    /// defaults to 9000).
    ///
    /// # Errors
    ///
    /// [`LiveError::Address`] when the text is not such an address.
    pub fn new(url: &str, options: LiveOptions) -> Result<Tally, LiveError> {
        let rest = url
            .strip_prefix("tally://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(url)
            .trim_end_matches('/');
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !h.ends_with(':') => (
                h,
                p.parse::<u16>()
                    .map_err(|_| LiveError::Address(url.to_owned()))?,
            ),
            _ => (rest, 9000),
        };
        if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
            return Err(LiveError::Address(url.to_owned()));
        }
        Ok(Tally {
            host: host.to_owned(),
            port,
            options,
        })
    }

    /// `tally://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("tally://{}:{}", self.host, self.port)
    }

    /// `GET /`: Tally's liveness line (`TallyPrime Server is Running`).
    ///
    /// # Errors
    ///
    /// A [`LiveError`] when nothing answers.
    pub fn alive(&self) -> Result<String, LiveError> {
        let bytes = self.exchange(None, "liveness")?;
        Ok(decode(&bytes).trim().to_owned())
    }

    /// The names of the companies open in Tally (a Company collection, which lists every
    /// loaded company whatever `SVCURRENTCOMPANY` says).
    ///
    /// # Errors
    ///
    /// A [`LiveError`] when Tally cannot be asked or refuses.
    pub fn companies(&self) -> Result<Vec<String>, LiveError> {
        let text = self.post(&companies_request(), "company list", "")?;
        let data = text.find("<DATA>").map_or(text.as_str(), |i| &text[i..]);
        let mut names = Vec::new();
        let mut from = 0;
        while let Some(i) = data[from..].find("<COMPANY NAME=\"") {
            let start = from + i + "<COMPANY NAME=\"".len();
            let Some(end) = data[start..].find('"') else {
                break;
            };
            names.push(unescape(&data[start..start + end]));
            from = start + end;
        }
        Ok(names)
    }

    /// Checks that `company` is open in Tally; its name as Tally spells it.
    ///
    /// # Errors
    ///
    /// [`LiveError::NoCompanyOpen`] when none is, [`LiveError::WrongCompany`] (listing the
    /// open ones) when it is not among them.
    pub fn check_company(&self, company: &str) -> Result<String, LiveError> {
        let open = self.companies()?;
        if open.is_empty() {
            return Err(LiveError::NoCompanyOpen {
                url: self.url(),
                what: "company list".into(),
                company: company.to_owned(),
            });
        }
        // Tally matches the name case-insensitively, trimmed (GW §9.11).
        open.iter()
            .find(|n| n.trim().eq_ignore_ascii_case(company.trim()))
            .cloned()
            .ok_or_else(|| LiveError::WrongCompany {
                url: self.url(),
                company: company.to_owned(),
                open,
            })
    }

    /// The company's masters (`List of Accounts`, all masters), decoded.
    ///
    /// # Errors
    ///
    /// A [`LiveError`] when Tally cannot be asked, refuses, or answers nothing.
    pub fn masters(&self, company: &str) -> Result<String, LiveError> {
        self.post(&masters_request(company), "masters", company)
    }

    /// The company's vouchers dated within `window`, decoded.
    ///
    /// # Errors
    ///
    /// A [`LiveError`] when Tally cannot be asked or refuses.
    pub fn vouchers(&self, company: &str, window: &Window) -> Result<String, LiveError> {
        let what = format!("vouchers {}", window.month());
        self.post(&vouchers_request(company, window), &what, company)
    }

    /// A report (`Trial Balance`, `Profit and Loss`, `Balance Sheet`) for the period, as
    /// Tally's report XML.
    ///
    /// # Errors
    ///
    /// A [`LiveError`] when Tally cannot be asked, refuses, or does not know the report.
    pub fn report(
        &self,
        company: &str,
        id: &str,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<String, LiveError> {
        let what = format!("report {id}");
        self.post(&report_request(company, id, from, to), &what, company)
    }

    /// Posts one request and checks the answer for Tally's error shapes.
    fn post(&self, request: &str, what: &str, company: &str) -> Result<String, LiveError> {
        let bytes = self.exchange(Some(request), what)?;
        let text = decode(&bytes);
        self.check(&text, what, company)?;
        Ok(strip_cmpinfo(text))
    }

    fn check(&self, text: &str, what: &str, company: &str) -> Result<(), LiveError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            // An empty body: no company loaded (TDL, MCP).
            return Err(LiveError::NoCompanyOpen {
                url: self.url(),
                what: what.to_owned(),
                company: company.to_owned(),
            });
        }
        if let Some(message) = inner(trimmed, "LINEERROR") {
            if message.starts_with("Could not set 'SVCurrentCompany'") {
                let open = self.companies().unwrap_or_default();
                return Err(LiveError::WrongCompany {
                    url: self.url(),
                    company: company.to_owned(),
                    open,
                });
            }
            return Err(LiveError::Tally {
                url: self.url(),
                what: what.to_owned(),
                message,
            });
        }
        if let Some(response) = inner(trimmed, "RESPONSE") {
            return Err(LiveError::Rejected {
                url: self.url(),
                what: what.to_owned(),
                answer: response,
            });
        }
        Ok(())
    }

    /// One request on its own connection, retried on a timeout or a dropped connection.
    fn exchange(&self, body: Option<&str>, what: &str) -> Result<Vec<u8>, LiveError> {
        let mut backoff = self.options.backoff;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            match self.once(body) {
                Ok(bytes) => {
                    tracing::info!(
                        "tally: {} {what}: {} bytes in {:.1?}",
                        self.url(),
                        bytes.len(),
                        started.elapsed()
                    );
                    return Ok(bytes);
                }
                Err(Failure::Refused(cause)) => {
                    return Err(LiveError::ServerOff {
                        url: self.url(),
                        port: self.port,
                        cause,
                    });
                }
                Err(Failure::Status(status)) => {
                    return Err(LiveError::Http {
                        url: self.url(),
                        what: what.to_owned(),
                        status,
                    });
                }
                Err(Failure::Retry(cause)) => {
                    if attempt > self.options.retries {
                        return Err(LiveError::NoAnswer {
                            url: self.url(),
                            what: what.to_owned(),
                            attempts: attempt,
                            cause,
                        });
                    }
                    tracing::warn!(
                        "tally: {} {what}: {cause}; asking again in {backoff:?} (attempt {} of {})",
                        self.url(),
                        attempt + 1,
                        self.options.retries + 1
                    );
                    std::thread::sleep(backoff);
                    backoff = backoff.saturating_mul(2);
                }
            }
        }
    }

    fn once(&self, body: Option<&str>) -> Result<Vec<u8>, Failure> {
        let addrs: Vec<SocketAddr> = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| Failure::Refused(format!("cannot resolve {}: {e}", self.host)))?
            .collect();
        let timeout = self.options.timeout;
        let mut stream = None;
        let mut last = String::from("no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    return Err(Failure::Retry(format!(
                        "connecting timed out after {timeout:?}"
                    )));
                }
                Err(e) => last = e.to_string(),
            }
        }
        let mut stream = stream.ok_or(Failure::Refused(last))?;
        let deadline = Instant::now() + timeout;
        let io = |e: io::Error| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                Failure::Retry(format!("no answer within {timeout:?}"))
            }
            _ => Failure::Retry(format!("the connection broke: {e}")),
        };
        stream.set_write_timeout(Some(timeout)).map_err(io)?;
        let (method, content) = match body {
            None => ("GET", Vec::new()),
            Some(text) if self.options.utf8_requests => ("POST", text.as_bytes().to_vec()),
            Some(text) => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                ("POST", b)
            }
        };
        let charset = if self.options.utf8_requests {
            "utf-8"
        } else {
            "utf-16"
        };
        let head = format!(
            "{method} / HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: text/xml;charset={charset}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.host,
            self.port,
            content.len()
        );
        stream.write_all(head.as_bytes()).map_err(io)?;
        stream.write_all(&content).map_err(io)?;
        let mut answer = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Failure::Retry(format!("no answer within {timeout:?}")));
            }
            stream.set_read_timeout(Some(left)).map_err(io)?;
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(e)),
            }
        }
        parse_response(&answer)
    }
}

enum Failure {
    /// The connection was refused (or the host unknown): no retry helps.
    Refused(String),
    /// A non-200 status.
    Status(u16),
    /// A timeout or a dropped connection: worth another try.
    Retry(String),
}

/// The body of an HTTP/1.1 response read to its end.
fn parse_response(raw: &[u8]) -> Result<Vec<u8>, Failure> {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(Failure::Retry(if raw.is_empty() {
            "the connection was closed without an answer".to_owned()
        } else {
            "the answer was cut short".to_owned()
        }));
    };
    let head = String::from_utf8_lossy(&raw[..split]);
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if status != 200 {
        return Err(Failure::Status(status));
    }
    let body = &raw[split + 4..];
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())
            .flatten()
    });
    match length {
        Some(n) if body.len() < n => Err(Failure::Retry(format!(
            "the answer was cut short ({} of {n} bytes)",
            body.len()
        ))),
        Some(n) => Ok(body[..n].to_vec()),
        None => Ok(body.to_vec()),
    }
}

/// Decodes an answer whatever Tally sent: by its BOM, else UTF-16LE when its first character's
/// second byte is NUL, else UTF-8, else Windows-1252 (MCP `decodeTallyPayload`).
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |b: &[u8], le: bool| {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    // Text (UTF-8 or a code page) never holds NUL; an answer starts with markup, ASCII.
    if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        return utf16(bytes, true);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|b| cp1252(*b)).collect(),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The answer without `DESC/CMPINFO`, whose counters (`<LEDGER>0</LEDGER>`) would read as
/// records (MCP known-limitations).
fn strip_cmpinfo(mut text: String) -> String {
    if let (Some(a), Some(b)) = (text.find("<CMPINFO>"), text.find("</CMPINFO>"))
        && a < b
    {
        text.replace_range(a..b + "</CMPINFO>".len(), "");
    }
    text
}

/// The text of the first `<NAME>` element, unescaped.
fn inner(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let a = text.find(&open)? + open.len();
    let b = text[a..].find(&format!("</{name}>"))?;
    Some(unescape(text[a..a + b].trim()))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Escapes a value for a request (an unescaped `&` makes the whole request unknown: GW §9.1).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The company list: a Company collection (TDL `fetchTallyCompanyList`).
pub fn companies_request() -> String {
    "<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Export</TALLYREQUEST>\
     <TYPE>Collection</TYPE><ID>ZbooksCompanies</ID></HEADER><BODY><DESC><STATICVARIABLES>\
     <SVEXPORTFORMAT>$$SysName:XML</SVEXPORTFORMAT></STATICVARIABLES><TDL><TDLMESSAGE>\
     <COLLECTION NAME=\"ZbooksCompanies\" ISMODIFY=\"No\"><TYPE>Company</TYPE>\
     <FETCH>Name,StartingFrom,EndingAt,BooksFrom,GUID</FETCH></COLLECTION></TDLMESSAGE></TDL>\
     </DESC></BODY></ENVELOPE>"
        .to_owned()
}

/// The masters: the `List of Accounts` report with `ACCOUNTTYPE` All Masters, which answers
/// in the shape of a file export (`TALLYMESSAGE` objects).
pub fn masters_request(company: &str) -> String {
    format!(
        "<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Export</TALLYREQUEST>\
         <TYPE>Data</TYPE><ID>List of Accounts</ID></HEADER><BODY><DESC><STATICVARIABLES>\
         <SVEXPORTFORMAT>$$SysName:XML</SVEXPORTFORMAT>\
         <SVCURRENTCOMPANY>{}</SVCURRENTCOMPANY><ACCOUNTTYPE>All Masters</ACCOUNTTYPE>\
         </STATICVARIABLES></DESC></BODY></ENVELOPE>",
        escape(company)
    )
}

/// A month's vouchers: a Voucher collection whose rows a `$Date` filter bounds (TDL
/// `processVoucherCollectionDateRange`), non-optional and not cancelled, with the entry lists
/// fetched whole; `SVFROMDATE`/`SVTODATE` set the period Tally loads.
pub fn vouchers_request(company: &str, window: &Window) -> String {
    let (from, to) = (window.from.tally(), window.to.tally());
    format!(
        "<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Export</TALLYREQUEST>\
         <TYPE>Collection</TYPE><ID>ZbooksVouchers</ID></HEADER><BODY><DESC><STATICVARIABLES>\
         <SVEXPORTFORMAT>$$SysName:XML</SVEXPORTFORMAT>\
         <SVCURRENTCOMPANY>{}</SVCURRENTCOMPANY>\
         <SVFROMDATE TYPE=\"Date\">{from}</SVFROMDATE><SVTODATE TYPE=\"Date\">{to}</SVTODATE>\
         </STATICVARIABLES><TDL><TDLMESSAGE>\
         <COLLECTION NAME=\"ZbooksVouchers\" ISMODIFY=\"No\"><TYPE>Voucher</TYPE>\
         <FETCH>*, AllLedgerEntries.*, LedgerEntries.*, AllInventoryEntries.*, \
         InventoryEntries.*</FETCH>\
         <FILTER>IsNonOptionalCancelledVchs, ZbooksPeriod</FILTER></COLLECTION>\
         <SYSTEM TYPE=\"Formulae\" NAME=\"ZbooksPeriod\">$Date &gt;= $$Date:\"{from}\" and \
         $Date &lt;= $$Date:\"{to}\"</SYSTEM></TDLMESSAGE></TDL></DESC></BODY></ENVELOPE>",
        escape(company)
    )
}

/// A report by name (`Trial Balance`, `Profit and Loss`, `Balance Sheet`), exploded, for
/// the period.
pub fn report_request(company: &str, id: &str, from: Option<Day>, to: Option<Day>) -> String {
    let mut vars = format!(
        "<SVEXPORTFORMAT>$$SysName:XML</SVEXPORTFORMAT><SVCURRENTCOMPANY>{}</SVCURRENTCOMPANY>\
         <EXPLODEFLAG>Yes</EXPLODEFLAG>",
        escape(company)
    );
    if let Some(f) = from {
        let _ = write!(vars, "<SVFROMDATE TYPE=\"Date\">{}</SVFROMDATE>", f.tally());
    }
    if let Some(t) = to {
        let _ = write!(vars, "<SVTODATE TYPE=\"Date\">{}</SVTODATE>", t.tally());
    }
    format!(
        "<ENVELOPE><HEADER><VERSION>1</VERSION><TALLYREQUEST>Export</TALLYREQUEST>\
         <TYPE>Data</TYPE><ID>{}</ID></HEADER><BODY><DESC><STATICVARIABLES>{vars}\
         </STATICVARIABLES></DESC></BODY></ENVELOPE>",
        escape(id)
    )
}

/// What a [`pull`] did, read once its records are read: the error that stopped it, the
/// months it pulled whole.
#[derive(Debug, Default)]
pub struct PullState {
    /// Why the pull stopped early, if it did (the records read are then incomplete).
    pub error: Option<LiveError>,
    /// The months pulled, `YYYY-MM`.
    pub months: Vec<String>,
    /// The bytes of every answer, decoded.
    pub bytes: u64,
}

/// A live pull as records: the masters once, then each window's vouchers, each answer
/// read whole, handed to one [`TallyReader`] and dropped before the next request. Locations
/// name the request (`tally://host:9000 masters`, `tally://host:9000 vouchers 2024-05`).
/// Call [`Tally::check_company`] first.
pub fn pull(tally: &Tally, company: &str, windows: Vec<Window>, options: TallyOptions) -> Pull {
    let content = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(Mutex::new(PullState::default()));
    let url = tally.url();
    let masters_name = format!("{url} masters");
    let parts = Parts {
        tally: tally.clone(),
        company: company.to_owned(),
        masters: true,
        windows: windows.into_iter(),
        content: content.clone(),
        state: state.clone(),
        stopped: false,
    };
    let reader = TallyReader::parts(&masters_name, Box::new(parts), options);
    Pull {
        records: Box::new(reader),
        content,
        state,
    }
}

/// A live pull under way: its records, read lazily (each read may post the next request).
pub struct Pull {
    /// The records and problems, in the order a file import reads them.
    pub records: Records,
    /// Fills with a digest of every answer as it is read (for the import's fingerprint).
    pub content: Arc<Mutex<Vec<u8>>>,
    /// How the pull ended, once the records are read.
    pub state: Arc<Mutex<PullState>>,
}

impl fmt::Debug for Pull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pull")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

struct Parts {
    tally: Tally,
    company: String,
    masters: bool,
    windows: std::vec::IntoIter<Window>,
    content: Arc<Mutex<Vec<u8>>>,
    state: Arc<Mutex<PullState>>,
    stopped: bool,
}

impl Parts {
    fn take(
        &mut self,
        name: String,
        answer: Result<String, LiveError>,
        month: Option<String>,
    ) -> Option<Part> {
        match answer {
            Ok(text) => {
                if let Ok(mut c) = self.content.lock() {
                    c.extend_from_slice(name.as_bytes());
                    c.extend_from_slice(&fnv(text.as_bytes()).to_le_bytes());
                }
                if let Ok(mut s) = self.state.lock() {
                    s.bytes += text.len() as u64;
                    s.months.extend(month);
                }
                Some(Part {
                    name,
                    input: Box::new(Cursor::new(text.into_bytes())),
                })
            }
            Err(e) => {
                self.stopped = true;
                if let Ok(mut s) = self.state.lock() {
                    s.error = Some(e);
                }
                None
            }
        }
    }
}

impl Iterator for Parts {
    type Item = Part;

    fn next(&mut self) -> Option<Part> {
        if self.stopped {
            return None;
        }
        let url = self.tally.url();
        if self.masters {
            self.masters = false;
            let answer = self.tally.masters(&self.company).and_then(|text| {
                if text.contains("<GROUP") || text.contains("<LEDGER") {
                    Ok(text)
                } else {
                    // Every Tally company has groups: an answer without any is a company
                    // that is not loaded (MCP: treat empty as suspect).
                    Err(LiveError::NoCompanyOpen {
                        url: url.clone(),
                        what: "masters".into(),
                        company: self.company.clone(),
                    })
                }
            });
            return self.take(format!("{url} masters"), answer, None);
        }
        let window = self.windows.next()?;
        let answer = self.tally.vouchers(&self.company, &window);
        self.take(
            format!("{url} vouchers {}", window.month()),
            answer,
            Some(window.month()),
        )
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_clipped_windows() {
        let w = windows(
            Day::parse("2024-01-15").unwrap(),
            Day::parse("2024-03-10").unwrap(),
        );
        let shown: Vec<String> = w.iter().map(|w| format!("{}..{}", w.from, w.to)).collect();
        assert_eq!(
            shown,
            [
                "2024-01-15..2024-01-31",
                "2024-02-01..2024-02-29",
                "2024-03-01..2024-03-10"
            ]
        );
        let across = windows(
            Day::parse("2024-12-01").unwrap(),
            Day::parse("2025-01-31").unwrap(),
        );
        assert_eq!(across.len(), 2);
        assert_eq!(across[1].month(), "2025-01");
    }

    #[test]
    fn dates_must_be_real() {
        assert!(Day::parse("2023-02-29").is_err());
        assert!(Day::parse("2024-13-01").is_err());
        assert!(Day::parse("24-04-01").is_err());
        assert_eq!(Day::parse("2024-04-01").unwrap().tally(), "20240401");
    }

    #[test]
    fn addresses() {
        let t = Tally::new("tally://localhost:9000", LiveOptions::default()).unwrap();
        assert_eq!(t.url(), "tally://localhost:9000");
        assert_eq!(
            Tally::new("tally://pc", LiveOptions::default())
                .unwrap()
                .port,
            9000
        );
        assert!(Tally::new("tally://pc:port", LiveOptions::default()).is_err());
        assert!(Tally::new("tally://", LiveOptions::default()).is_err());
    }

    #[test]
    fn decodes_every_encoding_tally_sends() {
        let text = "<A>₹ नमस्ते</A>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(&le);
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le), text);
        assert_eq!(decode(&bom), text);
        assert_eq!(decode(&be), text);
        assert_eq!(decode(text.as_bytes()), text);
        assert_eq!(decode(b"<A>Allg\xE4uer \x80</A>"), "<A>Allgäuer €</A>");
    }

    #[test]
    fn responses_cut_short_are_retried() {
        assert!(matches!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
            Err(Failure::Retry(_))
        ));
        assert!(matches!(parse_response(b""), Err(Failure::Retry(_))));
        assert!(matches!(
            parse_response(b"HTTP/1.1 404 Not Found\r\n\r\n"),
            Err(Failure::Status(404))
        ));
        assert_eq!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc").ok(),
            Some(b"abc".to_vec())
        );
    }

    #[test]
    fn company_names_are_escaped_in_requests() {
        let r = masters_request("A & B <1>");
        assert!(r.contains("<SVCURRENTCOMPANY>A &amp; B &lt;1&gt;</SVCURRENTCOMPANY>"));
        let w = windows(
            Day::parse("2024-05-01").unwrap(),
            Day::parse("2024-05-31").unwrap(),
        );
        let v = vouchers_request("X", &w[0]);
        assert!(v.contains("$$Date:\"20240501\"") && v.contains("$$Date:\"20240531\""));
    }
}
