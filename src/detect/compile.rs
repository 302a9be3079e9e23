//! Building a detector from a rule set: the shared always-on regex, one
//! regex per rule searched on its own, keyword and context-word automata.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta;

use crate::finding::Confidence;
use crate::rules::{syntax_config, ByteSet, RuleSet};
use crate::validate::Validator;

use super::context::{case_variants, spellings};
use super::{Detector, CONTEXT_AFTER, CONTEXT_BEFORE};

/// What the detector needs of each rule at scan time.
pub(super) struct Compiled {
    pub(super) validators: Vec<Validator>,
    pub(super) normalize: crate::finding::Normalize,
    pub(super) test_values: Vec<Vec<u8>>,
    /// Sorted ids of this rule's words in the context automaton.
    pub(super) context: Vec<u32>,
    /// Sorted ids of the words that say a value is not this rule's.
    pub(super) against: Vec<u32>,
    pub(super) context_required: bool,
    pub(super) confidence: Confidence,
    pub(super) kind: std::sync::Arc<str>,
    pub(super) yields_to_labels: bool,
    /// A context word may stand one sentence back.
    pub(super) reaches_back: bool,
    /// Where the rule's pattern is compiled, if it is.
    pub(super) regex: Option<RegexOf>,
}

/// Which compiled regex holds a rule's pattern.
#[derive(Clone, Copy)]
pub(super) enum RegexOf {
    /// Pattern `pid` of the shared regex.
    Always(usize),
    /// The regex of solo rule `g`.
    Solo(usize),
}

/// A rule run on its own regex rather than in the shared one: either gated
/// by keywords (it runs only in chunks where one occurs) or, when it needs
/// context, windowed (it runs only near its context words).
pub(super) struct Solo {
    pub(super) rule: usize,
    pub(super) regex: meta::Regex,
    /// Search only near the rule's context words.
    pub(super) windowed: bool,
    /// Search only the cells of columns named for the rule.
    pub(super) column_only: bool,
    /// Search only the phrase right after each context word, anchored.
    pub(super) follows_context: bool,
    /// The match must be all of the phrase, cell or keyed value.
    pub(super) whole_phrase: bool,
    /// Ids of the rule's keywords in the keyword automaton, sorted.
    pub(super) keywords: Vec<u32>,
    /// Ids of the context words that, as keys in running text, label a
    /// value for a `column_only` rule (all but its `header_only` words),
    /// sorted.
    pub(super) keys: Vec<u32>,
    /// Keys inside which alone the rule's keys label a value (lower case);
    /// empty for a rule whose keys and columns label values anywhere.
    pub(super) inside: Vec<String>,
    pub(super) max_len: usize,
    pub(super) alphabet: ByteSet,
}

impl Solo {
    /// True when each window is one phrase or value, tried once anchored
    /// at its start (not searched for a match anywhere in it).
    pub(super) fn one_try(&self) -> bool {
        self.follows_context || self.whole_phrase
    }

