//! Detection: one pass per chunk over all rules at once, then validators,
//! then context words.
//!
//! All always-on rules are compiled into one multi-pattern regex, searched
//! leftmost-first with patterns in priority order, so at any position the
//! more specific rule is tried first. When a candidate fails its
//! validators, the lower-priority rules are tried anchored at the same
//! position (a 16-digit number that fails Luhn may still be a phone
//! number), and the search resumes after the candidate. Every match is
//! bounded by its pattern, so each search reads a bounded stretch past
//! its candidate: a long line costs what short lines cost. Rules with
//! keywords run only around them (an email around its `@`: in the shared
//! regex, counting a local part's 64 bytes while other patterns count
//! digits multiplied DFA states), rules that need context only near it.
//!
//! - `compile`: a rule set becomes regexes and automata, once;
//! - `context`: context words around a candidate, labels, not-context;
//! - `columns`: column names as context, cells from the input's reader;
//! - `solo`: where each solo rule searches (keywords, cells, keys, phrases);
//! - this module: the per-chunk search, validation and overlap rules.

use std::ops::Range;

use regex_automata::{meta, Anchored, Input, PatternID, PatternSet};

use crate::finding::Confidence;
use crate::rules::ByteSet;

mod columns;
mod compile;
mod context;
mod indent;
mod recur;
mod solo;
mod words;

pub use self::columns::{Cells, Columns, Names};
pub use self::compile::BuildError;
use self::compile::{Compiled, Keywords, RegexOf, Solo};
use self::context::ContextIndex;

/// Bytes before a match searched for context words (same line only).
pub const CONTEXT_BEFORE: usize = 64;
/// Bytes after a match searched for context words (same line only).
pub const CONTEXT_AFTER: usize = 32;

/// A validated match: which rule, where, how sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule in the [`crate::rules::RuleSet`] the detector was built from.
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

/// The compiled form of a rule set, shared by all worker threads.
pub struct Detector {
    rules: Vec<Compiled>,
    /// All always-on rules; pattern `i` is rule `always_rules[i]`.
    always: Option<meta::Regex>,
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
    /// The context words, walked from each word start.
    context: Option<words::Words>,
    /// For each context word id, the rules it is a context word of.
    word_rules: Vec<Vec<usize>>,
    /// For each context word id, the solo rules that search around it
    /// (see [`Detector::solo_spans`]).
    word_solos: Vec<Vec<usize>>,
    /// Context word ids of a bare `name` key, and the column rules a full
    /// name is searched with when such a key's object is about a person.
    people: columns::People,
    max_len: usize,
}

