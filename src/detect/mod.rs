//! Detection: one pass per chunk over all rules at once, then validators,
//! then context words.
//!
//! All always-on rules are compiled into one multi-pattern regex, searched
//! leftmost-first with patterns in priority order, so at any position the
//! more specific rule is tried first. The unanchored search runs on a
//! looser copy of that regex (see [`loosen`]) whose matches start no later
//! than the exact ones; the exact regex then runs anchored at each such
//! start. When a candidate fails its validators, the lower-priority rules
//! are tried anchored at the same position (a 16-digit number that fails
//! Luhn may still be a phone number), and the search resumes after the
//! candidate. Rules with keywords run only in
//! chunks where one of their keywords occurs.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::util::syntax::parse_with;
use regex_automata::{meta, Anchored, Input, PatternID, PatternSet};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

use crate::finding::Confidence;
use crate::rules::{syntax_config, ByteSet, RuleSet};
use crate::validate::Validator;

/// Bytes before a match searched for context words (same line only).
pub const CONTEXT_BEFORE: usize = 64;
/// Bytes after a match searched for context words (same line only).
pub const CONTEXT_AFTER: usize = 32;

/// A validated match: which rule, where, how sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in the [`RuleSet`] the detector was built from.
    pub rule: usize,
    /// Start of the match in the haystack.
    pub start: usize,
    /// End of the match (exclusive).
    pub end: usize,
    /// Confidence after context.
    pub confidence: Confidence,
    /// The value is a documented test value (confidence is then low).
    pub test_value: bool,
}

/// What the detector needs of each rule at scan time.
struct Compiled {
    validators: Vec<Validator>,
    normalize: crate::finding::Normalize,
    test_values: Vec<Vec<u8>>,
    /// Sorted ids of this rule's words in the context automaton.
    context: Vec<u32>,
    /// Sorted ids of the words that say a value is not this rule's.
    against: Vec<u32>,
    context_required: bool,
    confidence: Confidence,
    kind: std::sync::Arc<str>,
    yields_to_labels: bool,
    /// Where the rule's pattern is compiled, if it is.
    regex: Option<RegexOf>,
}

/// Which compiled regex holds a rule's pattern.
#[derive(Clone, Copy)]
enum RegexOf {
    /// Pattern `pid` of the shared regex.
    Always(usize),
    /// The regex of solo rule `g`.
    Solo(usize),
}

/// A rule run on its own regex rather than in the shared one: either gated
/// by keywords (it runs only in chunks where one occurs) or, when it needs
/// context, windowed (it runs only near its context words).
struct Solo {
    rule: usize,
    regex: meta::Regex,
    /// Search only near the rule's context words.
    windowed: bool,
    /// Search only the cells of columns named for the rule.
    column_only: bool,
    /// Ids of the rule's keywords in the keyword automaton, sorted.
    keywords: Vec<u32>,
    /// Ids of the context words that, as keys in running text, label a
    /// value for a `column_only` rule (all but its `header_only` words),
    /// sorted.
    keys: Vec<u32>,
    max_len: usize,
    alphabet: ByteSet,
}

impl Solo {
    /// Where a match with the context word at `word` can lie: within the
    /// context window's reach of it, and on its line when no match holds
    /// a line break (context counts only on the match's line). In source
    /// code, where `name` is on every other line, that is a line and not
    /// a dozen around each.
    fn reach(&self, hay: &[u8], word: Range<usize>) -> (usize, usize) {
        let reach = self.max_len + CONTEXT_BEFORE.max(CONTEXT_AFTER);
        let lo = word.start.saturating_sub(reach);
        let hi = (word.end + reach).min(hay.len());
        if self.alphabet.contains(b'\n') {
            return (lo, hi);
        }
        let line_start = memchr::memrchr(b'\n', &hay[lo..word.start]).map_or(lo, |i| lo + i + 1);
        let line_end = memchr::memchr(b'\n', &hay[word.end..hi]).map_or(hi, |i| word.end + i);
        (line_start, line_end)
    }

    /// Where a match holding the keyword at `keyword` can lie: no further
    /// than the longest match, and not past a byte no match contains.
    fn around(&self, hay: &[u8], keyword: Range<usize>) -> (usize, usize) {
        let lo = keyword.end.saturating_sub(self.max_len);
        let hi = (keyword.start + self.max_len).min(hay.len());
        let inside = |&i: &usize| self.alphabet.contains(hay[i]);
        let start = (lo..keyword.start)
            .rev()
            .find(|i| !inside(i))
            .map_or(lo, |i| i + 1);
        let end = (keyword.end..hi).find(|i| !inside(i)).unwrap_or(hi);
        (start, end)
    }
}

/// The keywords of the rules that run only around them: literal pieces of
/// every match, so case matters.
struct Keywords {
    ac: AhoCorasick,
    /// One keyword lies inside another: occurrences can share a start.
    nested: bool,
}

impl Keywords {
    fn new(words: &[String]) -> Keywords {
        let nested = words
            .iter()
            .any(|a| words.iter().any(|b| a != b && b.contains(a.as_str())));
        // Without nesting, a leftmost search restarted one byte past each
        // occurrence finds them all, and can skip ahead with a prefilter
        // (an overlapping search walks every byte).
        let kind = if nested {
            MatchKind::Standard
        } else {
            MatchKind::LeftmostFirst
        };
        let ac = AhoCorasickBuilder::new()
            .match_kind(kind)
            .build(words)
            .expect("keyword automaton");
        Keywords { ac, nested }
    }

    /// Every occurrence in `hay[range]` as (start, end, keyword id), sorted.
    fn find_all(&self, hay: &[u8], range: Range<usize>, out: &mut Vec<(usize, usize, u32)>) {
        let found = |m: aho_corasick::Match| (m.start(), m.end(), m.pattern().as_u32());
        let input = aho_corasick::Input::new(hay).span(range.clone());
        if self.nested {
            out.extend(self.ac.find_overlapping_iter(input).map(found));
            out.sort_unstable();
            return;
        }
        let mut at = range.start;
        while let Some(m) = self.ac.find(input.clone().span(at..range.end)) {
            out.push(found(m));
            at = m.start() + 1;
        }
    }
}

