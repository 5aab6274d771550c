//! Integration tests: the real `rapport` binary on real files.

mod util;

mod cli;
mod followups;
mod index;
mod queries;
mod shared_vaults;
mod truth;
