//! The syntax tree of a Deluge script: what the parser builds and the rules read. Every node
//! that a finding can point at carries its [`Pos`].

use std::fmt;

/// A place in a script: line and column, both from 1 (a column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Text that is not Deluge, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// What it expected or found, as a lowercase fragment.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(pos: Pos, message: impl Into<String>) -> Self {
        ParseError {
            pos,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A whole script: the statements at its top, and the functions it defines (a file may hold a
/// function with its header, `map invoice.check(map invoice, map organization) { … }`, or only
/// the body Zoho's editor shows).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    /// Statements outside any function.
    pub body: Vec<Stmt>,
    /// Functions defined with a header.
    pub functions: Vec<Function>,
}

/// A function with its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The return type: `void`, `map`, `string` …
    pub return_type: String,
    /// The dotted name: `invoice.check`.
    pub name: String,
    /// The parameters, each a type and a name.
    pub params: Vec<(String, String)>,
    /// The body.
    pub body: Vec<Stmt>,
    /// Where the header starts.
    pub pos: Pos,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `x = e;`, `x += e;`, `input.Field = e;`
    Assign {
        /// What is assigned to.
        target: Expr,
        /// `=`, `+=`, `-=`, `*=`, `/=`, `%=`.
        op: &'static str,
        /// The value.
        value: Expr,
        /// Where the statement starts.
        pos: Pos,
    },
    /// An expression whose value is dropped: `m.put("k", v);`, `zoho.books.updateRecord(…);`
    Expr(Expr),
    /// `info e;`
    Info {
        /// What is logged.
        value: Expr,
        /// Where `info` is.
        pos: Pos,
    },
    /// `return e;` or `return;`
    Return {
        /// The value, if any.
        value: Option<Expr>,
        /// Where `return` is.
        pos: Pos,
    },
    /// `if (c) { … } else if (c) { … } else { … }`, each `else if` nested in `otherwise`.
    If {
        /// The condition.
        cond: Expr,
        /// The block run when it holds.
        then: Vec<Stmt>,
        /// The `else` block (an `else if` is an `If` alone in it).
        otherwise: Option<Vec<Stmt>>,
        /// Where `if` is.
        pos: Pos,
    },
    /// `for each [index] v in e { … }`
    ForEach {
        /// The loop variable.
        var: String,
        /// Whether it is `for each index`.
        index: bool,
        /// What is iterated.
        iterable: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// Where `for` is.
        pos: Pos,
    },
    /// `while (c) { … }`
    While {
        /// The condition.
        cond: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// Where `while` is.
        pos: Pos,
    },
    /// `try { … } catch (e) { … }`
    Try {
        /// The guarded block.
        body: Vec<Stmt>,
        /// The name the error is bound to.
        var: String,
        /// The handler.
        catch: Vec<Stmt>,
        /// Where `try` is.
        pos: Pos,
    },
    /// `sendmail [ from: … to: … subject: … message: … ]`
    SendMail {
        /// The block's keys and values.
        params: Vec<Param>,
        /// Where `sendmail` is.
        pos: Pos,
    },
    /// `break;`
    Break(Pos),
    /// `continue;`
    Continue(Pos),
}

/// A `key: value` line of an `invokeurl [ … ]` or `sendmail [ … ]` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The key as written, lowercased: `url`, `content-type`, `reply to`.
    pub key: String,
    /// The value.
    pub value: Expr,
    /// Where the key is.
    pub pos: Pos,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A name.
    Ident(String, Pos),
    /// A number as written.
    Number(String, Pos),
    /// A string, escapes resolved.
    Str(String, Pos),
    /// `true` or `false`.
    Bool(bool, Pos),
    /// `null`.
    Null(Pos),
    /// `{ "k": v, … }`
    Map(Vec<(Expr, Expr)>, Pos),
    /// `{ a, b }` or `[ a, b ]`
    List(Vec<Expr>, Pos),
    /// `a.b`
    Member {
        /// The left side.
        object: Box<Expr>,
        /// The name after the dot.
        name: String,
        /// Where the name is.
        pos: Pos,
    },
    /// `f(a, b)`, `m.get("k")`, `zoho.books.createRecord(…)`
    Call {
        /// What is called.
        callee: Box<Expr>,
        /// The arguments.
        args: Vec<Expr>,
        /// Where the call starts.
        pos: Pos,
    },
    /// `a op b`
    Binary {
        /// The operator: `+`, `==`, `&&` …
        op: &'static str,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
        /// Where the left operand starts.
        pos: Pos,
    },
    /// `!a`, `-a`
    Unary {
        /// The operator.
        op: &'static str,
        /// The operand.
        operand: Box<Expr>,
        /// Where the operator is.
        pos: Pos,
    },
    /// `invokeurl [ url: … type: … ]`
    InvokeUrl {
        /// The block's keys and values.
        params: Vec<Param>,
        /// Where `invokeurl` is.
        pos: Pos,
    },
}