/// The compiled form of a rule set, shared by all worker threads.
pub struct Detector {
    rules: Vec<Compiled>,
    /// All always-on rules; pattern `i` is rule `always_rules[i]`.
    always: Option<meta::Regex>,
    /// The always-on patterns loosened (see [`loosen`]), for the unanchored
    /// search: every exact match is a match of its loose pattern, so the
    /// leftmost loose match starts no later than the leftmost exact one.
    /// Counting up to 63 local-part bytes of an email while 25 other
    /// patterns count their digits multiplies DFA states; loosened, the
    /// union searches 1.7× as fast on source code.
    always_find: Option<meta::Regex>,
    /// Which always-on patterns were loosened (the others match exactly as
    /// they are written, so their matches need no anchored check).
    loosened: Vec<bool>,
    /// The same patterns reporting every match, not just the preferred
    /// one: after a rejected candidate, one anchored search tells which
    /// lower-priority patterns match there at all (on the 105 MB tree,
    /// 27 k searches instead of 4.8 M, worth the second compilation).
    always_every: Option<meta::Regex>,
    always_rules: Vec<usize>,
    /// The bytes each always-on pattern can start with.
    always_first: Vec<ByteSet>,
    solo: Vec<Solo>,
    /// Keyword automaton of the solo rules.
    keywords: Option<Keywords>,
    context: Option<AhoCorasick>,
    /// For each context word id, the rules it is a context word of.
    word_rules: Vec<Vec<usize>>,
    /// For each context word id, the solo rules that search around it
    /// (see [`Detector::solo_spans`]).
    word_solos: Vec<Vec<usize>>,
    max_len: usize,
}

/// Per-thread mutable state: regex caches and the hit buffer.
pub struct Scratch {
    always: Option<meta::Cache>,
    always_find: Option<meta::Cache>,
    always_every: Option<meta::Cache>,
    /// The patterns that match where a candidate was rejected.
    matching: PatternSet,
    solo: Vec<meta::Cache>,
    /// Keyword occurrences in the chunk: (start, end, keyword id).
    keyword_hits: Vec<(usize, usize, u32)>,
    windows: Vec<Range<usize>>,
    /// For each solo rule, where it searches around the chunk's context
    /// words, as (start, end) by start (see [`Detector::solo_spans`]).
    spans: Vec<Vec<(usize, usize)>>,
    /// `spans` holds this chunk's spans.
    spans_built: bool,
    hits: Vec<Hit>,
    context: ContextIndex,
    first_candidate: Option<usize>,
    resume: usize,
    next_columns: Option<Columns>,
}

/// Column names of a table or statement.
pub type Names = std::sync::Arc<Vec<Box<[u8]>>>;

/// The values of a tuple or row read from a buffer by an input's own
/// reader (an SQL dump's tuples), with the names of their columns.
#[derive(Debug, Default)]
pub struct Cells {
    /// The column lists the values belong to.
    pub lists: Vec<Names>,
    /// Each value: its list in `lists`, its column, and its bytes (quotes
    /// stripped) as positions in the buffer.
    pub cells: Vec<(usize, usize, usize, usize)>,
}

/// The names of an input's columns as context: a column named `dob`,
/// `email` or `nazwisko` speaks for every value below it, though it sits
/// on another line. The cells come from the input's own reader (a
/// delimited file's rows, an SQL dump's tuples): detection never splits
/// lines itself.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// For each column, the sorted ids of the context words in its name.
    words: Vec<Vec<u32>>,
    /// The chunk's cells, as (column, start, end) sorted by start; only
    /// cells of columns with context words.
    given: Vec<(usize, usize, usize)>,
}

impl Columns {
    /// True when column `i`'s name holds context words, so its cells are
    /// wanted.
    pub fn named(&self, i: usize) -> bool {
        self.words.get(i).is_some_and(|w| !w.is_empty())
    }

    /// True when no column's name holds a context word.
    pub fn none_named(&self) -> bool {
        self.words.iter().all(Vec::is_empty)
    }

    /// These columns with the chunk's `cells` as (column, start, end),
    /// sorted by start, of the columns that are [`Columns::named`].
    pub fn with_cells(&self, cells: Vec<(usize, usize, usize)>) -> Columns {
        Columns {
            words: self.words.clone(),
            given: cells,
        }
    }

    /// The column of the value at `pos`, if it lies in a named cell.
    fn column_at(&self, pos: usize) -> Option<usize> {
        let cells = &self.given;
        let i = cells.partition_point(|c| c.1 <= pos).checked_sub(1)?;
        let (column, _, end) = cells[i];
        (pos < end).then_some(column)
    }

    /// Every named cell that overlaps `range`.
    fn cells(&self, range: Range<usize>, out: &mut Vec<(usize, usize, usize)>) {
        out.clear();
        out.extend((self.given.iter()).filter(|c| c.2 > range.start && c.1 < range.end));
    }
}

/// Every whole-word context word in the current chunk, found in one pass
/// the first time a candidate needs it, so dense candidates cost a binary
/// search each instead of a window scan each.
#[derive(Default)]
struct ContextIndex {
    /// The header of the delimited file being scanned, if it is one.
    columns: Option<Columns>,
    /// Scratch space for normalising a candidate (test-value look-up).
    normalized: Vec<u8>,
    built: bool,
    /// (start, end, word id), sorted by start.
    found: Vec<(usize, usize, u32)>,
    /// `cells` holds this chunk's cells (built once a rule asks for them).
    cells_built: bool,
    /// (column, start, end) of each non-empty cell of the chunk's rows.
    cells: Vec<(usize, usize, usize)>,
}

impl ContextIndex {
    /// The chunk's whole-word context words, found on first use; `None`
    /// when the rules have no context words at all.
    fn words(&mut self, ac: Option<&AhoCorasick>, hay: &[u8]) -> Option<&[(usize, usize, u32)]> {
        let ac = ac?;
        if !self.built {
            self.build(ac, hay);
        }
        Some(&self.found)
    }

    fn build(&mut self, ac: &AhoCorasick, hay: &[u8]) {
        self.found.clear();
        for m in ac.find_overlapping_iter(hay) {
            // A word that begins or ends with punctuation (`ss#`, `sin:`)
            // needs no boundary on that side.
            let word = &hay[m.start()..m.end()];
            let open_start = !word.first().is_some_and(|&b| is_word_byte(b));
            let open_end = !word.last().is_some_and(|&b| is_word_byte(b));
            let whole = (open_start || !hay[..m.start()].last().is_some_and(|&b| is_word_byte(b)))
                && (open_end || !hay[m.end()..].first().is_some_and(|&b| is_word_byte(b)));
            if whole {
                self.found.push((m.start(), m.end(), m.pattern().as_u32()));
            }
        }
        self.found.sort_unstable();
        self.built = true;
    }

    /// True when one of `words` lies wholly within `lo..hi`, outside the
    /// match `start..end` (`Street` in "221B Baker Street" is not context
    /// for the address it belongs to), with no digit and no sentence break
    /// between it and the match: a label applies to the value next to it,
    /// not to one further on ("Date of birth: 1985-03-15. Invoice date:
    /// 2024-01-02", "GmbH, supplier. The client Marco Martin").
    fn any_within(
        &self,
        words: &[u32],
        hay: &[u8],
        lo: usize,
        hi: usize,
        start: usize,
        end: usize,
    ) -> bool {
        let first = self.found.partition_point(|w| w.0 < lo);
        self.found[first..]
            .iter()
            .take_while(|w| w.0 < hi)
            .any(|w| {
                let between = if w.1 <= start {
                    &hay[w.1..start]
                } else if w.0 >= end {
                    &hay[end..w.0]
                } else {
                    return false;
                };
                let apart = between.iter().any(u8::is_ascii_digit) || sentence_break(between);
                w.1 <= hi && !apart && words.binary_search(&w.2).is_ok()
            })
    }
}