    /// Where a match with the context word at `word` can lie: within the
    /// context window's reach of it, and on its line when no match holds
    /// a line break (context counts only on the match's line). In source
    /// code, where `name` is on every other line, that is a line and not
    /// a dozen around each.
    pub(super) fn reach(&self, hay: &[u8], word: Range<usize>) -> (usize, usize) {
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
    pub(super) fn around(&self, hay: &[u8], keyword: Range<usize>) -> (usize, usize) {
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
pub(super) struct Keywords {
    /// The keywords of more than one byte, and each one's id.
    ac: Option<(AhoCorasick, Vec<u32>)>,
    /// One keyword of the automaton lies inside another: occurrences can
    /// share a start.
    nested: bool,
    /// The one-byte keywords (an email's `@`) and their ids, found with
    /// `memchr`: in one automaton with the others, the commonest byte
    /// would stop its prefilter at every occurrence.
    bytes: Vec<(u8, u32)>,
}

impl Keywords {
    pub(super) fn new(words: &[String]) -> Keywords {
        let ids = 0..words.len() as u32;
        let (short, long): (Vec<u32>, Vec<u32>) = ids.partition(|&i| words[i as usize].len() == 1);
        let long_words: Vec<&str> = long.iter().map(|&i| words[i as usize].as_str()).collect();
        let nested =
            (long_words.iter()).any(|a| long_words.iter().any(|b| a != b && b.contains(a)));
        // Without nesting, a leftmost search restarted one byte past each
        // occurrence finds them all, and can skip ahead with a prefilter
        // (an overlapping search walks every byte).
        let kind = if nested {
            MatchKind::Standard
        } else {
            MatchKind::LeftmostFirst
        };
        let ac = (!long.is_empty()).then(|| {
            let ac = AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(&long_words)
                .expect("keyword automaton");
            (ac, long)
        });
        let bytes = short
            .iter()
            .map(|&i| (words[i as usize].as_bytes()[0], i))
            .collect();
        Keywords { ac, nested, bytes }
    }

    /// Every occurrence in `hay[range]` as (start, end, keyword id), sorted.
    pub(super) fn find_all(
        &self,
        hay: &[u8],
        range: Range<usize>,
        out: &mut Vec<(usize, usize, u32)>,
    ) {
        let from = out.len();
        for &(byte, id) in &self.bytes {
            let at = memchr::memchr_iter(byte, &hay[range.clone()]);
            out.extend(at.map(|i| (range.start + i, range.start + i + 1, id)));
        }
        if let Some((ac, ids)) = &self.ac {
            let found = |m: aho_corasick::Match| (m.start(), m.end(), ids[m.pattern().as_usize()]);
            let input = aho_corasick::Input::new(hay).span(range.clone());
            if self.nested {
                out.extend(ac.find_overlapping_iter(input).map(found));
            } else {
                let mut at = range.start;
                while let Some(m) = ac.find(input.clone().span(at..range.end)) {
                    out.push(found(m));
                    at = m.start() + 1;
                }
            }
        }
        if self.nested || !self.bytes.is_empty() {
            out[from..].sort_unstable();
        }
    }
}

/// Why a rule set could not be compiled (each rule file was valid on its
/// own: this is about patterns, not about usage).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A rule searched on its own regex.
    #[error("rule `{rule}`: {cause}")]
    Rule {
        /// The rule id.
        rule: String,
        /// What the regex builder said.
        cause: Box<meta::BuildError>,
    },
    /// The shared regex of the always-on rules.
    #[error("the shared regex of the always-on rules: {0}")]
    Shared(Box<meta::BuildError>),
    /// A pattern that does not parse (rule loading checks each one first).
    #[error("a pattern of the always-on rules: {0}")]
    Syntax(Box<regex_syntax::Error>),
}

/// Lazy DFA cache per thread. With dozens of rules the DFA has many states;
/// a cache too small is cleared over and over and the search falls back to
/// slower engines.
pub(super) const HYBRID_CACHE: usize = 16 << 20;

/// Lazy DFA cache per thread of a rule that runs on its own regex.
pub(super) const SOLO_CACHE: usize = 256 << 10;

/// Builds a regex over `patterns`. No literal prefilter: personal data has
/// no common literal, and a prefilter over hundreds of leading bytes costs
/// more than it saves.
pub(super) fn build_regex(
    patterns: &[&str],
    cache: usize,
) -> Result<meta::Regex, Box<meta::BuildError>> {
    build_regex_as(patterns, cache, regex_automata::MatchKind::LeftmostFirst)
}

pub(super) fn build_regex_as(
    patterns: &[&str],
    cache: usize,
    kind: regex_automata::MatchKind,
) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Regex::builder()
        .syntax(syntax_config())
        .configure(search_config(cache, kind))
        .build_many(patterns)
        .map_err(Box::new)
}

pub(super) fn search_config(cache: usize, kind: regex_automata::MatchKind) -> meta::Config {
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
        // The ids of a phrase's spellings in the context automaton (as
        // written only, for a phrase that is prose and never a key: a
        // greeting, a sign-off).
        let mut intern = |phrase: &str, prose: bool| -> Vec<u32> {
            let spelt = match prose {
                true => vec![phrase.to_string()],
                false => spellings(phrase),
            };
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
                let ids = intern(phrase, rule.follows_context);
                if !rule.header_only.contains(phrase) {
                    keys.extend(&ids);
                }
                context.extend(ids);
            }
            let mut against: Vec<u32> = rule
                .not_context
                .iter()
                .flat_map(|p| intern(p, false))
                .collect();
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
                reaches_back: rule.context_reaches_back,
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
                build_regex(&[&rule.pattern], SOLO_CACHE).map_err(|cause| BuildError::Rule {
                    rule: rule.id.to_string(),
                    cause,
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
                follows_context: rule.follows_context,
                whole_phrase: rule.whole_phrase,
                keywords: ids,
                keys,
                inside: rule.inside_key.iter().map(|k| k.to_lowercase()).collect(),
                max_len: rule.max_len,
                alphabet: rule.alphabet,
            });
        }
        let chain = |kind| {
            (!always_patterns.is_empty())
                .then(|| build_regex_as(&always_patterns, HYBRID_CACHE, kind))
                .transpose()
                .map_err(BuildError::Shared)
        };
        let always = chain(regex_automata::MatchKind::LeftmostFirst)?;
        let always_every = chain(regex_automata::MatchKind::All)?;
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
        let people = super::columns::People::new(&words, &solo, &compiled);
        Ok(Detector {
            word_rules,
            word_solos,
            people,
            rules: compiled,
            always,
            always_every,
            always_first: always_rules.iter().map(|&i| rules.get(i).first).collect(),
            always_rules,
            solo,
            keywords: (!keywords.is_empty()).then(|| Keywords::new(&keywords)),
            context: (!words.is_empty()).then(|| super::words::Words::new(&words)),
            max_len: rules.rules().iter().map(|r| r.max_len).max().unwrap_or(0),
        })
    }
}
