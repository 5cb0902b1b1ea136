//! The top of the house: parse the command line, resolve the context, run
//! the command, print what it returned, give the exit code.

// The top of the house reads the command line and prints.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use crate::commands;
use crate::shell::context::{Ctx, color_allowed};
use crate::shell::{teardown, terminal};
use std::io::{IsTerminal, Write};

/// The process entry point: parses, runs, prints, returns the exit code.
pub fn main() -> i32 {
    teardown::exits_after_command();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = command(&args);
    let parsed = command.try_get_matches_from_mut(&args).and_then(|m| {
        let cli = crate::cli::parse(&m);
        teardown::skip_teardown(m);
        cli
    });
    // The command line's whole definition, every subcommand's arguments,
    // is a tree of some thousand blocks: left to the exit, not freed.
    teardown::skip_teardown(command);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let result = Ctx::from_cli(&cli).and_then(|ctx| commands::dispatch(&ctx, cli.command));
    let commands::Outcome { text, code } = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            terminal::error_to_stderr(&e.report(), color_allowed(cli.global.color, std::io::stderr().is_terminal()));
            return e.exit_code();
        }
    };
    // The output edge: whatever a plan or the state put in the text, no
    // control character reaches the terminal raw; only our own colours do.
    let text = terminal::shown(&text, color_allowed(cli.global.color, std::io::stdout().is_terminal()));
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            terminal::to_stderr(&format!("error: cannot write the output: {e}"));
            1
        }
    }
}

/// The command line's definition (each subcommand's arguments defined
/// once it is the one parsed: `cli::parser`). Help for `init` also lists the built-in
/// plans' tracks; that needs the plans parsed, so it is added only when
/// `init`'s help is asked for.
fn command(args: &[std::ffi::OsString]) -> clap::Command {
    let asks = |word: &str| args.iter().any(|a| a == word);
    let command = crate::cli::parser();
    if asks("init") && (asks("--help") || asks("-h") || asks("help")) {
        return command.mut_subcommand("init", |init| init.after_help(builtin_tracks()));
    }
    command
}

/// `Tracks of the built-in plans: …`, one line a track.
fn builtin_tracks() -> String {
    let mut text =
        String::from("Tracks of the built-in plans (choose with --track ID; `roadmap list` shows a plan's):");
    for b in crate::core::plan::builtin::BUILTINS {
        let Ok(plan) = crate::core::plan::load(b.name, b.text.as_bytes()) else { continue };
        for track in &plan.tracks {
            text.push_str(&format!("\n  {}  {:<9} {}", b.name, track.id, track.title));
        }
    }
    text
}
