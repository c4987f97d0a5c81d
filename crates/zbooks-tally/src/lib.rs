//! TallyPrime, live: a company's masters and vouchers held in memory ([`company`]), Tally's
//! reports over them ([`reports`]), and the tie-out of those reports against Zoho Books'
//! ([`tieout`]).
#![warn(missing_docs)]

pub mod company;
pub mod reports;
pub mod tieout;

pub use company::Company;
