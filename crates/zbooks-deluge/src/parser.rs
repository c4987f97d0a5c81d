//! Tokens to a [`Script`]: a recursive-descent parser for Deluge's statements and expressions,
//! with the two bracketed task blocks (`invokeurl [ … ]`, `sendmail [ … ]`) whose keys may hold
//! hyphens (`content-type`) or spaces (`reply to`) and whose lines need no commas.
//!
//! Sources for the syntax: Zoho's Deluge help (statements, `for each`, `if`, maps and lists,
//! `invokeurl`, `sendmail`) and the open grammars listed in docs/deluge-checker.md.

use crate::ast::{Expr, Function, Param, ParseError, Pos, Script, Stmt};
use crate::lexer::{Tok, Token, lex};

/// Names that start a statement and so cannot be a function's return type.
const STATEMENT_WORDS: &[&str] = &[
    "if",
    "for",
    "while",
    "try",
    "info",
    "return",
    "break",
    "continue",
    "sendmail",
    "invokeurl",
    "else",
    "catch",
];

/// How deep expressions and blocks may nest before the parser gives up (a hostile file must not
/// overflow the stack).
const MAX_DEPTH: usize = 64;

/// Parses a whole script.
pub fn parse(text: &str) -> Result<Script, ParseError> {
    let tokens = lex(text)?;
    let mut p = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    p.script()
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at.min(self.tokens.len() - 1)].tok
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)].tok
    }

    fn pos(&self) -> Pos {
        self.tokens[self.at.min(self.tokens.len() - 1)].pos
    }

    fn bump(&mut self) -> Token {
        let t = self.tokens[self.at.min(self.tokens.len() - 1)].clone();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        t
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(q) if *q == p)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(n) if n == w)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn found(&self) -> String {
        match self.peek() {
            Tok::Ident(n) => format!("`{n}`"),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Str(_) => "a string".to_owned(),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Eof => "the end of the script".to_owned(),
        }
    }

    fn expect_punct(&mut self, p: &str, after: &str) -> Result<Pos, ParseError> {
        if self.is_punct(p) {
            Ok(self.bump().pos)
        } else {
            Err(ParseError::new(
                self.pos(),
                format!("expected `{p}` {after}, found {}", self.found()),
            ))
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, Pos), ParseError> {
        if let Tok::Ident(n) = self.peek() {
            let n = n.clone();
            let pos = self.bump().pos;
            Ok((n, pos))
        } else {
            Err(ParseError::new(
                self.pos(),
                format!("expected {what}, found {}", self.found()),
            ))
        }
    }

    fn deeper(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                self.pos(),
                format!("nested more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(())
    }

    fn script(&mut self) -> Result<Script, ParseError> {
        let mut script = Script::default();
        while *self.peek() != Tok::Eof {
            if self.at_function_header() {
                script.functions.push(self.function()?);
            } else {
                script.body.push(self.statement()?);
            }
        }
        Ok(script)
    }

    /// `type name.more(` — two names in a row where a statement cannot start so.
    fn at_function_header(&self) -> bool {
        let (Tok::Ident(ty), Tok::Ident(_)) = (self.peek(), self.peek_at(1)) else {
            return false;
        };
        if STATEMENT_WORDS.contains(&ty.as_str()) {
            return false;
        }
        let mut k = 2;
        while matches!(self.peek_at(k), Tok::Punct("."))
            && matches!(self.peek_at(k + 1), Tok::Ident(_))
        {
            k += 2;
        }
        matches!(self.peek_at(k), Tok::Punct("("))
    }

    fn function(&mut self) -> Result<Function, ParseError> {
        let (return_type, pos) = self.ident("a return type")?;
        let (mut name, _) = self.ident("the function's name")?;
        while self.eat_punct(".") {
            let (part, _) = self.ident("the rest of the function's name")?;
            name.push('.');
            name.push_str(&part);
        }
        self.expect_punct("(", "after the function's name")?;
        let mut params = Vec::new();
        while !self.is_punct(")") {
            let (mut ty, _) = self.ident("a parameter's type")?;
            if self.eat_punct(":") {
                let (inner, _) = self.ident("the element type")?;
                ty = format!("{ty}:{inner}");
            }
            let (pname, _) = self.ident("a parameter's name")?;
            params.push((ty, pname));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")", "to close the parameters")?;
        let body = self.block()?;
        Ok(Function {
            return_type,
            name,
            params,
            body,
            pos,
        })
    }

    fn block(&mut self) -> Result<Vec<Stmt>, ParseError> {
        self.deeper()?;
        self.expect_punct("{", "to open a block")?;
        let mut stmts = Vec::new();
        while !self.is_punct("}") {
            if *self.peek() == Tok::Eof {
                return Err(ParseError::new(
                    self.pos(),
                    "a block is never closed with `}`",
                ));
            }
            stmts.push(self.statement()?);
        }
        self.bump();
        self.depth -= 1;
        Ok(stmts)
    }

    fn end_statement(&mut self) -> Result<(), ParseError> {
        self.expect_punct(";", "to end the statement").map(|_| ())
    }

    fn statement(&mut self) -> Result<Stmt, ParseError> {
        let pos = self.pos();
        if let Tok::Ident(word) = self.peek().clone() {
            match word.as_str() {
                "if" => return self.if_statement(),
                "for" => {
                    self.bump();
                    if !self.is_word("each") {
                        return Err(ParseError::new(
                            self.pos(),
                            format!("expected `each` after `for`, found {}", self.found()),
                        ));
                    }
                    self.bump();
                    let index = if self.is_word("index") && matches!(self.peek_at(1), Tok::Ident(_))
                    {
                        self.bump();
                        true
                    } else {
                        false
                    };
                    let (var, _) = self.ident("the loop's variable")?;
                    if !self.is_word("in") {
                        return Err(ParseError::new(
                            self.pos(),
                            format!(
                                "expected `in` after `for each {var}`, found {}",
                                self.found()
                            ),
                        ));
                    }
                    self.bump();
                    let iterable = self.expr()?;
                    let body = self.block()?;
                    return Ok(Stmt::ForEach {
                        var,
                        index,
                        iterable,
                        body,
                        pos,
                    });
                }
                "while" => {
                    self.bump();
                    self.expect_punct("(", "after `while`")?;
                    let cond = self.expr()?;
                    self.expect_punct(")", "to close the condition")?;
                    let body = self.block()?;
                    return Ok(Stmt::While { cond, body, pos });
                }
                "try" => {
                    self.bump();
                    let body = self.block()?;
                    if !self.is_word("catch") {
                        return Err(ParseError::new(
                            self.pos(),
                            format!(
                                "expected `catch` after the `try` block, found {}",
                                self.found()
                            ),
                        ));
                    }
                    self.bump();
                    self.expect_punct("(", "after `catch`")?;
                    let (var, _) = self.ident("the error's name")?;
                    self.expect_punct(")", "after the error's name")?;
                    let catch = self.block()?;
                    return Ok(Stmt::Try {
                        body,
                        var,
                        catch,
                        pos,
                    });
                }
                "info" => {
                    self.bump();
                    let value = self.expr()?;
                    self.end_statement()?;
                    return Ok(Stmt::Info { value, pos });
                }
                "return" => {
                    self.bump();
                    let value = if self.is_punct(";") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.end_statement()?;
                    return Ok(Stmt::Return { value, pos });
                }
                "break" => {
                    self.bump();
                    self.end_statement()?;
                    return Ok(Stmt::Break(pos));
                }
                "continue" => {
                    self.bump();
                    self.end_statement()?;
                    return Ok(Stmt::Continue(pos));
                }
                "sendmail" if matches!(self.peek_at(1), Tok::Punct("[")) => {
                    self.bump();
                    let params = self.task_block("sendmail")?;
                    self.eat_punct(";");
                    return Ok(Stmt::SendMail { params, pos });
                }
                "else" | "catch" => {
                    return Err(ParseError::new(
                        pos,
                        format!(
                            "`{word}` with no `{}` before it",
                            if word == "else" { "if" } else { "try" }
                        ),
                    ));
                }
                _ => {}
            }
        }
        let target = self.expr()?;
        if let Tok::Punct(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=")) = *self.peek() {
            if !matches!(target, Expr::Ident(..) | Expr::Member { .. }) {
                return Err(ParseError::new(
                    target.pos(),
                    format!("`{op}` needs a name on its left"),
                ));
            }
            self.bump();
            let value = self.expr()?;
            // `x = invokeurl [ … ];` — the `;` after the block is customary but Zoho accepts
            // the block's `]` as the end.
            if matches!(value, Expr::InvokeUrl { .. }) {
                self.eat_punct(";");
            } else {
                self.end_statement()?;
            }
            return Ok(Stmt::Assign {
                target,
                op,
                value,
                pos,
            });
        }
        if matches!(target, Expr::InvokeUrl { .. }) {
            self.eat_punct(";");
        } else {
            self.end_statement()?;
        }
        Ok(Stmt::Expr(target))
    }

    fn if_statement(&mut self) -> Result<Stmt, ParseError> {
        let pos = self.bump().pos;
        self.expect_punct("(", "after `if`")?;
        let cond = self.expr()?;
        self.expect_punct(")", "to close the condition")?;
        let then = self.block()?;
        let otherwise = if self.is_word("else") {
            self.bump();
            if self.is_word("if") {
                Some(vec![self.if_statement()?])
            } else {
                Some(self.block()?)
            }
        } else {
            None
        };
        Ok(Stmt::If {
            cond,
            then,
            otherwise,
            pos,
        })
    }

    /// `[ key: value … ]` of `invokeurl` and `sendmail`: keys of words joined by `-` or spaces,
    /// one pair a line, commas allowed between them.
    fn task_block(&mut self, task: &str) -> Result<Vec<Param>, ParseError> {
        self.deeper()?;
        self.expect_punct("[", &format!("after `{task}`"))?;
        let mut params = Vec::new();
        loop {
            while self.eat_punct(",") {}
            if self.eat_punct("]") {
                break;
            }
            let (first, pos) = self.ident(&format!("a key of the `{task}` block, or `]`"))?;
            let mut key = first.to_ascii_lowercase();
            loop {
                if self.eat_punct("-") {
                    let (more, _) = self.ident("the rest of the key")?;
                    key.push('-');
                    key.push_str(&more.to_ascii_lowercase());
                } else if let Tok::Ident(more) = self.peek().clone() {
                    self.bump();
                    key.push(' ');
                    key.push_str(&more.to_ascii_lowercase());
                } else {
                    break;
                }
            }
            self.expect_punct(":", &format!("after the key `{key}`"))?;
            let value = self.expr()?;
            params.push(Param { key, value, pos });
        }
        self.depth -= 1;
        Ok(params)
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.deeper()?;
        let e = self.binary(0);
        self.depth -= 1;
        e
    }

    fn binary(&mut self, level: usize) -> Result<Expr, ParseError> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        while let Tok::Punct(op) = *self.peek() {
            if !ops.contains(&op) {
                break;
            }
            self.bump();
            let right = self.binary(level + 1)?;
            let pos = left.pos();
            left = Expr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
                pos,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if let Tok::Punct(op @ ("!" | "-")) = *self.peek() {
            let pos = self.bump().pos;
            self.deeper()?;
            let operand = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Unary {
                op,
                operand: Box::new(operand),
                pos,
            });
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.primary()?;
        loop {
            if self.is_punct(".") {
                self.bump();
                let (name, pos) = self.ident("a name after `.`")?;
                e = Expr::Member {
                    object: Box::new(e),
                    name,
                    pos,
                };
            } else if self.is_punct("(") {
                self.bump();
                let args = self.args(")")?;
                let pos = e.pos();
                e = Expr::Call {
                    callee: Box::new(e),
                    args,
                    pos,
                };
            } else {
                return Ok(e);
            }
        }
    }

    /// Comma-separated expressions up to `close` (consumed).
    fn args(&mut self, close: &str) -> Result<Vec<Expr>, ParseError> {
        let mut args = Vec::new();
        if self.eat_punct(close) {
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            if self.eat_punct(",") {
                continue;
            }
            self.expect_punct(close, "to close the list")?;
            return Ok(args);
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let token = self.bump();
        let pos = token.pos;
        match token.tok {
            Tok::Number(n) => Ok(Expr::Number(n, pos)),
            Tok::Str(s) => Ok(Expr::Str(s, pos)),
            Tok::Ident(name) => match name.as_str() {
                "true" => Ok(Expr::Bool(true, pos)),
                "false" => Ok(Expr::Bool(false, pos)),
                "null" => Ok(Expr::Null(pos)),
                "invokeurl" if self.is_punct("[") => {
                    let params = self.task_block("invokeurl")?;
                    Ok(Expr::InvokeUrl { params, pos })
                }
                // A typed collection: `List:String()`, `Map:String()`.
                "List" | "list" | "Map" | "map" | "Collection"
                    if self.is_punct(":") && matches!(self.peek_at(1), Tok::Ident(_)) =>
                {
                    self.bump();
                    let (inner, _) = self.ident("the element type")?;
                    Ok(Expr::Ident(format!("{name}:{inner}"), pos))
                }
                _ => Ok(Expr::Ident(name, pos)),
            },
            Tok::Punct("(") => {
                let e = self.expr()?;
                self.expect_punct(")", "to close the parenthesis")?;
                Ok(e)
            }
            Tok::Punct("[") => Ok(Expr::List(self.args("]")?, pos)),
            Tok::Punct("{") => self.brace(pos),
            other => {
                self.at -= 1;
                Err(ParseError::new(
                    pos,
                    format!(
                        "expected a value, found {}",
                        match other {
                            Tok::Punct(p) => format!("`{p}`"),
                            _ => "the end of the script".to_owned(),
                        }
                    ),
                ))
            }
        }
    }

    /// `{ }` is a map or a list: `{"k": v, …}` or `{a, b}`.
    fn brace(&mut self, pos: Pos) -> Result<Expr, ParseError> {
        if self.eat_punct("}") {
            return Ok(Expr::Map(Vec::new(), pos));
        }
        let first = self.expr()?;
        if self.eat_punct(":") {
            let mut pairs = vec![(first, self.expr()?)];
            while self.eat_punct(",") {
                if self.is_punct("}") {
                    break;
                }
                let k = self.expr()?;
                self.expect_punct(":", "between a key and its value")?;
                pairs.push((k, self.expr()?));
            }
            self.expect_punct("}", "to close the map")?;
            return Ok(Expr::Map(pairs, pos));
        }
        let mut items = vec![first];
        while self.eat_punct(",") {
            if self.is_punct("}") {
                break;
            }
            items.push(self.expr()?);
        }
        self.expect_punct("}", "to close the list")?;
        Ok(Expr::List(items, pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invokeurl_block_with_hyphenated_keys_and_no_commas() {
        let s = parse(
            "resp = invokeurl\n[\n  url: \"https://x/\" + id\n  type: POST\n  content-type: \"application/json\"\n  connection: \"books\"\n];\n",
        )
        .unwrap();
        let Stmt::Assign {
            value: Expr::InvokeUrl { params, pos },
            ..
        } = &s.body[0]
        else {
            panic!("{s:?}")
        };
        assert_eq!(*pos, Pos { line: 1, column: 8 });
        let keys: Vec<&str> = params.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["url", "type", "content-type", "connection"]);
        assert_eq!(params[2].pos, Pos { line: 5, column: 3 });
    }

    #[test]
    fn a_function_with_its_header_and_control_flow() {
        let s = parse(
            "map invoice.check(map invoice, map organization)\n{\n  for each index i in {1,2}\n  {\n    if (i == 1) { continue; } else if (i > 5) { break; } else { info i; }\n  }\n  try { x = {\"a\": [1, 2], \"b\": -1}; } catch (e) { info e; }\n  sendmail\n  [\n    from: zoho.adminuserid\n    to: \"a@b.c\"\n    reply to: \"x@y.z\"\n    subject: \"s\"\n    message: \"m\"\n  ]\n  return {\"ok\": true};\n}\n",
        )
        .unwrap();
        let f = &s.functions[0];
        assert_eq!(f.name, "invoice.check");
        assert_eq!(f.params[1], ("map".into(), "organization".into()));
        assert!(matches!(f.body[0], Stmt::ForEach { index: true, .. }));
        assert!(matches!(f.body[1], Stmt::Try { .. }));
        let Stmt::SendMail { params, .. } = &f.body[2] else {
            panic!()
        };
        assert_eq!(params[2].key, "reply to");
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        let e = parse("a = 1\nb = 2;").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, column: 1 });
        assert!(e.message.contains("expected `;`"), "{e}");
        let e = parse("if (x) { y = 1;").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = parse("for each x { }").unwrap_err();
        assert!(e.message.contains("`in`"), "{e}");
        let deep = format!("x = {}1{};", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn precedence_binds_comparison_tighter_than_and() {
        let s = parse("x = a.get(\"code\") == 0 && !b || c;").unwrap();
        let Stmt::Assign {
            value: Expr::Binary { op, left, .. },
            ..
        } = &s.body[0]
        else {
            panic!()
        };
        assert_eq!(*op, "||");
        assert!(matches!(**left, Expr::Binary { op: "&&", .. }));
    }
}
