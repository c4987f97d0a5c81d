//! Money in decimal.
//!
//! Invoice and bill sums must come out exactly as an accountant adds them, so amounts are
//! `rust_decimal::Decimal` from the moment they are read until they are written: JSON numbers
//! and numeric strings are parsed as decimal text (never through `f64` arithmetic), sums are
//! rounded to two places half away from zero, and only the final two-decimal figure is written
//! as a JSON number (a two-decimal figure below 2^53 cents prints back exactly).

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

/// The amount in a JSON value (a number or numeric text); `None` when it is not one.
pub(crate) fn parse(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        Value::String(s) if !s.trim().is_empty() => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

/// `amount` rounded to cents.
pub(crate) fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal as a JSON number.
pub(crate) fn to_json(amount: Decimal) -> Value {
    let text = amount.normalize().to_string();
    crate::shape::number_from_str(&text).unwrap_or_else(|| Value::from(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sums_in_decimal_not_binary_floating_point() {
        let a = parse(&json!(0.1)).unwrap();
        let b = parse(&json!("0.2")).unwrap();
        assert_eq!(to_json(a + b), json!(0.3));
        assert_eq!(cents(parse(&json!(2.675)).unwrap()).to_string(), "2.68");
        assert_eq!(to_json(parse(&json!(120)).unwrap()), json!(120));
        assert!(parse(&json!("abc")).is_none());
        assert!(parse(&json!(null)).is_none());
    }
}
