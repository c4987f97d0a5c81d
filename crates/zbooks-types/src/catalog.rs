//! The Zoho error catalog (being written).