impl Scratch {
    /// The hits of the last [`Detector::scan`], sorted by start.
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// Where the last scan's first candidate (accepted or not) started.
    pub fn first_candidate(&self) -> Option<usize> {
        self.first_candidate
    }

    /// Where a scan of the following bytes must start to continue this one
    /// exactly: past the last candidate examined.
    pub fn resume(&self) -> usize {
        self.resume
    }

    /// Makes the next [`Detector::scan`] use a delimited file's header as
    /// context (see [`Detector::columns`]); it applies to that scan only.
    pub fn use_columns(&mut self, columns: Columns) {
        self.next_columns = Some(columns);
    }
}

/// Why a rule set could not be compiled.
#[derive(Debug, thiserror::Error)]
#[error("rule `{rule}`: {message}")]
pub struct BuildError {
    rule: String,
    message: String,
}

/// Lazy DFA cache per thread. With dozens of rules the DFA has many states;
/// a cache too small is cleared over and over and the search falls back to
/// slower engines.
const HYBRID_CACHE: usize = 16 << 20;

/// Lazy DFA cache per thread of a rule that runs on its own regex.
const SOLO_CACHE: usize = 256 << 10;

/// Repetitions bounded this high or higher are opened by [`loosen`]: the
/// long ones (an email's `{0,63}`) are what multiply DFA states. A short
/// count opened (a card's `{11,18}`) would make one loose match of a whole
/// run of spaced digits, searched again after each candidate in it:
/// quadratic in the run.
const OPEN_FROM: u32 = 32;

/// `hir` made looser, a superset of its language whose leftmost match
/// cannot start later: every repetition of a range up to [`OPEN_FROM`] or
/// more is left open above (`{0,63}` becomes `{0,}`). The DFA of a union
/// of such patterns no longer counts each one's repetitions in its states.
fn loosen(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            let open = rep.max.is_some_and(|max| max >= OPEN_FROM && max > rep.min);
            Hir::repetition(Repetition {
                max: if open { None } else { rep.max },
                sub: Box::new(loosen(&rep.sub)),
                ..rep.clone()
            })
        }
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(loosen(&cap.sub)),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(loosen).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(loosen).collect()),
        _ => hir.clone(),
    }
}

/// The unanchored search regex over `patterns` loosened, and which
/// patterns changed; `None` when there are no patterns.
fn loose_regex(patterns: &[&str]) -> Result<(Option<meta::Regex>, Vec<bool>), String> {
    if patterns.is_empty() {
        return Ok((None, Vec::new()));
    }
    let mut hirs = Vec::with_capacity(patterns.len());
    let mut loosened = Vec::with_capacity(patterns.len());
    for pattern in patterns {
        let hir = parse_with(pattern, &syntax_config()).map_err(|e| e.to_string())?;
        let open = loosen(&hir);
        loosened.push(open != hir);
        hirs.push(open);
    }
    let regex = meta::Regex::builder()
        .configure(search_config(
            HYBRID_CACHE,
            regex_automata::MatchKind::LeftmostFirst,
        ))
        .build_many_from_hir(&hirs)
        .map_err(|e| e.to_string())?;
    Ok((Some(regex), loosened))
}

/// Builds a regex over `patterns`. No literal prefilter: personal data has
/// no common literal, and a prefilter over hundreds of leading bytes costs
/// more than it saves.
fn build_regex(patterns: &[&str], cache: usize) -> Result<meta::Regex, String> {
    build_regex_as(patterns, cache, regex_automata::MatchKind::LeftmostFirst)
}

fn build_regex_as(
    patterns: &[&str],
    cache: usize,
    kind: regex_automata::MatchKind,
) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .syntax(syntax_config())
        .configure(search_config(cache, kind))
        .build_many(patterns)
        .map_err(|e| e.to_string())
}

fn search_config(cache: usize, kind: regex_automata::MatchKind) -> meta::Config {
    meta::Config::new()
        .match_kind(kind)
        .nfa_size_limit(Some(64 << 20))
        .hybrid_cache_capacity(cache)
        .auto_prefilter(false)
}

impl Detector {
    /// Compiles `rules` to find everything, down to low confidence.
    pub fn new(rules: &RuleSet) -> Result<Detector, BuildError> {
        Detector::with_min_confidence(rules, Confidence::Low)
    }

