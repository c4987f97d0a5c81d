//! `src/generated.rs` must be exactly what Zoho's OpenAPI files generate (up to formatting:
//! `cargo fmt` may lay the file out its own way).

use crate::openapi;

/// The text without whitespace and without trailing commas, so rustfmt's layout does not count.
fn normalized(text: &str) -> String {
    let compact: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    compact
        .replace(",)", ")")
        .replace(",]", "]")
        .replace(",}", "}")
}

#[test]
fn generated_module_matches_zoho_openapi_files() {
    let expected = openapi::generate();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.rs");
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        normalized(&actual) == normalized(&expected),
        "src/generated.rs has drifted from spec/zoho-openapi: run `cargo xtask regen` and review \
         the diff"
    );
}
