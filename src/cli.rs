//! Command-line glue: clap types turn into a plain `ScanConfig` here and go
//! no further. Every function does one job; errors become exit code 2 with
//! a message that says what and where.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use piiscan::config::ScanConfig;
use piiscan::error::Error;
use piiscan::finding::mask::MaskPolicy;
use piiscan::finding::{Confidence, Severity};
use piiscan::input::unpack::Limits;
use piiscan::input::walk::WalkConfig;
use piiscan::output::{self, Format};
use piiscan::rules::RuleSet;

/// Exit codes (CONTRACT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// Ran; nothing at or above `--fail-on`.
    Clean = 0,
    /// Ran; findings at or above `--fail-on`.
    Findings = 1,
    /// Could not do the job.
    Error = 2,
    /// `--fail-on-incomplete` and some input was not fully examined.
    Incomplete = 3,
}

#[derive(Parser)]
#[command(
    name = "piiscan",
    version,
    about = "Find, mask and report personal data in files",
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find personal data in files, folders or standard input (`-`).
    Scan(Box<ScanArgs>),
    /// List, check or test detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Args)]
struct RuleArgs {
    /// Extra rule files or folders, on top of the built-in rules (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Only these rules, by id or kind (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    only: Vec<String>,
    /// Not these rules, by id or kind (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    disable: Vec<String>,
    /// Only the national identifiers of these countries (ISO 3166 codes,
    /// comma-separated); kinds used everywhere stay on.
    #[arg(long, value_delimiter = ',', value_name = "CC,...")]
    country: Vec<String>,
}

#[derive(Args)]
struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = ["text", "json", "ndjson", "csv"])]
    format: String,
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Drop weaker findings.
    #[arg(long, default_value = "medium", value_parser = ["low", "medium", "high"])]
    min_confidence: String,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, default_value = "low", value_parser = ["low", "medium", "high", "critical", "never"])]
    fail_on: String,
    /// Exit with 3 when any input could not be fully examined.
    #[arg(long)]
    fail_on_incomplete: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip files and folders matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Follow symbolic links (loops are detected).
    #[arg(short = 'L', long)]
    follow: bool,
    /// Honour .gitignore and .ignore files (off by default: exports hide in ignored files).
    #[arg(long)]
    gitignore: bool,
    /// How much of a card number findings show: last4, first6last4 or none.
    #[arg(long, default_value = "last4", value_name = "WHAT")]
    card_reveal: String,
    /// No progress bar.
    #[arg(long)]
    no_progress: bool,
    /// No summary and no warnings on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Colour in text output: auto, always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
    /// Write the scan's coverage (what was examined, and every input or
    /// archive member that was not, with the reason) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    coverage: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Bounds on compressed files and archives; past one, the rest of that
/// member is skipped and listed in the coverage.
#[derive(Args)]
#[command(next_help_heading = "Archive limits")]
struct LimitArgs {
    /// Containers inside containers (a .tar.gz is 2).
    #[arg(long, value_name = "N", default_value_t = Limits::default().depth)]
    archive_max_depth: u32,
    /// Decompressed size of one member or compressed file (e.g. 512M, 8G).
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = parse_size)]
    archive_max_size: u64,
    /// Decompressed size of everything inside one input.
    #[arg(long, value_name = "SIZE", default_value = "64G", value_parser = parse_size)]
    archive_max_total: u64,
    /// Decompressed bytes per compressed byte (checked past the first MiB).
    #[arg(long, value_name = "N", default_value_t = Limits::default().ratio)]
    archive_max_ratio: u64,
    /// Members of one archive.
    #[arg(long, value_name = "N", default_value_t = Limits::default().members)]
    archive_max_members: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            depth: self.archive_max_depth,
            member_bytes: self.archive_max_size,
            total_bytes: self.archive_max_total,
            ratio: self.archive_max_ratio,
            members: self.archive_max_members,
        }
    }
}

/// A byte size: a number with an optional K, M, G or T suffix (powers of 1024).
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let text = text.trim();
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let shift = match text[digits.len()..]
        .to_ascii_uppercase()
        .trim_end_matches(['B', 'I'])
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => {
            return Err(format!(
                "`{text}` is not a size: use a number with K, M, G or T"
            ))
        }
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size: use a number with K, M, G or T"))?;
    n.checked_shl(shift)
        .filter(|v| v >> shift == n)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the loaded rules.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Validate rule files (the built-in rules when no PATH is given).
    Check {
        /// Rule files or folders.
        paths: Vec<PathBuf>,
    },
    /// Run every rule's examples and negative examples through the detector.
    Test {
        /// Rule files or folders, tested together with the built-in rules.
        paths: Vec<PathBuf>,
    },
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
        Command::Scan(args) => scan(*args),
        Command::Rules(RulesCommand::List { rules }) => rules_list(&rules),
        Command::Rules(RulesCommand::Check { paths }) => rules_check(&paths),
        Command::Rules(RulesCommand::Test { paths }) => rules_test(&paths),
    }
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    let set = RuleSet::load(&args.rules, true).map_err(Error::Rules)?;
    let set = set
        .select(&args.only, &args.disable)
        .map_err(Error::Usage)?;
    set.select_countries(&args.country)
        .map_err(|e| Error::Usage(e).into())
}

