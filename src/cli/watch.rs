//! `rapport watch`: keep the index (and optionally the checklist) live.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Result, anyhow};

use super::App;
use super::followups::write_checklist;
use super::values;
use crate::index::{self as idx, Index};
use crate::render::checklist;
use crate::watch;

/// Arguments of `rapport watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Regenerate this follow-up checklist after every change (ticks and ## Notes are kept)
    #[arg(long, value_name = "FILE")]
    followups: Option<PathBuf>,
    /// Milliseconds to wait for a burst of file events to end
    #[arg(long, default_value_t = 200, value_name = "MS")]
    debounce: u64,
    /// Follow-up window for --followups (7d, 2w, 30d…) [default: 30d, or the configuration's]
    #[arg(long, value_name = "SPAN", value_parser = values::span)]
    window: Option<u32>,
    /// With --followups: list every open task, not only those that involve a person
    #[arg(long)]
    all_tasks: bool,
}

/// Runs `rapport watch`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let index = app.open_index()?;
    let mut writer = match index.batch_writer() {
        Ok(w) => w,
        Err(idx::Error::Locked { pid }) => {
            return Err(anyhow!(
                "rapport is already watching or updating this vault (pid {pid}); only one watcher can run"
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))?;
    }
    // The checklist's events are ours.
    let mut ignore = Vec::new();
    if let Some(out) = &args.followups {
        let abs = std::path::absolute(out)?;
        let canon = match (
            abs.parent().and_then(|p| p.canonicalize().ok()),
            abs.file_name(),
        ) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => abs.clone(),
        };
        ignore.push(canon);
    }
    let opts = watch::Opts {
        debounce: Duration::from_millis(args.debounce),
        ignore,
        poll: Duration::from_secs(10),
    };
    // Heard from now on: what is saved during the first refresh is applied
    // after it.
    let listener = watch::listen(&index, &opts)?;
    let stats = writer.refresh(&index, false, &super::progress_bar())?;
    super::finish_progress();
    eprintln!("{}", watch::describe(&stats));
    // Caught up: from now on queries leave the refreshing to this process.
    // Declared after the writer, the mark is let go before it.
    let _watched = index.mark_watched()?;

    // The checklist: refuse a foreign file up front, then keep it fresh.
    if let Some(out) = &args.followups {
        checklist::previous(out, false)?;
    }
    let mut regenerate = |index: &Index| -> Result<()> {
        if let Some(out) = &args.followups {
            let prev = checklist::previous(out, false)?;
            let (list, parts) = crate::app::followups(
                index,
                &app.config,
                values::today(),
                args.window,
                args.all_tasks,
                None,
            )?;
            // The watcher goes on: what the checklist was built from is
            // freed, off this thread.
            crate::free_later(parts);
            write_checklist(app, out, &list, &prev)?;
            eprintln!("rapport: rewrote the checklist {}", out.display());
        }
        Ok(())
    };
    regenerate(&index)?;
    watch::run(listener, &index, &mut writer, &opts, &stop, &mut regenerate)?;
    eprintln!("rapport: stopped watching");
    Ok(ExitCode::SUCCESS)
}
