//! Command-line glue: clap types turn into a plain `ScanConfig` here and go
//! no further. One file per command; every function does one job; errors
//! become exit code 2 with a message that says what and where.

mod args;
mod pending;
mod rules;
mod scan;
mod stop;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser};

use self::args::{Cli, Command, RulesCommand};

/// Exit codes (CONTRACT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Ran; nothing at or above `--fail-on`.
    Clean,
    /// Ran; findings at or above `--fail-on`.
    Findings,
    /// Could not do the job.
    Error,
    /// `--fail-on-incomplete` and some input could not be examined.
    Incomplete,
    /// Stopped by a signal: 128 + its number (130 for SIGINT).
    Signal(u8),
}

impl Exit {
    fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Error => 2,
            Exit::Incomplete => 3,
            Exit::Signal(code) => code,
        }
    }
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
    ExitCode::from(exit.code())
}

fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Scan(args) => scan::scan(*args),
        Command::Rules(RulesCommand::List { rules }) => rules::list(&rules),
        Command::Rules(RulesCommand::Check { paths }) => rules::check(&paths),
        Command::Rules(RulesCommand::Test { paths }) => rules::test(&paths),
        Command::Completions { shell } => generated(|out| {
            clap_complete::generate(shell, &mut Cli::command(), "piiscan", out);
            Ok(())
        }),
        Command::Man => generated(|out| clap_mangen::Man::new(Cli::command()).render(out)),
    }
}

/// Writes generated text (completions, the man page) to standard output.
/// It is made in memory first: the generators panic on a write error.
fn generated(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<Exit> {
    let mut text = Vec::new();
    write(&mut text)?;
    write_stdout(|| {
        let mut out = io::stdout().lock();
        out.write_all(&text)?;
        out.flush()
    })
}

/// Runs a write to standard output: a reader that went away (`| head`,
/// `| true`) is not an error, a full disk is (exit 2, said on stderr).
pub(crate) fn write_stdout(write: impl FnOnce() -> io::Result<()>) -> Result<Exit> {
    match write() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write to standard output"))
        }
        _ => Ok(Exit::Clean),
    }
}
