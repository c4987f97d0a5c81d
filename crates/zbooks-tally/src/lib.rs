//! TallyPrime, live: a company's masters and vouchers held in memory ([`company`]), and Tally's
//! reports over them ([`reports`]).
#![warn(missing_docs)]

pub mod company;
pub mod reports;

pub use company::Company;
