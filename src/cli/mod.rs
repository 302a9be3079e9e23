//! Command-line glue: clap types turn into a plain `ScanConfig` here and go
//! no further. One file per command; every function does one job; errors
//! become exit code 2 with a message that says what and where.

mod args;
mod gate;
mod mask;
mod pending;
mod report;
mod rules;
mod scan;
mod settings;
mod stop;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser};

use self::args::{Cli, Command, KeyCommand, RulesCommand};

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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return ExitCode::from(clap_exit(&err)),
    };
    let exit = match run(cli) {
        Ok(exit) => exit,
        Err(err) => {
            let _ = writeln!(io::stderr(), "piiscan: {err:#}");
            Exit::Error
        }
    };
    ExitCode::from(exit.code())
}

/// Prints clap's message (usage error, `--help`, `--version`) and gives
/// its exit code: 2 for a usage error, as for every other error, and 2 too
/// when the help could not be written (a full disk), 0 otherwise.
fn clap_exit(err: &clap::Error) -> u8 {
    let printed = err.print().and_then(|()| io::stdout().flush());
    match printed {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(
                io::stderr(),
                "piiscan: cannot write to standard output: {e}"
            );
            Exit::Error.code()
        }
        _ if err.use_stderr() => Exit::Error.code(),
        _ => Exit::Clean.code(),
    }
}

fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Scan(args) => scan::scan(*args),
        Command::Mask(args) => mask::mask(*args),
        Command::Report(args) => report::report(*args),
        Command::Rules(RulesCommand::List { rules }) => rules::list(&rules),
        Command::Rules(RulesCommand::Check { paths }) => rules::check(&paths),
        Command::Rules(RulesCommand::Test { paths }) => rules::test(&paths),
        Command::Completions { shell } => generated(|out| {
            clap_complete::generate(shell, &mut Cli::command(), "piiscan", out);
            Ok(())
        }),
        Command::Man => generated(|out| man_page(Cli::command(), out)),
        Command::Key(KeyCommand::Path) => key_path(),
        Command::Init { path, force } => settings::init(&path, force),
    }
}

/// Leaves the key's own file (the user's key, or `--key-file`) out of the
/// walk: scanning or masking a home folder or a repository never reads it,
/// nor copies it beside the pseudonyms it keys.
pub(crate) fn leave_out_key(
    config: &mut piiscan::ScanConfig,
    key: &piiscan::key::Key,
    key_file: Option<&std::path::Path>,
) {
    let files = key.file().into_iter().chain(key_file);
    let ids = files.filter_map(|f| piiscan::input::walk::FileId::of(f).ok());
    config.walk.temporary.extend(ids);
}

/// Prints where the user's own key is kept.
fn key_path() -> Result<Exit> {
    let Some(path) = piiscan::key::user_key_path() else {
        anyhow::bail!("no HOME or XDG_CONFIG_HOME: no user key can be kept");
    };
    write_stdout(|| writeln!(io::stdout(), "{}", path.display()))
}

/// The progress line, drawn only on a terminal and unless asked not to.
pub(crate) fn progress(no_progress: bool, quiet: bool) -> Option<piiscan::scan::progress::Bar> {
    let wanted = !no_progress && !quiet && io::stderr().is_terminal();
    wanted.then(piiscan::scan::progress::Bar::stderr)
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

/// The man page: `piiscan(1)` with the exit codes, then one page per
/// command (`piiscan-scan(1)`, `piiscan-rules-check(1)`, …), in one stream
/// for `man -l -`.
fn man_page(cmd: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = cmd;
    cmd.build();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    out.write_all(EXIT_STATUS.as_bytes())?;
    command_pages(&cmd, "piiscan", out)
}

fn command_pages(cmd: &clap::Command, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{prefix}-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(name.replace('-', " "));
        clap_mangen::Man::new(page).render(out)?;
        command_pages(sub, &name, out)?;
    }
    Ok(())
}

/// The exit codes (CONTRACT.md), as a man page section.
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Ran; nothing at or above \fB--fail-on\fR.
.TP
\fB1\fR
Ran; new findings (not accepted by a piiscan:allow marker, the settings file's allowlist or the baseline) at or above \fB--fail-on\fR (\fBrules test\fR: an example failed).
.TP
\fB2\fR
Could not do the job: bad arguments, a bad rule file, settings file or baseline, a baseline written with another key, git failing under \fB--git-staged\fR or \fB--git-diff\fR, an output that is an input, a path given that does not exist or cannot be read, an output that cannot be written.
.TP
\fB3\fR
\fB--fail-on-incomplete\fR was given and an input could not be examined.
.TP
\fB130\fR, \fB143\fR
Stopped by SIGINT or SIGTERM; outputs left as they were.
"#;
