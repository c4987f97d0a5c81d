//! Renderings of a [`Report`](crate::report::Report): terminal text and a self-contained HTML page
//! with inline SVG charts. Both are pure functions of the report, returned as strings.

pub(crate) mod html;
mod svg;
mod text;
