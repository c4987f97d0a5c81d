//! How the values a person reads come out in JSON, the same in every command's output
//! (the CLI's `--format json`, docs/reference/json.md): money as a decimal string with at least
//! two decimals (`"853545.00"`, never `853545` beside `"853545.00"`), durations as seconds (a
//! number, never `{"secs", "nanos"}`). Reading accepts the older shapes too, so a journal
//! written by an earlier version (a saved plan, saved totals) still reads.

/// Money: serialized as a decimal string with at least two decimals (more when the amount has
/// them); read from a string or a number.
pub mod money {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// `amount` with at least two decimals.
    pub fn text(amount: Decimal) -> String {
        let mut d = amount.normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        d.to_string()
    }

    /// Writes `amount` as [`text`].
    pub fn serialize<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&text(*amount))
    }

    /// Reads a string or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        // rust_decimal's own reader takes both shapes.
        <Decimal as Deserialize>::deserialize(d)
    }
}

/// A duration: serialized as seconds (a number, fractions kept); read from seconds or from the
/// `{"secs": .., "nanos": ..}` object earlier versions wrote.
pub mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Seconds(f64),
        Parts { secs: u64, nanos: u32 },
    }

    /// Writes `d` as seconds.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    /// Reads seconds, or the older `{secs, nanos}`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        match Either::deserialize(d)? {
            Either::Seconds(s) => Duration::try_from_secs_f64(s).map_err(serde::de::Error::custom),
            Either::Parts { secs, nanos } => Ok(Duration::new(secs, nanos)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Both {
        #[serde(with = "super::money")]
        amount: Decimal,
        #[serde(with = "super::seconds")]
        took: Duration,
    }

    #[test]
    fn money_has_two_decimals_at_least_and_durations_are_seconds() {
        for (amount, text) in [
            (Decimal::new(853_545, 0), "853545.00"),
            (Decimal::new(85_354_500, 2), "853545.00"),
            (Decimal::new(12_345, 3), "12.345"),
            (Decimal::new(-5, 1), "-0.50"),
        ] {
            let v = serde_json::to_value(Both {
                amount,
                took: Duration::from_millis(1500),
            })
            .unwrap();
            assert_eq!(v, json!({"amount": text, "took": 1.5}));
        }
    }

    #[test]
    fn older_shapes_still_read() {
        let old: Both =
            serde_json::from_value(json!({"amount": 853_545, "took": {"secs": 272, "nanos": 0}}))
                .unwrap();
        assert_eq!(old.amount, Decimal::new(853_545, 0));
        assert_eq!(old.took, Duration::from_secs(272));
        let new: Both = serde_json::from_value(json!({"amount": "10.50", "took": 2.25})).unwrap();
        assert_eq!(new.took, Duration::from_millis(2250));
    }
}
