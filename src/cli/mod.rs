//! Command-line glue: clap types turn into a plain `ScanConfig` here and go
//! no further. One file per command; every function does one job; errors
//! become exit code 2 with a message that says what and where.

mod args;
mod rules;
mod scan;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use self::args::{Cli, Command, RulesCommand};

/// Exit codes (CONTRACT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Ran; nothing at or above `--fail-on`.
    Clean = 0,
    /// Ran; findings at or above `--fail-on`.
    Findings = 1,
    /// Could not do the job.
    Error = 2,
    /// `--fail-on-incomplete` and some input was not fully examined.
    Incomplete = 3,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let exit = match run(cli) {
        Ok(exit) => exit,
        Err(err) => {
            let _ = writeln!(io::stderr(), "piiscan: {err:#}");
            Exit::Error
        }
    };
    ExitCode::from(exit as u8)
}

fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Scan(args) => scan::scan(*args),
        Command::Rules(RulesCommand::List { rules }) => rules::list(&rules),
        Command::Rules(RulesCommand::Check { paths }) => rules::check(&paths),
        Command::Rules(RulesCommand::Test { paths }) => rules::test(&paths),
    }
}
