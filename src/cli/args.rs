//! The flags of every command, as clap reads them. Enum-valued flags are
//! `ValueEnum`s that turn into the library's own types here.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum};

use piiscan::error::ValueError;
use piiscan::finding::mask::MaskPolicy;
use piiscan::finding::{Confidence, Severity};
use piiscan::input::unpack::Limits;
use piiscan::input::walk::WalkConfig;
use piiscan::output::Format;

/// `-V`: the version and the commit it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PIISCAN_COMMIT"), ")");

/// `--version`: also the built-in rule set, by count and digest.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit: ",
    env!("PIISCAN_COMMIT"),
    "\nrules: ",
    env!("PIISCAN_RULES")
);

#[derive(Parser)]
#[command(
    name = "piiscan",
    version = VERSION,
    long_version = LONG_VERSION,
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
    /// Write masked copies of files under a folder, same layout (`-`:
    /// standard input to standard output). Inputs are never modified.
    Mask(Box<MaskArgs>),
    /// Minimisation report: what personal data each file and column holds,
    /// how much, and what to do about it (GDPR Art. 5, PCI DSS), with the
    /// `piiscan mask` command for each finding.
    Report(Box<ReportArgs>),
    /// List, check or test detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print a shell completion script (e.g. `piiscan completions bash >
    /// /etc/bash_completion.d/piiscan`).
    Completions {
        /// The shell.
        #[arg(value_enum, ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `piiscan man | man -l -`.
    Man,
    /// The fingerprint key.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Write a commented starter settings file (`piiscan.toml`).
    Init {
        /// Where to write it (`-`: standard output).
        #[arg(default_value = "piiscan.toml")]
        path: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Which settings file applies.
#[derive(Args)]
pub(crate) struct SettingsArgs {
    /// The settings file (default: `piiscan.toml` in the current folder,
    /// else at the root of its git work tree). Flags given override it.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Read no settings file.
    #[arg(long, conflicts_with = "config")]
    pub(crate) no_config: bool,
}

#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Print where your own random key is kept (made on first use when no
    /// --key-file or PIISCAN_FINGERPRINT_KEY is given).
    Path,
}

#[derive(Args, Clone)]
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
    #[arg(long, value_enum, ignore_case = true, default_value_t = FormatArg::Text)]
    pub(crate) format: FormatArg,
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    #[command(flatten)]
    pub(crate) settings: SettingsArgs,
    /// Drop weaker findings [default: medium].
    #[arg(long, value_enum, ignore_case = true)]
    pub(crate) min_confidence: Option<ConfidenceArg>,
    /// The lowest severity that makes the exit code 1 (`never`: findings
    /// never do) [default: low].
    #[arg(long, value_parser = FailOnParser)]
    pub(crate) fail_on: Option<FailOn>,
    /// Report only findings not in this baseline (written by
    /// --write-baseline); its entries no longer found are listed as stale.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record this run's findings (those no marker or allowlist accepts)
    /// as a baseline, and accept them (they do not fail this run):
    /// fingerprint, rule and path, no value, no line; sorted, so an
    /// unchanged tree gives the same bytes. An existing file keeps its
    /// entries for files outside the paths scanned.
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Scan only the files staged for commit, and report only findings on
    /// the lines the change adds (asks the `git` program).
    #[arg(long, conflicts_with = "git_diff")]
    pub(crate) git_staged: bool,
    /// Scan only the files changed since REV (a commit, a branch,
    /// `origin/main`), and report only findings on added lines.
    #[arg(long, value_name = "REV")]
    pub(crate) git_diff: Option<String>,
    /// Exit with 3 when an input could not be examined (unreadable,
    /// corrupt, truncated, encrypted, over a limit, unsupported); what is
    /// left out by choice (binary files, symbolic links not followed,
    /// globs, ignore files) does not count.
    #[arg(long)]
    pub(crate) fail_on_incomplete: bool,
    #[command(flatten)]
    pub(crate) walk: WalkArgs,
    /// How much of a card number findings show (PCI DSS: at most the first
    /// six and last four digits).
    #[arg(long, value_enum, ignore_case = true, default_value_t = CardReveal::Last4)]
    pub(crate) card_reveal: CardReveal,
    /// No progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
    /// No summary and no warnings on stderr (errors, and a count of inputs
    /// that could not be examined, are still said).
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Text output: show the id of the rule behind each finding.
    #[arg(short, long)]
    pub(crate) verbose: bool,
    /// Colour in text output.
    #[arg(long, value_enum, ignore_case = true, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// Write the scan's coverage (what was examined, and every input or
    /// archive member that was not, with the reason) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) coverage: Option<PathBuf>,
    /// The fingerprint key: the file's bytes, without a trailing line end.
    /// Else `PIISCAN_FINGERPRINT_KEY`, else your own random key, made on
    /// first use (`piiscan key path` says where).
    #[arg(long, value_name = "FILE")]
    pub(crate) key_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

#[derive(Args)]
pub(crate) struct MaskArgs {
    /// Files or folders to mask; `-` masks standard input to standard
    /// output.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// The folder to write masked copies under (not inside an input);
    /// needed unless the only input is `-`.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// How the values of a kind are masked, as KIND=STRATEGY: `partial`
    /// (the finding's masked form, the default), `redact` (every
    /// character a `*`), `hash` (a keyed pseudonym of the same shape, the
    /// same for the same value everywhere) or `tokenize` (a keyed token of
    /// the same format: cards still pass Luhn, IBANs mod-97) or `drop`
    /// (in delimited files and JSON the whole field is emptied; elsewhere
    /// the value is redacted); `all=STRATEGY` sets the default. Repeatable.
    #[arg(long = "strategy", value_name = "KIND=NAME")]
    pub(crate) strategies: Vec<String>,
    /// `redact` writes a `[KIND]` token (`[EMAIL]`) instead of a `*` per
    /// character.
    #[arg(long)]
    pub(crate) redact_token: bool,
    /// The secret key of keyed strategies (`hash`, `tokenize`) and
    /// fingerprints: the file's bytes, without a trailing line end. Else
    /// `PIISCAN_FINGERPRINT_KEY`, else your own random key (`piiscan key
    /// path`): share one key for pseudonyms that match across people.
    #[arg(long, value_name = "FILE")]
    pub(crate) key_file: Option<PathBuf>,
    /// Replace copies that exist under --out.
    #[arg(long)]
    pub(crate) force: bool,
    /// Write only copies that had something to mask.
    #[arg(long)]
    pub(crate) only_changed: bool,
    /// Mask weaker findings too (masking a false positive costs little,
    /// missing a value leaks it: `low` by default).
    #[arg(long, value_enum, ignore_case = true, default_value_t = ConfidenceArg::Low)]
    pub(crate) min_confidence: ConfidenceArg,
    /// What the summary on standard output looks like: `text`, or `json`
    /// (a manifest: per input, its copy and what was masked, no values).
    #[arg(long, value_enum, ignore_case = true, default_value_t = ManifestArg::Text)]
    pub(crate) format: ManifestArg,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    #[command(flatten)]
    pub(crate) settings: SettingsArgs,
    #[command(flatten)]
    pub(crate) walk: WalkArgs,
    /// How much of a card number the `partial` strategy keeps (PCI DSS: at
    /// most the first six and last four digits).
    #[arg(long, value_enum, ignore_case = true, default_value_t = CardReveal::Last4)]
    pub(crate) card_reveal: CardReveal,
    /// No progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
    /// No summary and no warnings on stderr.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// Files or folders to report on (`.` when none and no --from); `-`
    /// reads standard input.
    pub(crate) paths: Vec<PathBuf>,
    /// Build the report from saved `scan --format ndjson` output instead of
    /// scanning; add the scan's `--coverage` file for sizes, ages, cell
    /// counts and what was not examined. Repeatable: a scan split across
    /// machines gives one report.
    #[arg(long, value_name = "FILE")]
    pub(crate) from: Vec<PathBuf>,
    /// Files last modified longer ago than this that still hold personal
    /// data are storage-limitation findings: days (`365` or `365d`), weeks
    /// (`52w`) or years (`1y`).
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub(crate) retention: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    #[command(flatten)]
    pub(crate) settings: SettingsArgs,
    /// Drop weaker findings.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ConfidenceArg::Medium)]
    pub(crate) min_confidence: ConfidenceArg,
    /// Exit with 3 when an input could not be examined.
    #[arg(long)]
    pub(crate) fail_on_incomplete: bool,
    /// The fingerprint key: the file's bytes, without a trailing line end.
    /// Else `PIISCAN_FINGERPRINT_KEY`, else your own random key, made on
    /// first use (`piiscan key path` says where).
    #[arg(long, value_name = "FILE")]
    pub(crate) key_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) walk: WalkArgs,
    /// How much of a card number samples show (PCI DSS: at most the first
    /// six and last four digits).
    #[arg(long, value_enum, ignore_case = true, default_value_t = CardReveal::Last4)]
    pub(crate) card_reveal: CardReveal,
    /// No progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
    /// No warnings on stderr.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

/// `report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// For a terminal: a summary, then the details.
    Text,
    /// The whole report (schema `piiscan-report/1`).
    Json,
    /// One row per minimisation finding, for a spreadsheet.
    Csv,
    /// One self-contained page: summary, charts, sortable and filterable
    /// tables; it makes no request.
    Html,
}