    /// Compiles `rules` for a scan that reports only `min` confidence and
    /// above. A rule whose base confidence is below `min` can only be
    /// reported with a context word, so it runs only near its context words;
    /// a rule that cannot reach `min` at all is left out. The shared regex
    /// stays small, and fast, at the default threshold.
    pub fn with_min_confidence(rules: &RuleSet, min: Confidence) -> Result<Detector, BuildError> {
        let mut words: Vec<String> = Vec::new();
        let mut compiled = Vec::with_capacity(rules.len());
        let (mut always_rules, mut always_patterns) = (Vec::new(), Vec::new());
        let (mut solo, mut keywords) = (Vec::new(), Vec::new());
        // The ids of a phrase's spellings in the context automaton.
        let mut intern = |phrase: &str| -> Vec<u32> {
            let spelt = spellings(phrase);
            let ids = spelt.iter().flat_map(|w| case_variants(w)).map(|word| {
                match words.iter().position(|w| *w == word) {
                    Some(id) => id,
                    None => {
                        words.push(word);
                        words.len() - 1
                    }
                }
            });
            ids.map(|id| id as u32).collect()
        };
        for (i, rule) in rules.rules().iter().enumerate() {
            let (mut context, mut keys) = (Vec::new(), Vec::new());
            for phrase in &rule.context {
                let ids = intern(phrase);
                if !rule.header_only.contains(phrase) {
                    keys.extend(&ids);
                }
                context.extend(ids);
            }
            let mut against: Vec<u32> = rule.not_context.iter().flat_map(|p| intern(p)).collect();
            for ids in [&mut context, &mut keys, &mut against] {
                ids.sort_unstable();
                ids.dedup();
            }
            let needs_context = rule.context_required || rule.confidence < min;
            let reachable =
                rule.confidence.raised() >= min && !(needs_context && context.is_empty());
            compiled.push(Compiled {
                validators: rule.validators.clone(),
                normalize: rule.normalize,
                test_values: rule.test_values.clone(),
                context,
                against,
                context_required: needs_context,
                confidence: rule.confidence,
                kind: rule.kind.clone(),
                yields_to_labels: rule.yields_to_labels,
                regex: None,
            });
            if !reachable {
                continue;
            }
            let windowed = rule.keywords.is_empty() && needs_context;
            if rule.keywords.is_empty() && !windowed {
                compiled[i].regex = Some(RegexOf::Always(always_rules.len()));
                always_rules.push(i);
                always_patterns.push(rule.pattern.as_str());
                continue;
            }
            let regex =
                build_regex(&[&rule.pattern], SOLO_CACHE).map_err(|message| BuildError {
                    rule: rule.id.to_string(),
                    message,
                })?;
            let mut ids = Vec::new();
            for kw in &rule.keywords {
                let id = keywords.iter().position(|k| k == kw).unwrap_or_else(|| {
                    keywords.push(kw.clone());
                    keywords.len() - 1
                });
                ids.push(id as u32);
            }
            ids.sort_unstable();
            compiled[i].regex = Some(RegexOf::Solo(solo.len()));
            solo.push(Solo {
                rule: i,
                regex,
                windowed,
                column_only: rule.column_only,
                keywords: ids,
                keys,
                max_len: rule.max_len,
                alphabet: rule.alphabet,
            });
        }
        let chain = |kind| {
            (!always_patterns.is_empty())
                .then(|| build_regex_as(&always_patterns, HYBRID_CACHE, kind))
                .transpose()
                .map_err(|message| BuildError {
                    rule: "(all rules)".into(),
                    message,
                })
        };
        let always = chain(regex_automata::MatchKind::LeftmostFirst)?;
        let always_every = chain(regex_automata::MatchKind::All)?;
        let (always_find, loosened) =
            loose_regex(&always_patterns).map_err(|message| BuildError {
                rule: "(all rules)".into(),
                message,
            })?;
        let automaton = |words: &[String], kind, fold_case| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(fold_case)
                .match_kind(kind)
                .kind(Some(AhoCorasickKind::DFA))
                .build(words)
                .expect("literal automaton")
        };
        let mut word_rules = vec![Vec::new(); words.len()];
        for (i, c) in compiled.iter().enumerate() {
            for &id in &c.context {
                word_rules[id as usize].push(i);
            }
        }
        let mut word_solos = vec![Vec::new(); words.len()];
        for (g, solo) in solo.iter().enumerate() {
            let ids = match (solo.column_only, solo.windowed) {
                (true, _) => &solo.keys,
                (false, true) => &compiled[solo.rule].context,
                (false, false) => continue,
            };
            for &id in ids {
                word_solos[id as usize].push(g);
            }
        }
        Ok(Detector {
            word_rules,
            word_solos,
            rules: compiled,
            always,
            always_find,
            loosened,
            always_every,
            always_first: always_rules.iter().map(|&i| rules.get(i).first).collect(),
            always_rules,
            solo,
            keywords: (!keywords.is_empty()).then(|| Keywords::new(&keywords)),
            context: (!words.is_empty()).then(|| automaton(&words, MatchKind::Standard, true)),
            max_len: rules.rules().iter().map(|r| r.max_len).max().unwrap_or(0),
        })
    }

    /// The context words of each column name, for [`Columns`] whose cells
    /// the input's reader gives chunk by chunk.
    pub fn columns<'n>(&self, names: impl IntoIterator<Item = &'n [u8]>) -> Columns {
        Columns {
            words: names.into_iter().map(|n| self.column_words(n)).collect(),
            given: Vec::new(),
        }
    }

    /// Column context from the cells an input's structure gives (an SQL
    /// dump's values).
    pub fn given_columns(&self, found: &Cells) -> Columns {
        // One slot per column met, words looked up once per slot.
        let mut slots: Vec<Vec<Option<usize>>> =
            found.lists.iter().map(|l| vec![None; l.len()]).collect();
        let mut words: Vec<Vec<u32>> = Vec::new();
        let mut given = Vec::with_capacity(found.cells.len());
        for &(list, column, start, end) in &found.cells {
            let slot = *slots[list][column].get_or_insert_with(|| {
                words.push(self.column_words(&found.lists[list][column]));
                words.len() - 1
            });
            if !words[slot].is_empty() {
                given.push((slot, start, end));
            }
        }
        Columns { words, given }
    }

    /// The sorted ids of the context words that are whole words of a
    /// column's name.
    fn column_words(&self, name: &[u8]) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::new();
        if let Some(ac) = &self.context {
            for m in ac.find_overlapping_iter(name) {
                let whole = !name[..m.start()].last().is_some_and(|&b| is_word_byte(b))
                    && !name[m.end()..].first().is_some_and(|&b| is_word_byte(b));
                if whole {
                    ids.push(m.pattern().as_u32());
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Fresh per-thread state.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            always: self.always.as_ref().map(meta::Regex::create_cache),
            always_find: self.always_find.as_ref().map(meta::Regex::create_cache),
            always_every: self.always_every.as_ref().map(meta::Regex::create_cache),
            matching: PatternSet::new(self.always_rules.len()),
            solo: self.solo.iter().map(|g| g.regex.create_cache()).collect(),
            keyword_hits: Vec::new(),
            windows: Vec::new(),
            spans: vec![Vec::new(); self.solo.len()],
            spans_built: false,
            hits: Vec::new(),
            context: ContextIndex::default(),
            first_candidate: None,
            resume: 0,
            next_columns: None,
        }
    }

    /// How far past a chunk's end the detector may need to read: the longest
    /// match, the context window after it, and the isolation check.
    pub fn lookahead(&self) -> usize {
        self.max_len + CONTEXT_AFTER + 2
    }

    /// How far before a chunk's start the detector may need to read.
    pub fn lookbehind(&self) -> usize {
        CONTEXT_BEFORE + 2
    }

    /// Finds every hit in `hay` (for tests and small inputs).
    pub fn find_all(&self, hay: &[u8]) -> Vec<Hit> {
        let mut scratch = self.scratch();
        self.scan(hay, 0..hay.len(), hay.len(), &mut scratch);
        scratch.hits
    }

    /// Finds the hits that start in `search.start..owned_end` and lie within
    /// `search`; bytes of `hay` outside `search` are context only. Results
    /// are in `scratch.hits()`, sorted by start, without overlaps.
    ///
    /// The search is a chain: after a candidate, it resumes past its end.
    /// [`Scratch::resume`] and [`Scratch::first_candidate`] let a caller that
    /// splits input into pieces continue the chain exactly, so a split scan
    /// finds what a whole scan finds.
    pub fn scan(&self, hay: &[u8], search: Range<usize>, owned_end: usize, scratch: &mut Scratch) {
        self.scan_from(hay, search.clone(), search.start, owned_end, scratch);
    }

    /// [`Detector::scan`], with the chain of the always-on rules starting
    /// at `chain_from` (where a previous piece's chain left off); the rules
    /// that run around keywords and context words search all of `search`.
    pub fn scan_from(
        &self,
        hay: &[u8],
        search: Range<usize>,
        chain_from: usize,
        owned_end: usize,
        scratch: &mut Scratch,
    ) {
        scratch.hits.clear();
        scratch.context.built = false;
        scratch.context.cells_built = false;
        scratch.spans_built = false;
        scratch.context.columns = scratch.next_columns.take();
        scratch.first_candidate = None;
        let chain = chain_from.max(search.start)..search.end;
        scratch.resume = chain.start;
        if let Some(re) = &self.always {
            self.scan_always(re, hay, &chain, owned_end, scratch);
        }
        if !self.solo.is_empty() && self.scan_solo(hay, &search, owned_end, scratch) {
            resolve_overlaps(&mut scratch.hits);
        }
    }

    /// The chain over the always-on rules; records its first candidate and
    /// resume point in `scratch`.
    fn scan_always(
        &self,
        re: &meta::Regex,
        hay: &[u8],
        search: &Range<usize>,
        owned_end: usize,
        scratch: &mut Scratch,
    ) {
        let Scratch {
            always: Some(cache),
            always_find: Some(find_cache),
            always_every: Some(every),
            matching,
            hits,
            context,
            first_candidate,
            resume,
            ..
        } = scratch
        else {
            return;
        };
        let Some(find) = &self.always_find else {
            return;
        };
        let mut at = search.start;
        while at < search.end {
            let input = Input::new(hay).range(at..search.end);
            let Some(found) = find.search_with(find_cache, &input) else {
                break;
            };
            if found.start() >= owned_end {
                break;
            }
            let m = if self.loosened[found.pattern().as_usize()] {
                match self.exact_within(re, cache, hay, found, search.end) {
                    Some(m) if m.start() >= owned_end => break,
                    Some(m) => m,
                    None => {
                        // Starts past the owned bytes are the next chunk's.
                        at = found.end().min(owned_end);
                        continue;
                    }
                }
            } else {
                // No higher-priority pattern matches here even loosened, and
                // this one is as written: the exact search would agree.
                found
            };
            first_candidate.get_or_insert(m.start());
            let pid = m.pattern().as_usize();
            let hit = self
                .accept(self.always_rules[pid], hay, m.start(), m.end(), context)
                .or_else(|| {
                    let input = input.range(m.start()..search.end);
                    self.retry(re, (cache, every, matching), input, pid + 1, context)
                });
            match hit {
                Some(hit) => {
                    at = hit.end;
                    hits.push(hit);
                }
                None => at = m.end(),
            }
        }
        *resume = at;
    }

    /// The leftmost exact match that starts within the loose match `found`
    /// (none starts before it): anchored at its start, where it almost
    /// always is; failing that, searched for over the rest of it, once. A
    /// match starting inside `found` ends within the longest match of its
    /// end, so the search need go no further. (Stepping one byte and
    /// searching loosely again would be quadratic: a megabyte of
    /// local-part letters before an `@` is one loose email from every
    /// byte.)
    fn exact_within(
        &self,
        re: &meta::Regex,
        cache: &mut meta::Cache,
        hay: &[u8],
        found: regex_automata::Match,
        end: usize,
    ) -> Option<regex_automata::Match> {
        let input = Input::new(hay).range(found.start()..end);
        if let Some(m) = re.search_with(cache, &input.clone().anchored(Anchored::Yes)) {
            return Some(m);
        }
        let limit = end.min(found.end() + self.max_len);
        let m = re.search_with(cache, &input.range(found.start() + 1..limit))?;
        (m.start() < found.end()).then_some(m)
    }

    /// Tries the always-on rules from pattern `from` on, anchored at the
    /// start of `input`: first which of them match there at all (one
    /// search), then each of those for its preferred match.
    fn retry(
        &self,
        re: &meta::Regex,
        (cache, every, matching): (&mut meta::Cache, &mut meta::Cache, &mut PatternSet),
        input: Input<'_>,
        from: usize,
        context: &mut ContextIndex,
    ) -> Option<Hit> {
        let first = input.haystack()[input.start()];
        if !self.always_first[from..].iter().any(|f| f.contains(first)) {
            return None;
        }
        matching.clear();
        let anchored = input.clone().anchored(Anchored::Yes);
        (self.always_every.as_ref()?).which_overlapping_matches_with(every, &anchored, matching);
        matching
            .iter()
            .filter(|p| p.as_usize() >= from)
            .find_map(|pid| {
                let input = input.clone().anchored(Anchored::Pattern(pid));
                let m = re.search_with(cache, &input)?;
                self.accept(
                    self.always_rules[pid.as_usize()],
                    input.haystack(),
                    m.start(),
                    m.end(),
                    context,
                )
            })
    }

    /// Runs the solo rules, each only where it can match: keyword rules
    /// around their keywords (a keyword lies inside every match), windowed
    /// rules around their context words. True if any hit was added.
    fn scan_solo(
        &self,
        hay: &[u8],
        search: &Range<usize>,
        owned_end: usize,
        scratch: &mut Scratch,
    ) -> bool {
        scratch.keyword_hits.clear();
        if let Some(keywords) = &self.keywords {
            keywords.find_all(hay, search.clone(), &mut scratch.keyword_hits);
        }
        let before = scratch.hits.len();
        let mut windows = std::mem::take(&mut scratch.windows);
        for (g, solo) in self.solo.iter().enumerate() {
            windows.clear();
            let words = &self.rules[solo.rule].context;
            let named_column = scratch.context.columns.as_ref().filter(|c| {
                c.words
                    .iter()
                    .any(|ids| ids.iter().any(|id| words.binary_search(id).is_ok()))
            });
            if let (true, Some(columns)) = (solo.windowed, named_column) {
                // A column is named for this rule: its cell in every row may
                // hold a value (context words elsewhere are not looked at).
                let wanted: Vec<usize> = (0..columns.words.len())
                    .filter(|&c| {
                        columns.words[c]
                            .iter()
                            .any(|id| words.binary_search(id).is_ok())
                    })
                    .collect();
                if !scratch.context.cells_built {
                    columns.cells(search.clone(), &mut scratch.context.cells);
                    scratch.context.cells_built = true;
                }
                windows.extend(
                    scratch
                        .context
                        .cells
                        .iter()
                        .filter(|c| wanted.binary_search(&c.0).is_ok())
                        .map(|c| c.1..c.2),
                );
            } else if solo.column_only || solo.windowed {
                // Outside a delimited file, a key named for a column rule
                // plays the column's part (`"firstName": "Wei"`,
                // `surname=Zhang`); a windowed rule searches around its
                // context words.
                let Some(spans) = self.solo_spans(
                    hay,
                    &mut scratch.context,
                    &mut scratch.spans,
                    &mut scratch.spans_built,
                ) else {
                    continue;
                };
                merge_windows(spans[g].iter().copied(), search, &mut windows);
            } else {
                // A keyword lies inside the match, and the match within the
                // run of its alphabet around the keyword.
                let near = scratch
                    .keyword_hits
                    .iter()
                    .filter(|k| solo.keywords.binary_search(&k.2).is_ok());
                merge_windows(
                    near.map(|k| solo.around(hay, k.0..k.1)),
                    search,
                    &mut windows,
                );
            }
            let mut at = search.start;
            for window in &windows {
                at = self.run_solo(g, hay, at.max(window.start)..window.end, owned_end, scratch);
            }
        }
        scratch.windows = windows;
        scratch.hits.len() > before
    }

    /// For each solo rule, the spans it searches around the chunk's context
    /// words: the value after each of its keys for a column rule, the
    /// reach of a match around each of its words for a windowed one. One
    /// pass over the words, handing each to the rules it speaks for, made
    /// on first use; `None` when the rules have no context words.
    fn solo_spans<'a>(
        &self,
        hay: &[u8],
        context: &mut ContextIndex,
        spans: &'a mut [Vec<(usize, usize)>],
        built: &mut bool,
    ) -> Option<&'a [Vec<(usize, usize)>]> {
        let found = context.words(self.context.as_ref(), hay)?;
        if !*built {
            spans.iter_mut().for_each(Vec::clear);
            for w in found {
                for &g in &self.word_solos[w.2 as usize] {
                    let solo = &self.solo[g];
                    let span = if solo.column_only {
                        keyed_value(hay, w.0, w.1).map(|v| (v.start, v.end))
                    } else {
                        Some(solo.reach(hay, w.0..w.1))
                    };
                    spans[g].extend(span);
                }
            }
            *built = true;
        }
        Some(spans)
    }

    /// Searches `range` with solo rule `g`, adding accepted hits; returns
    /// where the search stopped.
    fn run_solo(
        &self,
        g: usize,
        hay: &[u8],
        range: Range<usize>,
        owned_end: usize,
        scratch: &mut Scratch,
    ) -> usize {
        let solo = &self.solo[g];
        let mut at = range.start;
        while at < range.end {
            let input = Input::new(hay).range(at..range.end);
            let Some(m) = solo.regex.search_with(&mut scratch.solo[g], &input) else {
                return range.end;
            };
            if m.start() >= owned_end {
                return range.end;
            }
            match self.accept(solo.rule, hay, m.start(), m.end(), &mut scratch.context) {
                Some(hit) => {
                    scratch.hits.push(hit);
                    at = m.end();
                }
                // A rejected candidate may hold a valid one further in
                // ("Herr Lukas Müller" holds "Lukas Müller").
                None => at = m.start() + 1,
            }
        }
        at
    }

    /// Validates a candidate and weighs its context.
    #[inline]
    fn accept(
        &self,
        rule: usize,
        hay: &[u8],
        start: usize,
        end: usize,
        index: &mut ContextIndex,
    ) -> Option<Hit> {
        let r = &self.rules[rule];
        if !r.validators.iter().all(|v| v.check(hay, start, end)) {
            return None;
        }
        if r.yields_to_labels && self.labelled_otherwise(rule, hay, start, end, index) {
            return None;
        }
        // Context cannot raise a high-confidence rule; skip the look-up
        // unless it must also keep a label against the rule from lowering it.
        let useful = r.context_required || r.confidence < Confidence::High || !r.against.is_empty();
        let context =
            useful && !r.context.is_empty() && self.has_context(&r.context, hay, start, end, index);
        if r.context_required && !context {
            return None;
        }
        let test_value = !r.test_values.is_empty() && {
            r.normalize.apply(&hay[start..end], &mut index.normalized);
            r.test_values.contains(&index.normalized)
        };
        let confidence = match (test_value, context) {
            (true, _) => Confidence::Low,
            (false, true) => r.confidence.raised(),
            (false, false) if self.labelled_against(&r.against, hay, start, index) => {
                r.confidence.lowered()
            }
            (false, false) => r.confidence,
        };
        Some(Hit {
            rule,
            start,
            end,
            confidence,
            test_value,
        })
    }

    /// True when the label right before `start..end` (nothing but spaces,
    /// `:`, `=`, `#` or quotes between) is a context word of another kind's
    /// rule, not of `rule`, and that rule's pattern fits the same span:
    /// the value is that kind's, whatever its validators said.
    fn labelled_otherwise(
        &self,
        rule: usize,
        hay: &[u8],
        start: usize,
        end: usize,
        index: &mut ContextIndex,
    ) -> bool {
        let Some(found) = index.words(self.context.as_ref(), hay) else {
            return false;
        };
        let own = &self.rules[rule].context;
        let (mut other, mut mine) = (false, false);
        for w in labels_before(found, hay, start) {
            if own.binary_search(&w.2).is_ok() {
                mine = true;
            } else {
                other |= self.word_rules[w.2 as usize].iter().any(|&k| {
                    self.rules[k].kind != self.rules[rule].kind && self.fits(k, hay, start, end)
                });
            }
        }
        other && !mine
    }

    /// True when the value at `start` is labelled as something else by one
    /// of `against` (a rule's `not_context` words): as its column's name,
    /// or as the label right before it.
    fn labelled_against(
        &self,
        against: &[u32],
        hay: &[u8],
        start: usize,
        index: &mut ContextIndex,
    ) -> bool {
        if against.is_empty() {
            return false;
        }
        if header_says(index.columns.as_ref(), against, start) {
            return true;
        }
        let Some(found) = index.words(self.context.as_ref(), hay) else {
            return false;
        };
        labels_before(found, hay, start).any(|w| against.binary_search(&w.2).is_ok())
    }

    /// True when rule `k`'s pattern, anchored at `start`, matches up to `end`.
    fn fits(&self, k: usize, hay: &[u8], start: usize, end: usize) -> bool {
        let input = Input::new(hay).range(start..hay.len().min(start + self.max_len));
        let found = match self.rules[k].regex {
            Some(RegexOf::Always(pid)) => self.always.as_ref().and_then(|re| {
                re.search(&input.anchored(Anchored::Pattern(PatternID::new_unchecked(pid))))
            }),
            Some(RegexOf::Solo(g)) => self.solo[g].regex.search(&input.anchored(Anchored::Yes)),
            None => None,
        };
        found.is_some_and(|m| m.end() == end)
    }

    /// True when one of `words` occurs as a whole word on the same line
    /// within the context window around `start..end`.
    fn has_context(
        &self,
        words: &[u32],
        hay: &[u8],
        start: usize,
        end: usize,
        index: &mut ContextIndex,
    ) -> bool {
        // The header first: a value in a named column needs no look for
        // words around it (nor the chunk-wide index that look builds).
        if header_says(index.columns.as_ref(), words, start) {
            return true;
        }
        if index.words(self.context.as_ref(), hay).is_none() {
            return false;
        }
        let lo = start.saturating_sub(CONTEXT_BEFORE);
        let lo = memchr::memrchr(b'\n', &hay[lo..start]).map_or(lo, |i| lo + i + 1);
        let hi = (end + CONTEXT_AFTER).min(hay.len());
        let hi = memchr::memchr(b'\n', &hay[end..hi]).map_or(hi, |i| end + i);
        index.any_within(words, hay, lo, hi, start, end)
    }
}

