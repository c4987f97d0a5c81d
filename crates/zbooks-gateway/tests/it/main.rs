//! The gateway against the simulator: every test starts its own simulator (a minute lasts a
//! second) and its own gateway on 127.0.0.1:0, and calls the gateway as a program in another
//! language would: plain HTTP, no token.

mod creates;
mod load;
mod python;
mod safety;
mod shared_keys;
mod status;
mod support;
