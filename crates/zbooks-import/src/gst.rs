//! India's GST vocabulary as Zoho Books spells it: Zoho's own two-letter state codes (which
//! differ from ISO and vehicle codes for AD, CG, OD, TS, UK, LA, DN, OT), the GSTIN prefix
//! that gives a state, and the derivation of `gst_treatment` from Tally's registration type
//! (tally-reference.md §11.2).

/// Zoho's state codes by GSTIN state number (tally-reference.md §11.2, Zoho's
/// valid-state-codes list).
const STATES: &[(&str, &str, &str)] = &[
    ("01", "JK", "Jammu and Kashmir"),
    ("02", "HP", "Himachal Pradesh"),
    ("03", "PB", "Punjab"),
    ("04", "CH", "Chandigarh"),
    ("05", "UK", "Uttarakhand"),
    ("06", "HR", "Haryana"),
    ("07", "DL", "Delhi"),
    ("08", "RJ", "Rajasthan"),
    ("09", "UP", "Uttar Pradesh"),
    ("10", "BR", "Bihar"),
    ("11", "SK", "Sikkim"),
    ("12", "AR", "Arunachal Pradesh"),
    ("13", "NL", "Nagaland"),
    ("14", "MN", "Manipur"),
    ("15", "MZ", "Mizoram"),
    ("16", "TR", "Tripura"),
    ("17", "ML", "Meghalaya"),
    ("18", "AS", "Assam"),
    ("19", "WB", "West Bengal"),
    ("20", "JH", "Jharkhand"),
    ("21", "OD", "Odisha"),
    ("22", "CG", "Chhattisgarh"),
    ("23", "MP", "Madhya Pradesh"),
    ("24", "GJ", "Gujarat"),
    ("25", "DN", "Daman and Diu"),
    ("26", "DN", "Dadra and Nagar Haveli and Daman and Diu"),
    ("27", "MH", "Maharashtra"),
    ("29", "KA", "Karnataka"),
    ("30", "GA", "Goa"),
    ("31", "LD", "Lakshadweep"),
    ("32", "KL", "Kerala"),
    ("33", "TN", "Tamil Nadu"),
    ("34", "PY", "Puducherry"),
    ("35", "AN", "Andaman and Nicobar Islands"),
    ("36", "TS", "Telangana"),
    ("37", "AD", "Andhra Pradesh"),
    ("38", "LA", "Ladakh"),
    ("97", "OT", "Other Territory"),
];

/// Other spellings Tally data uses for the same states.
const ALIASES: &[(&str, &str)] = &[
    ("orissa", "OD"),
    ("pondicherry", "PY"),
    ("uttaranchal", "UK"),
    ("dadra and nagar haveli", "DN"),
    ("new delhi", "DL"),
    ("nct of delhi", "DL"),
    ("jammu kashmir", "JK"),
];

fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = if word == "&" { "and" } else { word };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// Zoho's code for a state name ("Uttar Pradesh" → `UP`, "Orissa" → `OD`), or for a code
/// already in Zoho's list.
pub fn state_code(name: &str) -> Option<&'static str> {
    static NAMES: std::sync::LazyLock<Vec<(String, &'static str)>> =
        std::sync::LazyLock::new(|| {
            STATES
                .iter()
                .map(|(_, c, s)| (normalise(s), *c))
                .chain(ALIASES.iter().map(|(a, c)| ((*a).to_owned(), *c)))
                .collect()
        });
    let t = name.trim().trim_start_matches('\u{4}').trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 2
        && let Some((_, code, _)) = STATES.iter().find(|(_, c, _)| c.eq_ignore_ascii_case(t))
    {
        return Some(code);
    }
    // A name already in normal form but for case (every row of a CSV file says
    // "Maharashtra"): compared as it is, without building its normal form (issue 20).
    let bytes = t.as_bytes();
    if bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b' ')
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes.windows(2).any(|w| w == b"  ")
    {
        return NAMES
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(t))
            .map(|(_, c)| *c);
    }
    let n = normalise(&t.replace('&', " and "));
    NAMES.iter().find(|(s, _)| *s == n).map(|(_, c)| *c)
}

/// Zoho's code for the state a GSTIN is registered in (its first two digits).
pub fn state_of_gstin(gstin: &str) -> Option<&'static str> {
    let prefix = gstin.trim().get(..2)?;
    STATES
        .iter()
        .find(|(n, _, _)| *n == prefix)
        .map(|(_, c, _)| *c)
}

/// Whether a string has the shape of a GSTIN: 2 digits, 10-character PAN, entity digit,
/// `Z` (or another letter), check character.
pub fn is_gstin(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 15
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..7].iter().all(u8::is_ascii_uppercase)
        && b[7..11].iter().all(u8::is_ascii_digit)
        && b[11].is_ascii_uppercase()
        && b.iter().all(u8::is_ascii_alphanumeric)
}

/// The place of supply or contact: the GSTIN's state when there is a GSTIN, else the state
/// name's code.
pub fn place(gstin: Option<&str>, state: Option<&str>) -> Option<&'static str> {
    gstin
        .and_then(state_of_gstin)
        .or_else(|| state.and_then(state_code))
}

