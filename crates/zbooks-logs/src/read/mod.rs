//! Opening inputs: gzip by its magic bytes, then the format by the first bytes of the
//! content — zbooks's event log (a first line that is a zbooks event), a HAR file (a JSON
//! document whose first key is `log`), or free text (anything else).
//!
//! Reading is streamed with a large buffer and one reused line buffer; no reader holds more
//! than one line (or one HAR entry) at a time, and never more than [`MAX_LINE`] bytes of a
//! line: the rest of a longer line (a 4 GiB line, or a small gzip file that inflates to one)
//! is skipped as it streams past, and the line is reported, not analysed.

pub(crate) mod events;
pub(crate) mod har;
pub(crate) mod text;

use std::io::{self, BufRead, BufReader, Cursor, Read};

use flate2::read::MultiGzDecoder;

/// The buffer every reader reads through.
pub(crate) const BUF_SIZE: usize = 1 << 20;

/// The most bytes of one line a reader holds (without its line ending); a longer line is
/// skipped and reported with its length. The report publishes the figure, so it is set there.
pub(crate) const MAX_LINE: usize = crate::report::MAX_LINE_BYTES;

/// What [`read_line`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The end of the input.
    End,
    /// A whole line, in the buffer (with its line ending).
    Whole,
    /// A line longer than [`MAX_LINE`]: the buffer holds its first `MAX_LINE` bytes, the
    /// rest was skipped; `bytes` is its whole length without the line ending.
    TooLong {
        /// The line's length.
        bytes: u64,
    },
}

/// Reads one line into `buf` (cleared first) like `BufRead::read_until(b'\n')`, but holds at
/// most [`MAX_LINE`] bytes of it: past that the line is consumed without being kept.
pub(crate) fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<Line> {
    buf.clear();
    let mut total = 0u64;
    let mut too_long = false;
    let mut ended = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (used, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let content = if done { used - 1 } else { used };
        if !too_long {
            let room = MAX_LINE - buf.len();
            if content > room {
                buf.extend_from_slice(&available[..room]);
                too_long = true;
            } else {
                buf.extend_from_slice(&available[..used]);
            }
        }
        total += content as u64;
        reader.consume(used);
        if done {
            ended = true;
            break;
        }
    }
    Ok(if too_long {
        Line::TooLong { bytes: total }
    } else if total == 0 && !ended {
        Line::End
    } else {
        Line::Whole
    })
}

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

    /// Reads every line of `input` through a small buffer, so lines straddle refills.
    fn lines(input: &[u8]) -> Vec<(Line, Vec<u8>)> {
        let mut reader = BufReader::with_capacity(7, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            let line = read_line(&mut reader, &mut buf).unwrap();
            if line == Line::End {
                return out;
            }
            out.push((line, buf.clone()));
        }
    }

    #[test]
    fn holds_at_most_max_line_bytes_of_a_line() {
        let long = vec![b'x'; MAX_LINE + 10];
        let mut input = b"first\n".to_vec();
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\nafter\nlast");
        let got = lines(&input);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], (Line::Whole, b"first\n".to_vec()));
        assert_eq!(
            got[1].0,
            Line::TooLong {
                bytes: (MAX_LINE + 10) as u64
            }
        );
        assert_eq!(got[1].1.len(), MAX_LINE);
        assert!(got[1].1.capacity() <= MAX_LINE * 2);
        assert_eq!(got[2], (Line::Whole, b"after\n".to_vec()));
        assert_eq!(got[3], (Line::Whole, b"last".to_vec()));

        // Exactly MAX_LINE bytes is still a line; empty lines are lines.
        let mut input = vec![b'y'; MAX_LINE];
        input.extend_from_slice(b"\n\n");
        let got = lines(&input);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, Line::Whole);
        assert_eq!(got[0].1.len(), MAX_LINE + 1);
        assert_eq!(got[1], (Line::Whole, b"\n".to_vec()));
    }
}
