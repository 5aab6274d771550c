//! Integration tests: the real `rapport` binary on real files.

mod util;

mod check;
mod cli;
mod crash;
mod everyday;
mod followups;
mod fuzz;
mod hostile;
mod index;
mod queries;
mod relations;
mod shared_vaults;
mod truth;
mod watch;