/// Words that mark a party as a business rather than a consumer.
const BUSINESS_WORDS: &[&str] = &[
    "pvt",
    "private",
    "ltd",
    "limited",
    "llp",
    "industries",
    "industry",
    "traders",
    "trading",
    "enterprises",
    "enterprise",
    "corporation",
    "corp",
    "company",
    "co",
    "agencies",
    "agency",
    "associates",
    "electricals",
    "hardware",
    "products",
    "works",
    "mills",
    "stores",
    "exports",
    "imports",
    "solutions",
    "services",
    "plastic",
    "plastics",
    "inc",
];

/// Zoho's `gst_treatment` for a party (tally-reference.md §11.2): `overseas` outside India,
/// `business_gst` when registered (Regular, Composition, or any GSTIN), else `business_none`
/// when it looks like a business (a PAN or a business word in the name) and `consumer`
/// otherwise. Tally's registration types are open strings (`Unregistered/Consumer` arrived
/// with TallyPrime 3), so anything unknown falls to the unregistered branch.
pub fn treatment(
    registration: Option<&str>,
    gstin: Option<&str>,
    country: Option<&str>,
    has_pan: bool,
    name: &str,
) -> &'static str {
    if let Some(c) = country {
        let c = c.trim().to_lowercase();
        if !c.is_empty() && c != "india" && !c.starts_with('\u{4}') {
            return "overseas";
        }
    }
    let reg = registration.unwrap_or("").trim().to_lowercase();
    if gstin.is_some_and(|g| !g.trim().is_empty())
        || reg == "regular"
        || reg.starts_with("composition")
    {
        return "business_gst";
    }
    if reg.contains("sez") {
        return "business_gst";
    }
    let lower = name.to_lowercase();
    let businesslike = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| BUSINESS_WORDS.contains(&w));
    if has_pan || businesslike {
        "business_none"
    } else {
        "consumer"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `state_code` as it was before its fast paths (issue 20).
    fn state_code_reference(name: &str) -> Option<&'static str> {
        let names: Vec<(String, &'static str)> = STATES
            .iter()
            .map(|(_, c, s)| (normalise(s), *c))
            .chain(ALIASES.iter().map(|(a, c)| ((*a).to_owned(), *c)))
            .collect();
        let t = name.trim().trim_start_matches('\u{4}').trim();
        if t.is_empty() {
            return None;
        }
        if t.len() == 2 {
            let upper = t.to_ascii_uppercase();
            if let Some((_, code, _)) = STATES.iter().find(|(_, c, _)| *c == upper) {
                return Some(code);
            }
        }
        let n = normalise(&t.replace('&', " and "));
        names.iter().find(|(s, _)| *s == n).map(|(_, c)| *c)
    }

    #[test]
    fn state_code_answers_as_before_its_fast_paths() {
        let mut names: Vec<String> = vec![
            String::new(),
            " ".into(),
            "\u{4}Kerala".into(),
            "xx".into(),
            "M H".into(),
            "Jammu & Kashmir".into(),
            "Jammu  and Kashmir".into(),
            "jammu-kashmir".into(),
            "Tamil Nadu ".into(),
            "Tamil\u{a0}Nadu".into(),
            "Maharashtra1".into(),
            "Ørissa".into(),
        ];
        for (_, code, name) in STATES {
            for n in [*code, *name] {
                names.push(n.to_owned());
                names.push(n.to_lowercase());
                names.push(n.to_uppercase());
                names.push(format!(" {n}\t"));
                names.push(n.replace(' ', "  "));
                names.push(n.replace(" and ", " & "));
            }
        }
        for (alias, _) in ALIASES {
            names.push((*alias).to_owned());
            names.push(alias.to_uppercase());
        }
        for n in &names {
            assert_eq!(state_code(n), state_code_reference(n), "{n:?}");
        }
    }

    #[test]
    fn uses_zohos_own_codes() {
        assert_eq!(state_code("Uttar Pradesh"), Some("UP"));
        assert_eq!(state_code("Odisha"), Some("OD"));
        assert_eq!(state_code("Orissa"), Some("OD"));
        assert_eq!(state_code("Telangana"), Some("TS"));
        assert_eq!(state_code("Andhra Pradesh"), Some("AD"));
        assert_eq!(state_code("Jammu & Kashmir"), Some("JK"));
        assert_eq!(state_code("Andaman & Nicobar Islands"), Some("AN"));
        assert_eq!(state_code("\u{4} Any"), None);
        assert_eq!(state_of_gstin("27BQRPJ7315K1ZA"), Some("MH"));
        assert_eq!(state_of_gstin("06AFAPM5726L1ZB"), Some("HR"));
        assert_eq!(place(None, Some("Gujarat")), Some("GJ"));
    }

    #[test]
    fn derives_gst_treatment() {
        assert_eq!(
            treatment(
                Some("Regular"),
                Some("27BQRPJ7315K1ZA"),
                Some("India"),
                true,
                "A"
            ),
            "business_gst"
        );
        assert_eq!(
            treatment(
                Some("Unregistered/Consumer"),
                None,
                Some("India"),
                false,
                "Ramesh Kumar"
            ),
            "consumer"
        );
        assert_eq!(
            treatment(
                Some("Unregistered/Consumer"),
                None,
                Some("India"),
                true,
                "Virendra Singh"
            ),
            "business_none"
        );
        assert_eq!(treatment(None, None, Some("Nepal"), false, "X"), "overseas");
        assert!(is_gstin("09AAACU4543P1ZT"));
        assert!(!is_gstin("09AAACU4543P1Z"));
    }
}