/// A retention period in days: `365`, `365d`, `52w`, `1y`.
fn parse_days(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_lowercase()),
        _ => (text, 'd'),
    };
    let days_per = match unit {
        'd' => 1,
        'w' => 7,
        'y' => 365,
        _ => {
            return Err(format!(
                "`{text}`: use days (365d), weeks (52w) or years (1y)"
            ))
        }
    };
    let n: u64 = number.parse().map_err(|_| {
        format!("`{text}` is not a number of days (365d), weeks (52w) or years (1y)")
    })?;
    Ok(n * days_per)
}

/// `mask --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ManifestArg {
    /// A line per input, for people.
    Text,
    /// A JSON manifest.
    Json,
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

/// Which files a command reads and on how many threads; the same for
/// every command that walks.
#[derive(Args, Clone)]
pub(crate) struct WalkArgs {
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
    /// Include or exclude paths, as ripgrep's -g does: a gitignore-style
    /// glob matched against the path as findings name it (`*.csv`,
    /// `exports/**`, `!vendor`); `!` excludes; when any glob includes,
    /// other files are left out. Repeatable; a later glob wins. Files named
    /// on the command line are always scanned.
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub(crate) globs: Vec<String>,
    /// The same as `--glob GLOB` (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) include: Vec<String>,
    /// The same as `--glob '!GLOB'` (repeatable; wins over every include).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Follow symbolic links (loops are detected).
    #[arg(short = 'L', long)]
    pub(crate) follow: bool,
    /// Also scan what ignore files leave out (`.gitignore` inside a git work
    /// tree, `.ignore`, git's exclude files). The summary counts what they
    /// left out.
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// Ignore files are honoured by default; kept for old scripts.
    #[arg(long, hide = true)]
    pub(crate) gitignore: bool,
}

