//! The top of the house: parse the command line, resolve the context, run
//! the command, print what it returned, give the exit code.

use crate::cli::Cli;
use crate::commands;
use crate::shell::context::{Ctx, color_allowed};
use crate::shell::{teardown, terminal};
use clap::Parser;
use std::io::{IsTerminal, Write};

/// The process entry point: parses, runs, prints, returns the exit code.
pub fn main() -> i32 {
    teardown::exits_after_command();
    let cli = match Cli::try_parse() {
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
            let label = if color_allowed(cli.global.color, std::io::stderr().is_terminal()) {
                "\x1b[31;1merror\x1b[0m"
            } else {
                "error"
            };
            terminal::to_stderr(&format!("{label}: {}", e.report()));
            return e.exit_code();
        }
    };
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
