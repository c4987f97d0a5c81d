//! Reading one line at a time with a cap on what is held: every reader reads its input
//! through [`read_line`], so no line, however long, is held past [`MAX_LINE`] bytes. Its own
//! module so the readers depend on it, not on the module that opens an input and picks the
//! reader for it.

use std::io::{self, BufRead};

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

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use super::*;

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
