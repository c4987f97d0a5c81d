//! TallyPrime, live: a company's masters and vouchers held in memory ([`company`]), Tally's
//! reports over them ([`reports`]), the client that pulls a company from a running TallyPrime
//! ([`live`]), a Tally simulator that answers its requests for the tests ([`sim`]), and the
//! tie-out of those reports against Zoho Books' ([`tieout`]).
#![warn(missing_docs)]

pub mod company;
pub mod live;
pub mod reports;
pub mod sim;
pub mod tieout;

pub use company::Company;