/// The context words that label the value at `start`: within the context
/// window before it, with nothing but spaces, `:`, `=`, `#` or quotes
/// between (`order_id=`, `"Invoice": "`, `Order number: `).
fn labels_before<'a>(
    found: &'a [(usize, usize, u32)],
    hay: &'a [u8],
    start: usize,
) -> impl Iterator<Item = &'a (usize, usize, u32)> {
    let from = found.partition_point(|w| w.0 + CONTEXT_BEFORE < start);
    let to = found.partition_point(|w| w.0 < start);
    found[from..to]
        .iter()
        .filter(move |w| w.1 <= start && hay[w.1..start].iter().all(|b| b" \t:=#\"'".contains(b)))
}

/// True when the value at `start` sits in a data row under a column whose
/// name holds one of `words`.
fn header_says(columns: Option<&Columns>, words: &[u32], start: usize) -> bool {
    let Some(column) = columns.and_then(|c| c.column_at(start)) else {
        return false;
    };
    columns
        .and_then(|c| c.words.get(column))
        .is_some_and(|ids| ids.iter().any(|id| words.binary_search(id).is_ok()))
}

/// `. X`, `! X` or `? X` with X an upper-case letter: the end of a sentence
/// (`Tél. 06…` is an abbreviation, not one).
fn sentence_break(text: &[u8]) -> bool {
    text.windows(3).any(|w| {
        matches!(w[0], b'.' | b'!' | b'?')
            && w[1] == b' '
            && (w[2].is_ascii_uppercase() || w[2] >= 0xC0)
    })
}

