//! The flags of every command, as clap reads them. Enum-valued flags are
//! `ValueEnum`s that turn into the library's own types here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use piiscan::error::ValueError;
use piiscan::finding::mask::MaskPolicy;
use piiscan::finding::{Confidence, Severity};
use piiscan::input::unpack::Limits;
use piiscan::output::Format;

#[derive(Parser)]
#[command(
    name = "piiscan",
    version,
    about = "Find, mask and report personal data in files",
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Find personal data in files, folders or standard input (`-`).
    Scan(Box<ScanArgs>),
    /// List, check or test detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Args)]
pub(crate) struct RuleArgs {
    /// Extra rule files or folders, on top of the built-in rules (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub(crate) rules: Vec<PathBuf>,
    /// Only these rules, by id or kind (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub(crate) only: Vec<String>,
    /// Not these rules, by id or kind (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub(crate) disable: Vec<String>,
    /// Only the national identifiers of these countries (ISO 3166 codes,
    /// comma-separated); kinds used everywhere stay on.
    #[arg(long, value_delimiter = ',', value_name = "CC,...")]
    pub(crate) country: Vec<String>,
}

#[derive(Args)]
pub(crate) struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub(crate) format: FormatArg,
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// Drop weaker findings.
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Medium)]
    pub(crate) min_confidence: ConfidenceArg,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Low)]
    pub(crate) fail_on: FailOn,
    /// Exit with 3 when any input could not be fully examined.
    #[arg(long)]
    pub(crate) fail_on_incomplete: bool,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
    /// Only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) include: Vec<String>,
    /// Skip files and folders matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Follow symbolic links (loops are detected).
    #[arg(short = 'L', long)]
    pub(crate) follow: bool,
    /// Honour .gitignore and .ignore files (off by default: exports hide in ignored files).
    #[arg(long)]
    pub(crate) gitignore: bool,
    /// How much of a card number findings show (PCI DSS: at most the first
    /// six and last four digits).
    #[arg(long, value_enum, default_value_t = CardReveal::Last4)]
    pub(crate) card_reveal: CardReveal,
    /// No progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
    /// No summary and no warnings on stderr.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// Write the scan's coverage (what was examined, and every input or
    /// archive member that was not, with the reason) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) coverage: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

/// Bounds on compressed files and archives; past one, the rest of that
/// member is skipped and listed in the coverage.
#[derive(Args)]
#[command(next_help_heading = "Archive limits")]
pub(crate) struct LimitArgs {
    /// Containers inside containers (a .tar.gz is 2).
    #[arg(long, value_name = "N", default_value_t = Limits::default().depth)]
    pub(crate) archive_max_depth: u32,
    /// Decompressed size of one member or compressed file (e.g. 512M, 8G).
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = parse_size)]
    pub(crate) archive_max_size: u64,
    /// Decompressed size of everything inside one input.
    #[arg(long, value_name = "SIZE", default_value = "64G", value_parser = parse_size)]
    pub(crate) archive_max_total: u64,
    /// Decompressed bytes per compressed byte (checked past the first MiB).
    #[arg(long, value_name = "N", default_value_t = Limits::default().ratio)]
    pub(crate) archive_max_ratio: u64,
    /// Members of one archive.
    #[arg(long, value_name = "N", default_value_t = Limits::default().members)]
    pub(crate) archive_max_members: u64,
}

impl LimitArgs {
    pub(crate) fn limits(&self) -> Limits {
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
fn parse_size(text: &str) -> Result<u64, ValueError> {
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
        _ => return Err(ValueError::Size(text.to_string())),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| ValueError::Size(text.to_string()))?;
    n.checked_shl(shift)
        .filter(|v| v >> shift == n)
        .ok_or_else(|| ValueError::Size(text.to_string()))
}

#[derive(Subcommand)]
pub(crate) enum RulesCommand {
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

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Grouped by file, for people.
    Text,
    /// One JSON array of findings.
    Json,
    /// One finding per line.
    Ndjson,
    /// RFC 4180, safe to open in a spreadsheet.
    Csv,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Ndjson => Format::Ndjson,
            FormatArg::Csv => Format::Csv,
        }
    }
}

/// `--min-confidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConfidenceArg {
    /// Everything found.
    Low,
    /// Supported by a checksum or by context (the default).
    Medium,
    /// Supported by both.
    High,
}

impl From<ConfidenceArg> for Confidence {
    fn from(arg: ConfidenceArg) -> Confidence {
        match arg {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
        }
    }
}

/// `--fail-on`: the lowest severity that fails the run, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Any finding.
    Low,
    /// Medium severity and above.
    Medium,
    /// High severity and above.
    High,
    /// Critical findings only.
    Critical,
    /// Never: the exit code does not depend on findings.
    Never,
}

impl FailOn {
    /// The severity that fails the run; `None` for never.
    pub(crate) fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

/// `--card-reveal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CardReveal {
    /// The last four digits.
    #[value(name = "last4")]
    Last4,
    /// The first six and the last four digits.
    #[value(name = "first6last4")]
    First6Last4,
    /// No digit.
    None,
}

impl From<CardReveal> for MaskPolicy {
    fn from(arg: CardReveal) -> MaskPolicy {
        let (card_first, card_last) = match arg {
            CardReveal::Last4 => (0, 4),
            CardReveal::First6Last4 => (6, 4),
            CardReveal::None => (0, 0),
        };
        MaskPolicy {
            card_first,
            card_last,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    /// When writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
