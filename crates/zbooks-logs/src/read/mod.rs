//! Opening inputs: gzip by its magic bytes, then the format by the first bytes of the
//! content — zbooks's event log (a first line that is a zbooks event), a HAR file (a JSON
//! document whose first key is `log`), or free text (anything else).
//!
//! Reading is streamed with a large buffer and one reused line buffer; no reader holds more
//! than one line (or one HAR entry) at a time, and never more than [`line::MAX_LINE`] bytes of a
//! line: the rest of a longer line (a 4 GiB line, or a small gzip file that inflates to one)
//! is skipped as it streams past, and the line is reported, not analysed.

pub(crate) mod events;
pub(crate) mod fast;
pub(crate) mod har;
pub(crate) mod line;
pub(crate) mod text;

use std::io::{self, BufRead, BufReader, Cursor, Read};

use flate2::read::MultiGzDecoder;

/// The buffer every reader reads through.
pub(crate) const BUF_SIZE: usize = 1 << 20;

/// How much of the start of an input decides its format.
const HEAD: usize = 64 * 1024;

/// What an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// zbooks's JSON Lines event log.
    Events,
    /// An HTTP Archive.
    Har,
    /// Any other text.
    Text,
}

impl Format {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Events => "zbooks_events",
            Format::Har => "har",
            Format::Text => "text",
        }
    }
}

/// An input opened, decompressed and sniffed.
pub(crate) struct Opened<'r> {
    pub format: Format,
    pub gzip: bool,
    pub reader: Box<dyn BufRead + 'r>,
}

/// Reads up to `HEAD` bytes (fewer at the end of the input).
fn read_head(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    reader.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Opens an input: undoes gzip, finds the format, and gives back a reader that still starts
/// at the first byte.
pub(crate) fn open<'r>(reader: impl Read + 'r) -> io::Result<Opened<'r>> {
    let mut raw = BufReader::with_capacity(BUF_SIZE, reader);
    let gzip = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut inner: Box<dyn Read + 'r> = if gzip {
        Box::new(MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let head = read_head(&mut inner)?;
    let format = sniff(&head);
    let chained = Cursor::new(head).chain(inner);
    Ok(Opened {
        format,
        gzip,
        reader: Box::new(BufReader::with_capacity(BUF_SIZE, chained)),
    })
}

/// The format of an input from its first bytes.
pub(crate) fn sniff(head: &[u8]) -> Format {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let body = &head[start..];
    if !body.starts_with(b"{") {
        return Format::Text;
    }
    // A HAR document's first key is "log".
    let after = &body[1..];
    let key_at = after
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(after.len());
    if after[key_at..].starts_with(b"\"log\"") {
        return Format::Har;
    }
    let first_line = body.split(|b| *b == b'\n').next().unwrap_or(body);
    let first_line = events::trim_line(first_line);
    if events::is_event_line(first_line) {
        Format::Events
    } else {
        Format::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        let event = br#"{"schema":1,"ts":"2026-11-25T10:00:00.000Z","kind":"attempt","method":"GET","path":"/books/v3/items","status":200,"code":0,"sent":"answered","attempt":1,"duration_ms":40}
"#;
        assert_eq!(sniff(event), Format::Events);
        assert_eq!(
            sniff(b"\n {\n  \"log\": {\"version\": \"1.2\""),
            Format::Har
        );
        assert_eq!(
            sniff(b"{\"level\":\"info\",\"msg\":\"hi\"}\n"),
            Format::Text
        );
        assert_eq!(sniff(b"2026-11-25 INFO started\n"), Format::Text);
        assert_eq!(sniff(b""), Format::Text);
    }
}
