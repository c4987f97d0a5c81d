//! The one shape every reader turns its input into: a [`Call`], one attempt of one request
//! (a Books API call or a token request), with whatever the source told about it.
//!
//! A zbooks event carries everything; a HAR entry carries the URL, bodies and timing; a free
//! text line may carry only a status or a Zoho body. Every field is therefore optional, and
//! the analysis treats a missing field as unknown, never as a default value. This module also
//! holds the pure helpers that turn URLs and paths into organizations, endpoints and create
//! keys, so every reader reads them the same way.

use zbooks_types::catalog;
use zbooks_types::event::Purpose;
use zbooks_types::{FailureClass, Sent};

use crate::time::Millis;

/// One attempt of one request, borrowed from the reader's line buffer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Call<'a> {
    /// When it ended (UTC milliseconds).
    pub(crate) ts: Option<Millis>,
    /// A request to the accounts server (token grant or refresh), not a Books call.
    pub(crate) token: bool,
    /// The organization id, when the call names one.
    pub(crate) org: Option<&'a str>,
    /// HTTP method.
    pub(crate) method: Option<&'a str>,
    /// Path without the query string.
    pub(crate) path: Option<&'a str>,
    /// Host, when the source has the full URL.
    pub(crate) host: Option<&'a str>,
    /// HTTP status of the answer.
    pub(crate) status: Option<u16>,
    /// Zoho's `code`.
    pub(crate) code: Option<i64>,
    /// Zoho's `message`.
    pub(crate) message: Option<&'a str>,
    /// The accounts server's `error`.
    pub(crate) accounts_error: Option<&'a str>,
    /// The class the source itself recorded (zbooks events do).
    pub(crate) class: Option<FailureClass>,
    /// Whether the request reached Zoho; `None` when the source does not say.
    pub(crate) sent: Option<Sent>,
    /// Attempt number, from 1.
    pub(crate) attempt: Option<u32>,
    /// Time from send to answer.
    pub(crate) duration_ms: Option<u64>,
    /// The natural key of the record a create or lookup carries (`invoice_number=INV-1`).
    pub(crate) natural_key: Option<&'a str>,
    /// A hash of the request body, when the source has it and no natural key is known.
    pub(crate) body_hash: Option<u64>,
    /// Why zbooks sent it, when its event says (a lookup by natural key, a doctor's probe).
    pub(crate) purpose: Option<Purpose>,
}

/// What became of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Answered with success.
    Success,
    /// Failed with this class.
    Failure(FailureClass),
}

impl Call<'_> {
    /// Whether the request may have reached Zoho (and so counts against its limits).
    pub(crate) fn reached_zoho(&self) -> bool {
        !matches!(self.sent, Some(Sent::NotSent))
    }

    /// Sent, but no answer was read: a timeout or a reset (the lost response).
    pub(crate) fn is_unanswered(&self) -> bool {
        self.status.is_none() && matches!(self.sent, Some(Sent::MaybeSent))
    }

    /// Success or the failure class, from what the source recorded or else from the catalog.
    pub(crate) fn outcome(&self) -> Outcome {
        if let Some(class) = self.class {
            return Outcome::Failure(class);
        }
        if let Some(error) = self.accounts_error {
            return Outcome::Failure(
                catalog::by_accounts_error(error)
                    .and_then(|e| e.class)
                    .unwrap_or(FailureClass::AuthMisconfigured),
            );
        }
        if self.is_unanswered() {
            return Outcome::Failure(FailureClass::TransientServer);
        }
        if matches!(self.sent, Some(Sent::NotSent)) {
            return Outcome::Failure(FailureClass::Unknown);
        }
        if let Some(code) = self.code
            && code != 0
        {
            let class = catalog::by_code(code)
                .and_then(|e| e.class)
                .or_else(|| self.status.and_then(|s| catalog::status_implies(s).0))
                .unwrap_or(FailureClass::Unknown);
            return Outcome::Failure(class);
        }
        match self.status {
            Some(s) if s >= 400 => Outcome::Failure(
                catalog::status_implies(s)
                    .0
                    .unwrap_or(FailureClass::Unknown),
            ),
            _ => Outcome::Success,
        }
    }

    /// Whether this is a create: a POST to a collection (`collection`: whether its
    /// normalized path is one, [`is_collection`]).
    pub(crate) fn is_create(&self, collection: bool) -> bool {
        !self.token && collection && self.method.is_some_and(|m| m.eq_ignore_ascii_case("POST"))
    }

    /// Whether this is a read.
    pub(crate) fn is_get(&self) -> bool {
        self.method.is_some_and(|m| m.eq_ignore_ascii_case("GET"))
    }

    /// Whether this reads a collection for one record: zbooks's events say so
    /// (`purpose: lookup`); other sources' GETs of a collection carrying a natural key are
    /// taken for one too.
    pub(crate) fn is_lookup(&self, collection: bool) -> bool {
        !self.token && (self.purpose == Some(Purpose::Lookup) || (collection && self.is_get()))
    }

    /// Whether this is a diagnostic probe (`zbooks doctor`), not the integration's traffic.
    pub(crate) fn is_probe(&self) -> bool {
        self.purpose == Some(Purpose::Probe)
    }
}

