//! The one place that reads the environment (STYLE.md, "Time, randomness, environment").

/// Whether `NO_COLOR` is set to anything non-empty (<https://no-color.org>).
pub(crate) fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
