//! Deluge source text to tokens, each with its line and column. Comments (`//`, `/* */`) are
//! dropped; strings (`"…"`, and `'…'` which Deluge uses for dates and accepts as text) have their
//! escapes resolved. The lexer never panics: text it cannot read is a [`ParseError`] with the
//! position of the first character it could not use.

use crate::ast::{ParseError, Pos};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A name: `invoice`, `zoho`, `info`, `for` (keywords are names the parser recognizes).
    Ident(String),
    /// A number as written: `0`, `100`, `12.50`.
    Number(String),
    /// A string with its escapes resolved.
    Str(String),
    /// An operator or punctuation: `==`, `+=`, `{`, `;`, `.` …
    Punct(&'static str),
    /// The end of the text.
    Eof,
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// The token.
    pub(crate) tok: Tok,
    /// Where its first character is.
    pub(crate) pos: Pos,
}

/// Operators and punctuation, longest first so `==` wins over `=`.
const PUNCT: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "+", "-", "*", "/", "%", "<",
    ">", "!", "=", "(", ")", "{", "}", "[", "]", ",", ";", ":", ".", "?",
];

/// Reads `text` into tokens, the last one [`Tok::Eof`].
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut column = 1;
    // Moves past `n` characters, keeping line and column.
    let advance = |i: &mut usize, line: &mut usize, column: &mut usize, n: usize| {
        for _ in 0..n {
            if chars.get(*i) == Some(&'\n') {
                *line += 1;
                *column = 1;
            } else {
                *column += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, column };
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() || c == '\u{feff}' {
            advance(&mut i, &mut line, &mut column, 1);
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else if c == '/' && next == Some('*') {
            advance(&mut i, &mut line, &mut column, 2);
            loop {
                if i >= chars.len() {
                    return Err(ParseError::new(
                        pos,
                        "a `/*` comment is never closed with `*/`",
                    ));
                }
                if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    advance(&mut i, &mut line, &mut column, 2);
                    break;
                }
                advance(&mut i, &mut line, &mut column, 1);
            }
        } else if c == '"' || c == '\'' {
            advance(&mut i, &mut line, &mut column, 1);
            let mut value = String::new();
            loop {
                let Some(&d) = chars.get(i) else {
                    return Err(ParseError::new(
                        pos,
                        format!("a string opened with {c} is never closed"),
                    ));
                };
                if d == c {
                    advance(&mut i, &mut line, &mut column, 1);
                    break;
                }
                if d == '\\' {
                    let Some(&e) = chars.get(i + 1) else {
                        return Err(ParseError::new(
                            pos,
                            format!("a string opened with {c} is never closed"),
                        ));
                    };
                    let resolved = match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        '"' | '\'' | '\\' | '/' => e,
                        // Deluge keeps an unknown escape as written (a regex's `\d`).
                        other => {
                            value.push('\\');
                            other
                        }
                    };
                    value.push(resolved);
                    advance(&mut i, &mut line, &mut column, 2);
                    continue;
                }
                value.push(d);
                advance(&mut i, &mut line, &mut column, 1);
            }
            tokens.push(Token {
                tok: Tok::Str(value),
                pos,
            });
        } else if matches!(c, '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}') {
            return Err(ParseError::new(
                pos,
                format!(
                    "a typographic quote {c} (pasted from a document): Deluge needs a plain \" or '"
                ),
            ));
        } else if c.is_ascii_digit() {
            let start = i;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                advance(&mut i, &mut line, &mut column, 1);
            }
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                advance(&mut i, &mut line, &mut column, 1);
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    advance(&mut i, &mut line, &mut column, 1);
                }
            }
            tokens.push(Token {
                tok: Tok::Number(chars[start..i].iter().collect()),
                pos,
            });
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|d| d.is_alphanumeric() || *d == '_')
            {
                advance(&mut i, &mut line, &mut column, 1);
            }
            tokens.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                pos,
            });
        } else if let Some(p) = PUNCT.iter().find(|p| {
            p.chars()
                .enumerate()
                .all(|(k, pc)| chars.get(i + k) == Some(&pc))
        }) {
            advance(&mut i, &mut line, &mut column, p.chars().count());
            tokens.push(Token {
                tok: Tok::Punct(p),
                pos,
            });
        } else {
            return Err(ParseError::new(
                pos,
                format!("the character {c:?} is not part of Deluge"),
            ));
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, column },
    });
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn strings_resolve_escapes_and_comments_vanish() {
        assert_eq!(
            toks("a = \"x\\\"y\\n\\d\"; // note\n/* a\n b */ b"),
            vec![
                Tok::Ident("a".into()),
                Tok::Punct("="),
                Tok::Str("x\"y\n\\d".into()),
                Tok::Punct(";"),
                Tok::Ident("b".into()),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("'1-Jan-2026'"),
            vec![Tok::Str("1-Jan-2026".into()), Tok::Eof]
        );
    }

    #[test]
    fn positions_are_line_and_column() {
        let t = lex("a\n  b >= 12.50").unwrap();
        assert_eq!(t[1].pos, Pos { line: 2, column: 3 });
        assert_eq!(t[2].tok, Tok::Punct(">="));
        assert_eq!(t[3].tok, Tok::Number("12.50".into()));
        assert_eq!(t[3].pos, Pos { line: 2, column: 8 });
    }

    #[test]
    fn unreadable_text_is_an_error_with_its_position() {
        let e = lex("x = \"open;\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.column), (1, 5));
        let e = lex("a = 1;\n  /* never").unwrap_err();
        assert_eq!((e.pos.line, e.pos.column), (2, 3));
        let e = lex("s = \u{201c}x\u{201d};").unwrap_err();
        assert!(e.message.contains("typographic"), "{}", e.message);
        assert_eq!(lex("a # b").unwrap_err().pos.column, 3);
    }
}
