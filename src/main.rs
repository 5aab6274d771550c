//! The `rapport` binary: parse arguments, run, map the outcome to an exit
//! code (0 ok, 1 nothing found or problems found, 2 usage or runtime error).

use std::process::ExitCode;

fn main() -> ExitCode {
    match rapport::cli::run() {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`rapport people | head`) is not an error.
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .map(|io| io.kind())
                    .or_else(|| {
                        e.downcast_ref::<serde_json::Error>()
                            .and_then(|j| j.io_error_kind())
                    })
                    == Some(std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            // Messages may quote note text: it is shown, never sent to the terminal.
            let message = format!("{err:#}");
            eprintln!(
                "rapport: error: {}",
                rapport::render::safe::terminal(&message)
            );
            ExitCode::from(2)
        }
    }
}
