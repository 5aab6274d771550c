//! Integration tests: the real `rapport` binary on real files.

mod util;

mod check;
mod cli;
mod crash;
mod everyday;
mod first_minutes;
mod followups;
mod fuzz;
mod hostile;
mod index;
mod queries;
mod shared_vaults;
mod structure;
mod truth;
mod watch;