fn scan_config(args: &ScanArgs) -> Result<ScanConfig> {
    let fail_on = match args.fail_on.as_str() {
        "never" => None,
        s => Some(s.parse::<Severity>().map_err(Error::Usage)?),
    };
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let key = std::env::var("PIISCAN_FINGERPRINT_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    Ok(ScanConfig {
        paths: args.paths.clone(),
        walk: WalkConfig {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            follow: args.follow,
            respect_ignore: args.gitignore,
        },
        threads: args.threads,
        min_confidence: args
            .min_confidence
            .parse::<Confidence>()
            .map_err(Error::Usage)?,
        fail_on,
        mask: MaskPolicy::parse_card(&args.card_reveal).map_err(Error::Usage)?,
        fingerprint_key: key.map_or_else(
            || piiscan::finding::Fingerprinter::DEFAULT_KEY.to_vec(),
            String::into_bytes,
        ),
        format: args.format.parse::<Format>().map_err(Error::Usage)?,
        progress: !args.no_progress && !args.quiet && io::stderr().is_terminal(),
        color,
        limits: args.limits.limits(),
        column_stats: args.coverage.is_some(),
        ..ScanConfig::default()
    })
}

fn scan(args: ScanArgs) -> Result<Exit> {
    let rules = load_rules(&args.rules)?;
    let config = scan_config(&args)?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).with_context(|| {
            format!(
                "cannot create {}",
                output::sanitize(&path.display().to_string())
            )
        })?),
        None => Box::new(io::stdout().lock()),
    };
    let mut reporter = output::reporter(config.format, out, config.color);
    let quiet = args.quiet;
    let mut warn = |msg: &str| {
        if !quiet {
            let _ = writeln!(io::stderr(), "piiscan: warning: {msg}");
        }
    };
    let outcome = piiscan::scan::run(&config, &rules, reporter.as_mut(), &mut warn)?;
    drop(reporter);
    if !quiet && !outcome.closed_pipe {
        let _ = write!(io::stderr(), "{}", outcome.summary);
    }
    if let Some(path) = &args.coverage {
        let write = || -> io::Result<()> {
            let mut file = io::BufWriter::new(File::create(path)?);
            serde_json::to_writer_pretty(&mut file, &outcome.summary.coverage())?;
            writeln!(file)?;
            file.flush()
        };
        write().with_context(|| {
            format!(
                "cannot write {}",
                output::sanitize(&path.display().to_string())
            )
        })?;
    }
    Ok(if outcome.closed_pipe {
        Exit::Clean
    } else if args.fail_on_incomplete && outcome.summary.incomplete() > 0 {
        Exit::Incomplete
    } else if config
        .fail_on
        .is_some_and(|level| outcome.worst.is_some_and(|w| w >= level))
    {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

fn rules_list(args: &RuleArgs) -> Result<Exit> {
    let rules = load_rules(args)?;
    let mut out = io::stdout().lock();
    let result = (|| -> io::Result<()> {
        writeln!(
            out,
            "{:<26} {:<20} {:<14} {:<9} {:<10} description",
            "id", "kind", "category", "severity", "confidence"
        )?;
        for r in rules.rules() {
            writeln!(
                out,
                "{:<26} {:<20} {:<14} {:<9} {:<10} {}",
                r.id, r.kind, r.category, r.severity, r.confidence, r.description
            )?;
        }
        out.flush()
    })();
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(Exit::Clean),
    }
}

fn rules_check(paths: &[PathBuf]) -> Result<Exit> {
    let set = RuleSet::load(paths, true).map_err(Error::Rules)?;
    println!("ok: {} rules", set.len());
    Ok(Exit::Clean)
}

fn rules_test(paths: &[PathBuf]) -> Result<Exit> {
    let set = RuleSet::load(paths, true).map_err(Error::Rules)?;
    let report = piiscan::scan::examples::test_rules(&set).map_err(Error::Usage)?;
    for failure in &report.failures {
        eprintln!("FAIL {failure}");
    }
    println!(
        "rules: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