/// Letters, digits and any byte of a non-ASCII UTF-8 character belong to a
/// word; `_` does not, so `phone_number` holds the word `phone`.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// A context phrase as labels spell it: `date of birth`, and in keys and
/// column names `date_of_birth`, `date-of-birth` and `dateOfBirth` (the
/// automaton folds ASCII case).
fn spellings(phrase: &str) -> Vec<String> {
    let mut out = vec![phrase.to_string()];
    if phrase.contains(' ') {
        out.extend(["_", "-", ""].map(|sep| phrase.replace(' ', sep)));
    }
    out
}

/// A context word and, if it has non-ASCII letters, its capitalised and
/// upper-cased forms: the automaton folds ASCII case only, and words like
/// `téléphone` need the rest.
fn case_variants(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return vec![lower];
    }
    let mut chars = lower.chars();
    let capital: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let mut out = vec![lower.clone(), capital, word.to_uppercase()];
    out.sort();
    out.dedup();
    out
}

/// The value a key labels, when the word at `start..end` is the whole of
/// a key: `"first_name": "Wei"`, `'surname' => 'Zhang'`, `nachname=Müller`,
/// `Vorname: Lukas`. The value runs to its closing quote, or, unquoted,
/// from a letter over letters, digits, spaces, `'`, `-` and `.`.
fn keyed_value(hay: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    const MAX_VALUE: usize = 128;
    let key_start = match hay[..start].last() {
        Some(&q @ (b'"' | b'\'')) => Some(q),
        None | Some(b' ' | b'\t' | b'\n' | b'{' | b',' | b'&' | b'?' | b';') => None,
        Some(_) => return None,
    };
    let mut at = end;
    if let Some(q) = key_start {
        (hay.get(at) == Some(&q)).then_some(())?;
        at += 1;
    }
    let skip = |at: &mut usize| {
        while matches!(hay.get(*at), Some(b' ' | b'\t')) {
            *at += 1;
        }
    };
    skip(&mut at);
    match hay.get(at..at + 2) {
        Some(b"=>") => at += 2,
        _ => match hay.get(at) {
            Some(b':' | b'=') => at += 1,
            _ => return None,
        },
    }
    skip(&mut at);
    let rest = &hay[at..hay.len().min(at + MAX_VALUE)];
    match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let len = memchr::memchr2(q, b'\n', &rest[1..])?;
            (rest[1 + len] == q).then(|| at + 1..at + 1 + len)
        }
        // Unquoted, a value is a word, not code: `SURNAME = Oid("2.5.4.4")`
        // and `firstname: *mut Win32::…` label nothing.
        Some(&b) if b.is_ascii_alphabetic() || b >= 0x80 => {
            let len = rest
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b >= 0x80 || b" '-.".contains(b)))
                .unwrap_or(rest.len());
            let code = rest.get(len).is_some_and(|b| b"([{<:".contains(b));
            (!code).then_some(at..at + len)
        }
        _ => None,
    }
}