/// Splits a URL or path into host, path and query (`https://h/p?q#f` → `h`, `/p`, `q`).
pub(crate) fn split_url(url: &str) -> (Option<&str>, &str, Option<&str>) {
    let url = url.split('#').next().unwrap_or(url);
    let (host, rest) = match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(after) => match after.find('/') {
            Some(slash) => (Some(&after[..slash]), &after[slash..]),
            None => (Some(after), "/"),
        },
        None => (None, url),
    };
    let host = host.map(|h| h.rsplit('@').next().unwrap_or(h));
    let host = host.map(|h| h.split(':').next().unwrap_or(h));
    match rest.find('?') {
        Some(q) => (host, &rest[..q], Some(&rest[q + 1..])),
        None => (host, rest, None),
    }
}

/// The value of a query parameter (undecoded).
pub(crate) fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name && !v.is_empty()).then_some(v)
    })
}

/// Whether a path segment is a record id: Zoho ids are long digit strings.
fn is_id_segment(seg: &str) -> bool {
    seg.len() >= 4 && seg.bytes().all(|b| b.is_ascii_digit())
}

/// Writes `path` into `out` with record ids replaced by `{id}` and any trailing slash removed
/// (`/books/v3/invoices/4815000000044031` → `/books/v3/invoices/{id}`).
pub(crate) fn normalize_path(path: &str, out: &mut String) {
    out.clear();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if is_id_segment(seg) {
            out.push_str("{id}");
        } else {
            out.push_str(seg);
        }
    }
    if out.is_empty() {
        out.push('/');
    }
}

/// Whether a normalized path is a collection a POST creates in (`/books/v3/invoices`), not a
/// record or an action on one (`/books/v3/invoices/{id}/status/sent`, `/invoices/email`).
pub(crate) fn is_collection(normalized: &str) -> bool {
    const ACTIONS: [&str; 6] = [
        "email",
        "paymentreminder",
        "print",
        "pdf",
        "token",
        "revoke",
    ];
    if memchr::memmem::find(normalized.as_bytes(), b"{id}").is_some() {
        return false;
    }
    let last = normalized.rsplit('/').next().unwrap_or("");
    !last.is_empty() && !ACTIONS.contains(&last)
}

/// The resource a normalized path names (`/books/v3/invoices/{id}` → `invoices`).
pub(crate) fn resource_of(normalized: &str) -> &str {
    &normalized[resource_range(normalized)]
}

/// Where [`resource_of`] is in the path (an empty range when it names none).
pub(crate) fn resource_range(normalized: &str) -> std::ops::Range<usize> {
    // Asked of every new path of creates and lookups: searchers built once, not per call as
    // `str::split_once` does.
    static V3: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("/v3/"));
    static V4: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("/v4/"));
    let mut at = V3
        .find(normalized.as_bytes())
        .or_else(|| V4.find(normalized.as_bytes()))
        .map_or(0, |v| v + 4);
    for segment in normalized[at..].split('/') {
        if !segment.is_empty() && segment != "{id}" {
            return at..at + segment.len();
        }
        at += segment.len() + 1;
    }
    0..0
}