impl Expr {
    /// Where the expression starts.
    pub fn pos(&self) -> Pos {
        match self {
            Expr::Ident(_, p)
            | Expr::Number(_, p)
            | Expr::Str(_, p)
            | Expr::Bool(_, p)
            | Expr::Null(p)
            | Expr::Map(_, p)
            | Expr::List(_, p)
            | Expr::Member { pos: p, .. }
            | Expr::Call { pos: p, .. }
            | Expr::Binary { pos: p, .. }
            | Expr::Unary { pos: p, .. }
            | Expr::InvokeUrl { pos: p, .. } => *p,
        }
    }

    /// The dotted name of a plain path: `zoho.books.createRecord` for that member chain, `x`
    /// for a name; `None` for anything else.
    pub fn path(&self) -> Option<String> {
        match self {
            Expr::Ident(name, _) => Some(name.clone()),
            Expr::Member { object, name, .. } => object.path().map(|p| format!("{p}.{name}")),
            _ => None,
        }
    }

    /// Every expression inside this one, itself first (depth first, in source order).
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        visit(self);
        match self {
            Expr::Map(pairs, _) => {
                for (k, v) in pairs {
                    k.walk(visit);
                    v.walk(visit);
                }
            }
            Expr::List(items, _) => {
                for item in items {
                    item.walk(visit);
                }
            }
            Expr::Member { object, .. } => object.walk(visit),
            Expr::Call { callee, args, .. } => {
                callee.walk(visit);
                for a in args {
                    a.walk(visit);
                }
            }
            Expr::Binary { left, right, .. } => {
                left.walk(visit);
                right.walk(visit);
            }
            Expr::Unary { operand, .. } => operand.walk(visit),
            Expr::InvokeUrl { params, .. } => {
                for p in params {
                    p.value.walk(visit);
                }
            }
            Expr::Ident(..)
            | Expr::Number(..)
            | Expr::Str(..)
            | Expr::Bool(..)
            | Expr::Null(..) => {}
        }
    }
}

impl Stmt {
    /// Where the statement starts.
    pub fn pos(&self) -> Pos {
        match self {
            Stmt::Assign { pos, .. }
            | Stmt::Info { pos, .. }
            | Stmt::Return { pos, .. }
            | Stmt::If { pos, .. }
            | Stmt::ForEach { pos, .. }
            | Stmt::While { pos, .. }
            | Stmt::Try { pos, .. }
            | Stmt::SendMail { pos, .. }
            | Stmt::Break(pos)
            | Stmt::Continue(pos) => *pos,
            Stmt::Expr(e) => e.pos(),
        }
    }

    /// The expressions written directly in this statement (not in its blocks).
    pub fn exprs(&self) -> Vec<&Expr> {
        match self {
            Stmt::Assign { target, value, .. } => vec![target, value],
            Stmt::Expr(e) | Stmt::Info { value: e, .. } => vec![e],
            Stmt::Return { value, .. } => value.iter().collect(),
            Stmt::If { cond, .. } | Stmt::While { cond, .. } => vec![cond],
            Stmt::ForEach { iterable, .. } => vec![iterable],
            Stmt::SendMail { params, .. } => params.iter().map(|p| &p.value).collect(),
            Stmt::Try { .. } | Stmt::Break(_) | Stmt::Continue(_) => Vec::new(),
        }
    }

    /// The blocks nested in this statement.
    pub fn blocks(&self) -> Vec<&[Stmt]> {
        match self {
            Stmt::If {
                then, otherwise, ..
            } => {
                let mut b = vec![then.as_slice()];
                if let Some(o) = otherwise {
                    b.push(o.as_slice());
                }
                b
            }
            Stmt::ForEach { body, .. } | Stmt::While { body, .. } => vec![body.as_slice()],
            Stmt::Try { body, catch, .. } => vec![body.as_slice(), catch.as_slice()],
            _ => Vec::new(),
        }
    }
}

/// Every statement in `stmts` and in their blocks, outer first, in source order.
pub fn walk_stmts<'a>(stmts: &'a [Stmt], visit: &mut dyn FnMut(&'a Stmt)) {
    for s in stmts {
        visit(s);
        for block in s.blocks() {
            walk_stmts(block, visit);
        }
    }
}
