//! `zbooks logs`.

pub mod analyze;