/// Whether a path is the accounts server's token endpoint.
pub(crate) fn is_token_path(path: &str) -> bool {
    // Asked of every line, of paths a few dozen bytes long: the token path is looked for
    // only where its one `2` could be (most paths have none), found eight bytes at a time in
    // a word, which is sooner done than a search is set up.
    const TOKEN: &[u8] = b"/oauth/v2/token";
    const TWO: usize = 8;
    const TWOS: u64 = crate::util::splat(b'2');
    let path = path.as_bytes();
    let Some(last) = path.len().checked_sub(TOKEN.len() - TWO) else {
        return false;
    };
    let at_two = |i: usize| path[i - TWO..].starts_with(TOKEN);
    // Where the `2` of a token path could be: from `TWO` to `last`.
    let places = path.get(TWO..=last).unwrap_or_default();
    let mut words = places.chunks_exact(8);
    let mut token = false;
    for (n, word) in words.by_ref().enumerate() {
        // Each `2`, and maybe a byte above one: each is checked, so one flagged too many
        // costs a compare only.
        let mut twos = crate::util::bytes_below(crate::util::word_at(word, 0) ^ TWOS, 1);
        while twos != 0 && !token {
            token = at_two(TWO + n * 8 + (twos.trailing_zeros() / 8) as usize);
            twos &= twos - 1;
        }
    }
    let tail = TWO + (places.len() - words.remainder().len());
    token = token
        || (words.remainder().iter())
            .zip(tail..)
            .any(|(b, i)| *b == b'2' && at_two(i));
    token && !path.windows(7).any(|w| w == b"/revoke")
}

/// The fields whose value identifies a record across retries, in the order they are
/// preferred; `natural_key` is what zbooks itself writes.
const KEY_FIELDS: [&str; 8] = [
    "natural_key",
    "invoice_number",
    "bill_number",
    "contact_name",
    "reference_number",
    "entry_number",
    "payment_number",
    "sku",
];

