//! Integration tests: the real `rapport` binary on real files.

mod util;

mod check;
mod cli;
mod crash;
mod everyday;
mod first_minutes;
mod first_steps;
mod followups;
mod fuzz;
mod hostile;
mod import;
mod index;
mod map;
mod queries;
mod relations;
mod shared_vaults;
mod structure;
mod trust;
mod truth;
mod watch;
