//! The organization's opening balances (`/settings/openingbalances`), as Zoho's Opening
//! Balance API documents them: one object per organization, not a collection.
//!
//! - `POST` creates it: `date` (`yyyy-MM-dd`) is required, and each of `accounts` needs
//!   `debit_or_credit` (`debit` or `credit`), an `account_id` of the chart of accounts and an
//!   `amount`; `exchange_rate` must be above zero when given. The answer is Zoho's
//!   `{"code": 0, "message": "The opening balances are saved!", "opening_balance": {...}}`.
//! - `PUT` replaces it; the body must carry its `opening_balance_id` (documented required).
//! - `GET` answers it (`"message": "success"`); `DELETE` removes it ("The entered opening
//!   balance has been deleted.").
//!
//! The stored object has the documented shape (`opening_balance_id`, `date`,
//! `price_precision`, `accounts` each with `acount_split_id` — Zoho's spelling —
//! `account_id`, `account_name`, `debit_or_credit`, `exchange_rate`, `currency_code`,
//! `bcy_amount`, `amount`; `total`), so that a general ledger can post it as Zoho does: each
//! account on its side, the difference between debits and credits to Opening Balance
//! Adjustments (Zoho Books help, "Opening Balances").
//!
//! Simulator choices where Zoho's page is silent: a `POST` while one is saved is refused with
//! 400 / 2 naming `opening_balance_id` (the caller reads it and sends a `PUT`); a `GET` with
//! none saved answers `opening_balance` without an id and with no accounts; a `DELETE` with
//! none is 404 / 1002; `total` is the sum of the debit side in the base currency (the page's
//! example, 10000 for one debit of 2000, does not show how it is made).

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::money;
use crate::resources::Kind;
use crate::rules::entities::{Ctx, parse_id};
use crate::rules::reply::{Answer, Reply};
use crate::store::{OrgData, Record, text};
use crate::time;

/// The label of "does not exist." answers.
const LABEL: &str = "Opening balance";

/// Answers one call to `/settings/openingbalances`.
pub(crate) fn answer(
    data: &mut OrgData,
    ctx: &Ctx<'_>,
    method: &str,
    body: Option<Record>,
) -> Answer {
    match method {
        "GET" => {
            let ob = data.opening_balance.clone().unwrap_or_else(|| empty(ctx));
            Ok(Reply::json(
                200,
                &json!({"code": 0, "message": "success", "opening_balance": ob}),
            ))
        }
        "POST" => {
            if data.opening_balance.is_some() {
                return Err(Reply::invalid("opening_balance_id"));
            }
            let ob = build(data, ctx, &body.unwrap_or_default(), None)?;
            Ok(saved(data, ob))
        }
        "PUT" => {
            let body = body.unwrap_or_default();
            let given = text(&body, "opening_balance_id")
                .ok_or_else(|| Reply::invalid("opening_balance_id"))?;
            let current = data
                .opening_balance
                .as_ref()
                .and_then(|ob| text(ob, "opening_balance_id"))
                .ok_or_else(|| Reply::not_found(LABEL))?;
            if given != current {
                return Err(Reply::invalid("opening_balance_id"));
            }
            let ob = build(data, ctx, &body, Some(current))?;
            Ok(saved(data, ob))
        }
        "DELETE" => {
            if data.opening_balance.take().is_none() {
                return Err(Reply::not_found(LABEL));
            }
            Ok(Reply::json(
                200,
                &json!({"code": 0, "message": "The entered opening balance has been deleted."}),
            ))
        }
        _ => Err(Reply::method_not_allowed()),
    }
}

fn saved(data: &mut OrgData, ob: Record) -> Reply {
    let reply = Reply::json(
        200,
        &json!({"code": 0, "message": "The opening balances are saved!", "opening_balance": &ob}),
    );
    data.opening_balance = Some(ob);
    reply
}

fn empty(ctx: &Ctx<'_>) -> Record {
    let Value::Object(m) = json!({
        "date": time::date(ctx.now),
        "price_precision": 2,
        "accounts": [],
        "total": 0,
    }) else {
        return Map::new();
    };
    m
}

/// The stored object of a `POST` or `PUT` body, checked as the page documents.
fn build(
    data: &OrgData,
    ctx: &Ctx<'_>,
    body: &Record,
    id: Option<String>,
) -> Result<Record, Reply> {
    let date = text(body, "date").ok_or_else(|| Reply::invalid("date"))?;
    if !time::is_date(&date) {
        return Err(Reply::invalid("date"));
    }
    let lines = match body.get("accounts") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(Reply::invalid("accounts")),
    };
    let mut accounts = Vec::with_capacity(lines.len());
    let mut total = Decimal::ZERO;
    for line in lines {
        let Value::Object(line) = line else {
            return Err(Reply::invalid("accounts"));
        };
        let side = text(&line, "debit_or_credit")
            .filter(|s| s == "debit" || s == "credit")
            .ok_or_else(|| Reply::invalid("debit_or_credit"))?;
        let account_id = text(&line, "account_id").ok_or_else(|| Reply::invalid("account_id"))?;
        let account = parse_id(&account_id)
            .and_then(|id| data.get(Kind::ChartOfAccounts, id))
            .ok_or_else(|| {
                Reply::zoho(
                    crate::choices::BAD_REQUEST_STATUS,
                    crate::choices::UNKNOWN_ACCOUNT_CODE,
                    "Invalid value passed for account_id",
                )
            })?;
        let amount = line
            .get("amount")
            .and_then(money::parse)
            .filter(|a| *a >= Decimal::ZERO)
            .ok_or_else(|| Reply::invalid("amount"))?;
        let rate = match line.get("exchange_rate") {
            None | Some(Value::Null) => Decimal::ONE,
            Some(v) => money::parse(v)
                .filter(|r| *r > Decimal::ZERO)
                .ok_or_else(|| Reply::invalid("exchange_rate"))?,
        };
        let bcy = money::cents(amount * rate);
        if side == "debit" {
            total += bcy;
        }
        let split = text(&line, "acount_split_id").unwrap_or_else(|| next_id(ctx));
        accounts.push(json!({
            "acount_split_id": split,
            "account_id": account_id,
            "account_name": account.get("account_name").cloned().unwrap_or(Value::Null),
            "debit_or_credit": side,
            "exchange_rate": money::to_json(rate),
            "currency_code": account
                .get("currency_code")
                .cloned()
                .unwrap_or_else(|| Value::String(ctx.org.currency_code.clone())),
            "bcy_amount": money::to_json(bcy),
            "amount": money::to_json(amount),
        }));
    }
    let Value::Object(ob) = json!({
        "opening_balance_id": id.unwrap_or_else(|| next_id(ctx)),
        "date": date,
        "price_precision": 2,
        "accounts": accounts,
        "total": money::to_json(total),
    }) else {
        return Err(Reply::invalid("accounts"));
    };
    Ok(ob)
}

fn next_id(ctx: &Ctx<'_>) -> String {
    ctx.ids
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        .to_string()
}