impl WalkArgs {
    /// The walk these flags ask for.
    pub(crate) fn config(&self) -> WalkConfig {
        WalkConfig {
            globs: self.globs(),
            follow: self.follow,
            no_ignore: self.no_ignore,
            ..WalkConfig::default()
        }
    }

    /// Every path filter in the order it applies: `--glob`s as given,
    /// then `--include`s, then `--exclude`s (so an exclude always wins).
    pub(crate) fn globs(&self) -> Vec<String> {
        let excludes = self.exclude.iter().map(|g| format!("!{g}"));
        self.globs
            .iter()
            .chain(&self.include)
            .cloned()
            .chain(excludes)
            .collect()
    }
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
    /// SARIF 2.1.0, for code scanning (GitHub uploads it as it is).
    Sarif,
    /// GitHub Actions annotations on the changed files.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Ndjson => Format::Ndjson,
            FormatArg::Csv => Format::Csv,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
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
    /// Never: findings do not change the exit code.
    Never,
}

/// Reads `--fail-on` as a `ValueEnum` would, case-insensitively, but
/// without clap's "did you mean" (it offers `never`, the opposite, for
/// `everything`).
#[derive(Clone)]
struct FailOnParser;

impl TypedValueParser for FailOnParser {
    type Value = FailOn;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<FailOn, clap::Error> {
        let text = value.to_string_lossy();
        FailOn::from_str(&text, true).map_err(|_| {
            let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            let arg = arg.map_or_else(|| "--fail-on".into(), ToString::to_string);
            let valid = FailOn::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect();
            err.insert(ContextKind::InvalidArg, ContextValue::String(arg));
            err.insert(ContextKind::InvalidValue, ContextValue::String(text.into()));
            err.insert(ContextKind::ValidValue, ContextValue::Strings(valid));
            err
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            FailOn::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
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