/// Per-thread mutable state: regex caches and the hit buffer.
pub struct Scratch {
    always: Option<meta::Cache>,
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
    /// Candidates of keyword rules that failed their validators.
    rejected: Vec<Range<usize>>,
    context: ContextIndex,
    first_candidate: Option<usize>,
    resume: usize,
    next_columns: Option<Columns>,
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

impl Detector {
    /// Fresh per-thread state.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            always: self.always.as_ref().map(meta::Regex::create_cache),
            always_every: self.always_every.as_ref().map(meta::Regex::create_cache),
            matching: PatternSet::new(self.always_rules.len()),
            solo: self.solo.iter().map(|g| g.regex.create_cache()).collect(),
            keyword_hits: Vec::new(),
            windows: Vec::new(),
            spans: vec![Vec::new(); self.solo.len()],
            spans_built: false,
            hits: Vec::new(),
            rejected: Vec::new(),
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
        scratch.rejected.clear();
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
        if self.recur_names(hay, &search, owned_end, scratch) {
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
        let mut at = search.start;
        while at < search.end {
            let input = Input::new(hay).range(at..search.end);
            let Some(m) = re.search_with(cache, &input) else {
                break;
            };
            if m.start() >= owned_end {
                break;
            }
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
        self.accept_near(rule, hay, start..end, index, false)
    }

    /// [`Detector::accept`], told whether a context word is known to
    /// label the candidate (it follows one).
    fn accept_near(
        &self,
        rule: usize,
        hay: &[u8],
        span: Range<usize>,
        index: &mut ContextIndex,
        labelled: bool,
    ) -> Option<Hit> {
        let (start, end) = (span.start, span.end);
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
        let context = labelled
            || useful
                && !r.context.is_empty()
                && self.has_context((&r.context, r.reaches_back), hay, start, end, index);
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
}

#[cfg(test)]
mod tests {
    use super::compile::build_regex;
    use super::context::{case_variants, spellings};
    use super::*;
    use crate::rules::RuleSet;

    fn detector() -> (RuleSet, Detector) {
        let rules = RuleSet::builtin().unwrap();
        let det = Detector::new(&rules).unwrap();
        (rules, det)
    }

    #[test]
    fn hits_come_in_order_when_a_rejected_candidate_hides_one_and_another_is_added() {
        // Found by fuzzing masks: a keyword rule's rejected candidate hid a
        // shared hit while an email was added, the count stayed the same,
        // and the hits were left unsorted (the scan then panicked).
        let hay = include_bytes!("../../tests/data/hits-out-of-order.csv");
        let rules = RuleSet::builtin().unwrap();
        let det = Detector::with_min_confidence(&rules, Confidence::Low).unwrap();
        let starts: Vec<usize> = det.find_all(hay).iter().map(|h| h.start).collect();
        assert!(starts.len() >= 3 && starts.is_sorted(), "{starts:?}");
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
    fn a_label_reaches_back_one_sentence_not_two() {
        let dob = |text: &str| kinds(text).iter().any(|k| k.0 == "date_of_birth");
        assert!(dob("My date of birth is wrong. It should be 03/05/1970."));
        assert!(!dob(
            "My date of birth is wrong. Sorry. It should be 03/05/1970."
        ));
        // After the value, a word stays in its sentence; a sentence with
        // a label of its own keeps its value.
        assert!(!dob("It should be 03/05/1970. Check the date of birth."));
        assert!(!dob("Date of birth not provided. Invoice date: 2024-01-02"));
        // Other kinds' words stop at the sentence end.
        let kinds_of = |text: &str| kinds(text).into_iter().map(|k| k.0).collect::<Vec<_>>();
        assert!(kinds_of("The card was declined. EAN 4626852567377").is_empty());
        assert!(!kinds_of("NPI pending. Office 212-555-0105").contains(&"us_npi".into()));
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
    fn whole_words_stand_between_non_word_bytes_or_the_ends() {
        use super::context::whole_word;
        let hay = b"name surname_x";
        assert!(whole_word(hay, 0, 4));
        assert!(!whole_word(hay, 8, 12), "`name` inside `surname`");
        assert!(whole_word(hay, 5, 12), "`_` ends a word");
        assert!(whole_word(hay, 13, 14), "at the end");
    }

    #[test]
    fn a_rejected_email_hides_its_digits() {
        // A message id is no email, and the Luhn-valid digits inside its
        // local part no card (where the id starts, other rules are tried
        // at that start, as after any rejected candidate).
        let found = kinds("Message-ID: <x.4111111111111111@mail.example.com>\n");
        assert!(found.is_empty(), "{found:?}");
        // Outside the rejected candidate, the same digits are a card.
        let found = kinds("Message-ID: <x@mail.example.com> card 4111111111111111\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "credit_card");
    }

    #[test]
    fn an_email_starts_at_most_64_bytes_before_its_at() {
        // Of a 70-byte run before the `@`, the last 64 are the local part.
        let (rules, det) = detector();
        let local = "a".repeat(70);
        let text = format!("x {local}@example.com; 4111 1111 1111 1111 11111111111111111111");
        // Column rules search only their cells.
        let exact = build_regex(
            &rules
                .rules()
                .iter()
                .filter(|r| !r.column_only)
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
