//! What Zoho accepts and how it answers: the documented request schemas a body is checked
//! against (`validate`), each entity's business rules (`entities`), the values Zoho fills in
//! (`complete`), the keys its answers carry beyond its OpenAPI files (`observed`), and the one
//! shape every answer and refusal takes (`reply`).
//!
//! Rules read and change the books (`store`) but know no route or socket: `http` calls them.
//! The documented key sets (`shape`) stay at the crate root, below the generated tables and the
//! resource table that the rules read.

pub(crate) mod complete;
pub(crate) mod entities;
pub(crate) mod observed;
pub(crate) mod opening;
pub(crate) mod reply;
pub(crate) mod validate;
