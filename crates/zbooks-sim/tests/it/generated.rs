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
    if normalized(&actual) != normalized(&expected) {
        if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::write(path, &expected).expect("write src/generated.rs");
            return;
        }
        panic!(
            "src/generated.rs has drifted from shared/zoho-openapi; regenerate it with \
             `UPDATE_GENERATED=1 cargo test -p zbooks-sim --test it generated`, run cargo fmt \
             and review the diff"
        );
    }
}