/// Clips `(lo, hi)` ranges (sorted by `lo`) to `search` and merges those
/// that touch.
fn merge_windows(
    ranges: impl Iterator<Item = (usize, usize)>,
    search: &Range<usize>,
    out: &mut Vec<Range<usize>>,
) {
    for (lo, hi) in ranges {
        let (lo, hi) = (lo.max(search.start), hi.min(search.end));
        match out.last_mut() {
            Some(last) if lo <= last.end => last.end = last.end.max(hi),
            _ if lo < hi => out.push(lo..hi),
            _ => {}
        }
    }
}

/// Sorts hits by start and keeps one per span: where two overlap, the more
/// confident wins, then the higher-priority rule (lower index).
fn resolve_overlaps(hits: &mut Vec<Hit>) {
    hits.sort_by_key(|h| (h.start, h.rule));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits.drain(..) {
        match kept.last_mut() {
            Some(last) if hit.start < last.end => {
                if (hit.confidence, std::cmp::Reverse(hit.rule))
                    > (last.confidence, std::cmp::Reverse(last.rule))
                {
                    *last = hit;
                }
            }
            _ => kept.push(hit),
        }
    }
    *hits = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> (RuleSet, Detector) {
        let rules = RuleSet::builtin().unwrap();
        let det = Detector::new(&rules).unwrap();
        (rules, det)
    }

    fn kinds(text: &str) -> Vec<(String, String, Confidence)> {
        let (rules, det) = detector();
        det.find_all(text.as_bytes())
            .into_iter()
            .map(|h| {
                (
                    rules.get(h.rule).kind.to_string(),
                    text[h.start..h.end].to_string(),
                    h.confidence,
                )
            })
            .collect()
    }

    #[test]
    fn a_valid_card_is_not_also_a_phone() {
        let found = kinds("pay 4539 1488 0343 6467 now");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "credit_card");
    }

    #[test]
    fn a_failed_candidate_falls_through_to_other_rules() {
        // Not a card (fails Luhn), but a well-formed international number.
        let found = kinds("phone: +33 6 12 34 56 78 and 4539 1488 0343 6468");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "phone");
    }

    #[test]
    fn context_raises_confidence_as_whole_words_only() {
        let plain = kinds("ref 0612345678 end");
        let ctx = kinds("mobile: 0612345678 end");
        let sub = kinds("automobile 0612345678 end");
        assert_eq!(plain[0].2, Confidence::Low, "{plain:?}");
        assert_eq!(ctx[0].2, Confidence::Medium, "{ctx:?}");
        assert_eq!(sub[0].2, Confidence::Low, "{sub:?}");
    }

    #[test]
    fn documented_test_numbers_are_low_with_a_flag() {
        let (_, det) = detector();
        let hits = det.find_all(b"card 4111 1111 1111 1111 and card 4787 7893 2879 2170");
        assert_eq!(hits.len(), 2);
        assert!(hits[0].test_value && hits[0].confidence == Confidence::Low);
        assert!(!hits[1].test_value && hits[1].confidence == Confidence::High);
    }

    #[test]
    fn a_label_applies_to_the_value_next_to_it() {
        let (rules, det) = detector();
        let text = b"Date of birth: 15/03/1985. Invoice date: 27/12/2023.";
        let dobs: Vec<_> = det
            .find_all(text)
            .into_iter()
            .filter(|h| &*rules.get(h.rule).kind == "date_of_birth")
            .map(|h| h.start)
            .collect();
        assert_eq!(dobs, vec![15]);
        let phones = kinds("mobile: 06 12 34 56 78, 06 98 76 54 32");
        assert_eq!(phones[0].2, Confidence::High);
        assert_eq!(phones[1].2, Confidence::Medium);
    }

    #[test]
    fn context_stops_at_the_line() {
        let found = kinds("phone\n0612345678");
        assert_eq!(found[0].2, Confidence::Low, "{found:?}");
    }

    #[test]
    fn only_owned_starts_are_reported() {
        let (_, det) = detector();
        let hay = b"a@example.com b@example.com";
        let mut s = det.scratch();
        det.scan(hay, 0..hay.len(), 5, &mut s);
        assert_eq!(s.hits().len(), 1);
        det.scan(hay, 5..hay.len(), hay.len(), &mut s);
        assert_eq!(s.hits().len(), 1);
        assert_eq!(s.hits()[0].start, 14);
    }

    #[test]
    fn keyword_rules_search_only_the_run_around_their_keyword() {
        let rules = RuleSet::builtin().unwrap();
        let det = Detector::new(&rules).unwrap();
        let aws = det
            .solo
            .iter()
            .find(|s| &*rules.get(s.rule).id == "aws-access-key-id")
            .unwrap();
        let hay = b"export key=AKIAIOSFODNN7EXAMPLE; done";
        let at = hay.windows(4).position(|w| w == b"AKIA").unwrap();
        let (start, end) = aws.around(hay, at..at + 4);
        assert_eq!(&hay[start..end], b"AKIAIOSFODNN7EXAMPLE");
        // The longest match bounds the run.
        let long = [b'A'; 5000];
        let (start, end) = aws.around(&long, 2500..2504);
        assert_eq!((start, end), (2504 - aws.max_len, 2500 + aws.max_len));
    }

    #[test]
    fn overlaps_keep_the_stronger() {
        let mut hits = vec![
            Hit {
                rule: 3,
                start: 0,
                end: 10,
                confidence: Confidence::Low,
                test_value: false,
            },
            Hit {
                rule: 5,
                start: 2,
                end: 8,
                confidence: Confidence::High,
                test_value: false,
            },
            Hit {
                rule: 1,
                start: 12,
                end: 14,
                confidence: Confidence::Low,
                test_value: false,
            },
        ];
        resolve_overlaps(&mut hits);
        assert_eq!(hits.iter().map(|h| h.rule).collect::<Vec<_>>(), vec![5, 1]);
    }

    #[test]
    fn phrases_match_as_keys_and_column_names() {
        assert_eq!(
            spellings("date of birth"),
            [
                "date of birth",
                "date_of_birth",
                "date-of-birth",
                "dateofbirth"
            ]
        );
        assert_eq!(spellings("dob"), ["dob"]);
    }

    #[test]
    fn case_variants_cover_accents() {
        let v = case_variants("téléphone");
        assert!(v.contains(&"Téléphone".to_string()));
        assert!(v.contains(&"TÉLÉPHONE".to_string()));
    }

    #[test]
    fn loose_search_finds_what_the_exact_search_finds() {
        let hir = |p: &str| parse_with(p, &syntax_config()).unwrap();
        assert_eq!(loosen(&hir("a{0,63}b{2}c{11,18}")), hir("a*b{2}c{11,18}"));
        // The loose email pattern matches from the start of a 70-byte
        // local part; the exact one only from its 7th byte.
        let (rules, det) = detector();
        let local = "a".repeat(70);
        let text = format!("x {local}@example.com; 4111 1111 1111 1111 11111111111111111111");
        let exact = build_regex(
            &rules
                .rules()
                .iter()
                .map(|r| r.pattern.as_str())
                .collect::<Vec<_>>()[..],
            1 << 20,
        )
        .unwrap();
        let email = det.find_all(text.as_bytes());
        let first = exact.find(text.as_bytes()).unwrap();
        assert_eq!((email[0].start, email[0].end), (first.start(), first.end()));
        assert_eq!(email[0].start, 2 + 6);
        assert_eq!(
            email.len(),
            2,
            "the email and the card, not the 20-digit run"
        );
        // A long run is searched once, not once per byte (that took
        // minutes for a megabyte).
        let long = format!("x {}@example.com", "a".repeat(200_000));
        let hits = det.find_all(long.as_bytes());
        assert_eq!((hits.len(), hits[0].start), (1, long.len() - 12 - 64));
    }

    #[test]
    fn windowed_rules_search_only_the_line_of_their_word() {
        let (rules, det) = detector();
        let solo = det
            .solo
            .iter()
            .find(|g| rules.get(g.rule).id.as_ref() == "person-name")
            .unwrap();
        let hay = b"x = 1\nName: Anna Kowalski\ny = 2";
        assert_eq!(solo.reach(hay, 6..10), (6, 25));
        assert_eq!(kinds("x = 1\nName: Anna Kowalski\ny = 2").len(), 1);
    }
}