/// Finds a natural key in free text or a JSON body (`invoice_number=INV-1`,
/// `"invoice_number":"INV-1"`), returned as `field=value`.
pub(crate) fn natural_key_in(text: &str) -> Option<String> {
    // Every key field contains one of these; most lines contain none of them.
    static HINTS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 4]> =
        std::sync::LazyLock::new(|| {
            [
                memchr::memmem::Finder::new("_number"),
                memchr::memmem::Finder::new("_name"),
                memchr::memmem::Finder::new("_key"),
                memchr::memmem::Finder::new("sku"),
            ]
        });
    if !HINTS.iter().any(|f| f.find(text.as_bytes()).is_some()) {
        return None;
    }
    for field in KEY_FIELDS {
        let mut from = 0;
        while let Some(pos) = text[from..].find(field) {
            let start = from + pos;
            from = start + field.len();
            let before = text[..start].bytes().next_back();
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                continue;
            }
            let rest = text[from..].trim_start_matches(['"', ' ', '\\']);
            let Some(rest) = rest.strip_prefix([':', '=']) else {
                continue;
            };
            let rest = rest.trim_start_matches([' ', '\\']);
            let value = if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted.find(['"', '\\']).unwrap_or(quoted.len());
                &quoted[..end]
            } else {
                let end = rest
                    .find([' ', '&', ',', '"', '}', ')', ';', '\\'])
                    .unwrap_or(rest.len());
                &rest[..end]
            };
            if !value.is_empty() && value.len() <= 200 {
                if field == "natural_key" {
                    return Some(value.to_owned());
                }
                return Some(format!("{field}={value}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token path is found wherever it is, as a plain search finds it.
    #[test]
    fn the_token_path_is_found_as_a_plain_search_finds_it() {
        let plain = |p: &str| p.contains("/oauth/v2/token") && !p.contains("/revoke");
        for path in [
            "/oauth/v2/token",
            "/oauth/v2/token/revoke",
            "/revoke/oauth/v2/token",
            "/22/oauth/v2/token2",
            "/oauth/v2/tokens",
            "https://accounts.zoho.in/oauth/v2/token",
            "/oauth/v2/toke",
            "/oauth/v22/token",
            "/books/v3/invoices/222",
            "/books/v3/invoices",
            "2",
            "",
            "/oauth/v2/oauth/v2/token",
        ] {
            assert_eq!(is_token_path(path), plain(path), "{path}");
        }
        // The token path at every place, in paths of every length around it, with `2`s and
        // bytes just off `2` around it.
        for before in 0..20 {
            for after in 0..20 {
                for filler in ["2", "1", "3", "x", "é"] {
                    let path = format!(
                        "{}/oauth/v2/token{}",
                        filler.repeat(before),
                        filler.repeat(after)
                    );
                    assert_eq!(is_token_path(&path), plain(&path), "{path}");
                    // Cut short, one character into the token path.
                    let keep = path.chars().count() - after - 1;
                    let cut: String = path.chars().take(keep).collect();
                    assert_eq!(is_token_path(&cut), plain(&cut), "{cut}");
                }
            }
        }
    }

    #[test]
    fn splits_urls_and_reads_the_org() {
        let (host, path, query) =
            split_url("https://www.zohoapis.eu/books/v3/invoices?organization_id=123&x=1#f");
        assert_eq!(host, Some("www.zohoapis.eu"));
        assert_eq!(path, "/books/v3/invoices");
        assert_eq!(
            query.and_then(|q| query_param(q, "organization_id")),
            Some("123")
        );
        assert_eq!(split_url("/books/v3/items").1, "/books/v3/items");
        assert_eq!(
            split_url("https://accounts.zoho.com").0,
            Some("accounts.zoho.com")
        );
    }

    #[test]
    fn normalizes_ids_and_tells_creates() {
        let mut out = String::new();
        normalize_path("/books/v3/invoices/4815000000044031/status/sent", &mut out);
        assert_eq!(out, "/books/v3/invoices/{id}/status/sent");
        assert!(!is_collection(&out));
        normalize_path("/books/v3/invoices/", &mut out);
        assert_eq!(out, "/books/v3/invoices");
        assert!(is_collection(&out));
        assert_eq!(resource_of("/books/v3/contacts/{id}"), "contacts");
        assert_eq!(resource_of("/books/v3/{id}/x"), "x");
        assert_eq!(resource_of("/books/v3/"), "");
        assert_eq!(resource_of("/"), "");
        assert_eq!(resource_of(""), "");
        assert!(!is_collection("/books/v3/invoices/email"));
    }

    #[test]
    fn finds_natural_keys() {
        assert_eq!(
            natural_key_in(r#"{"customer_id":"1","invoice_number":"INV-7","x":1}"#).as_deref(),
            Some("invoice_number=INV-7")
        );
        assert_eq!(
            natural_key_in("create invoice_number=INV-9 attempt=2").as_deref(),
            Some("invoice_number=INV-9")
        );
        assert_eq!(
            natural_key_in("natural_key=contact:Acme").as_deref(),
            Some("contact:Acme")
        );
        assert_eq!(natural_key_in("my_invoice_number=1"), None);
        assert_eq!(
            natural_key_in(r#"body={\"contact_name\":\"Acme Ltd\"}"#).as_deref(),
            Some("contact_name=Acme Ltd")
        );
    }

    #[test]
    fn outcome_follows_code_then_status() {
        let mut call = Call {
            status: Some(429),
            code: Some(45),
            ..Call::default()
        };
        assert_eq!(
            call.outcome(),
            Outcome::Failure(FailureClass::QuotaExhaustedDay)
        );
        call.code = Some(0);
        call.status = Some(201);
        assert_eq!(call.outcome(), Outcome::Success);
        call.status = None;
        call.code = None;
        call.sent = Some(Sent::MaybeSent);
        assert!(call.is_unanswered());
        call.token = true;
        call.sent = None;
        call.status = Some(200);
        call.accounts_error = Some("Access Denied");
        assert_eq!(
            call.outcome(),
            Outcome::Failure(FailureClass::TokenThrottled)
        );
    }
}
