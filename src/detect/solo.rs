//! The solo rules' search: each runs on its own regex, only where it can
//! match — around its keywords, in the cells of columns named for it,
//! after the keys or phrases its context words begin, or near those words
//! — instead of over every byte in the shared regex.

use std::ops::Range;

use regex_automata::{Anchored, Input};

use super::compile::RegexOf;
use super::context::{
    following_phrase, keyed_list, keyed_value, opened_by, phrase_on_own_line, typed_object,
    ContextIndex,
};
use super::{Detector, Scratch};

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

impl Detector {
    /// Runs the solo rules, each only where it can match: keyword rules
    /// around their keywords (a keyword lies inside every match), windowed
    /// rules around their context words. True if any hit was added.
    pub(super) fn scan_solo(
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
            // Between an SQL dump's tuples: the windows around context words.
            let mut free_text = Vec::new();
            let rule = &self.rules[solo.rule];
            // A column named by a context word of the rule and none of its
            // `not_context` words (`billing_address`, not `email_address`).
            let names = |ids: &Vec<u32>| {
                let has = |words: &[u32]| ids.iter().any(|id| words.binary_search(id).is_ok());
                has(&rule.context) && !has(&rule.against)
            };
            // A rule whose keys count only inside a parent key names no
            // column.
            let named_column = (scratch.context.columns.as_ref())
                .filter(|c| solo.inside.is_empty() && c.words.iter().any(names));
            if let (true, Some(columns)) = (solo.windowed, named_column) {
                // A column is named for this rule: its cell in every row may
                // hold a value (context words elsewhere are not looked at).
                let wanted: Vec<usize> = (0..columns.words.len())
                    .filter(|&c| names(&columns.words[c]))
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
                // Between an SQL dump's tuples, text as anywhere else: a
                // comment's `date of birth: …` is looked at around its
                // words too.
                if columns.free_between {
                    if let Some(spans) = self.solo_spans(
                        hay,
                        &mut scratch.context,
                        &mut scratch.spans,
                        &mut scratch.spans_built,
                    ) {
                        let mut around = Vec::new();
                        if solo.one_try() {
                            let inside = spans[g].iter().map(|&(lo, hi)| lo..hi);
                            around.extend(
                                inside.filter(|w| w.start >= search.start && w.start < search.end),
                            );
                        } else {
                            merge_windows(spans[g].iter().copied(), search, &mut around);
                        }
                        free_text = around;
                    }
                }
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
                if solo.one_try() {
                    // Each phrase or value is tried on its own, anchored;
                    // one that began before this search is the previous
                    // chunk's.
                    let inside = spans[g].iter().map(|&(lo, hi)| lo..hi);
                    windows
                        .extend(inside.filter(|w| w.start >= search.start && w.start < search.end));
                } else {
                    merge_windows(spans[g].iter().copied(), search, &mut windows);
                }
            } else {
                // A keyword lies inside the match, and the match within the
                // run of its alphabet around the keyword. The run may begin
                // before this search: a candidate starting there is the
                // previous chunk's, but the search goes on after its end,
                // as a scan of the whole input would.
                let near = scratch
                    .keyword_hits
                    .iter()
                    .filter(|k| solo.keywords.binary_search(&k.2).is_ok());
                merge_windows(
                    near.map(|k| solo.around(hay, k.0..k.1)),
                    &(0..search.end),
                    &mut windows,
                );
            }
            // Free text is searched on its own: a candidate the cells'
            // search passed is tried again around its words.
            for windows in [&windows, &free_text] {
                let mut at = match solo.keywords.is_empty() {
                    true => search.start,
                    false => 0,
                };
                for window in windows {
                    let from = if solo.one_try() {
                        window.start
                    } else {
                        at.max(window.start)
                    };
                    let owned = search.start..owned_end;
                    at = self.run_solo(g, hay, from..window.end, owned, scratch);
                }
            }
        }
        scratch.windows = windows;
        // Counted before the shadow drops any: a rejected candidate that
        // hides one shared hit while another rule adds one leaves the
        // count as it was, and the hits out of order.
        let added = scratch.hits.len() > before;
        if !scratch.rejected.is_empty() {
            self.shadow(&mut scratch.rejected, &mut scratch.hits);
        }
        added
    }

    /// Drops the shared regex's hits that start inside a keyword rule's
    /// rejected candidate (`<4111111111111111@mail.example>` is a
    /// message id, and holds no card number): a candidate that fails its
    /// validators hides its bytes from every rule, as one of the shared
    /// regex does.
    fn shadow(&self, rejected: &mut Vec<Range<usize>>, hits: &mut Vec<super::Hit>) {
        // Merged in place, the spans are disjoint: the last one starting
        // before a hit is the only one that can hold it.
        rejected.sort_unstable_by_key(|r| r.start);
        rejected.dedup_by(|r, last| {
            let overlaps = r.start < last.end;
            if overlaps {
                last.end = last.end.max(r.end);
            }
            overlaps
        });
        hits.retain(|h| {
            let shared = matches!(self.rules[h.rule].regex, Some(RegexOf::Always(_)));
            let before = rejected.partition_point(|r| r.start < h.start);
            !(shared && before > 0 && h.start < rejected[before - 1].end)
        });
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
            for (i, w) in found.iter().enumerate() {
                if self.people.bare_name(w.2) {
                    // `"name"` in a billing, customer or user object.
                    let value = keyed_value(hay, w.0, w.1);
                    if let Some(v) = value.filter(|_| self.about_people(hay, w, found)) {
                        for &g in &self.people.full_name_solos {
                            spans[g].push((v.start, v.end));
                        }
                    }
                }
                // The object a type key's value speaks for, looked for once.
                let mut typed = None;
                for &g in &self.word_solos[w.2 as usize] {
                    let solo = &self.solo[g];
                    let span = if solo.column_only {
                        // A key whose word before says another kind
                        // (`Server address:`) labels nothing for this rule.
                        let against = &self.rules[solo.rule].against;
                        let vetoed = found[..i].iter().rev().take(4).any(|x| {
                            x.1 <= w.0 && w.0 - x.1 <= 1 && against.binary_search(&x.2).is_ok()
                        });
                        // Under a parent key, the parent is looked for only
                        // once a value is seen (`text` and `line` are in
                        // every other sentence).
                        let value = match solo.inside.is_empty() {
                            true => keyed_value(hay, w.0, w.1),
                            false => keyed_value(hay, w.0, w.1)
                                .or_else(|| keyed_list(hay, w.0, w.1))
                                .filter(|_| opened_by(hay, w.0, &solo.inside)),
                        };
                        value.filter(|_| !vetoed).map(|v| (v.start, v.end))
                    } else if solo.follows_context {
                        following_phrase(hay, w.0, w.1).map(|v| (v.start, v.end))
                    } else {
                        Some(solo.reach(hay, w.0..w.1))
                    };
                    spans[g].extend(span);
                    // `"type": "ssn"` speaks for its object's other values,
                    // on whatever lines they are.
                    if solo.windowed && !solo.column_only && !solo.follows_context {
                        spans[g].extend(*typed.get_or_insert_with(|| typed_object(hay, w.0)));
                    }
                }
            }
            // A typed object's span starts before its word.
            spans.iter_mut().for_each(|s| s.sort_unstable());
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
        owned: Range<usize>,
        scratch: &mut Scratch,
    ) -> usize {
        let owned_end = owned.end;
        let solo = &self.solo[g];
        if solo.one_try() {
            // The phrase or value is the match or nothing: one anchored try
            // (past a quoted cell's opening quote).
            let quote = hay[range.clone()]
                .iter()
                .take_while(|b| b"\"' ".contains(b))
                .count();
            let from = range.start + quote;
            let input = Input::new(hay)
                .range(from..range.end)
                .anchored(Anchored::Yes);
            let found = solo.regex.search_with(&mut scratch.solo[g], &input);
            // On a line of its own, the name is the whole line.
            let whole = |m: &regex_automata::Match| {
                let own_line = solo.follows_context && phrase_on_own_line(hay, range.start);
                !(solo.whole_phrase || own_line)
                    || hay[m.end()..range.end]
                        .iter()
                        .all(|b| b" .!\"'\r\n".contains(b))
            };
            let found = found.filter(whole);
            let hit = found.filter(|m| m.start() < owned_end).and_then(|m| {
                let span = m.start()..m.end();
                self.accept_near(solo.rule, hay, span, &mut scratch.context, true)
            });
            scratch.hits.extend(hit);
            return range.end;
        }
        let mut at = range.start;
        while at < range.end {
            let input = Input::new(hay).range(at..range.end);
            let Some(m) = solo.regex.search_with(&mut scratch.solo[g], &input) else {
                return range.end;
            };
            if m.start() >= owned_end {
                return range.end;
            }
            // A column rule's windows are its cells and keyed values: the
            // column or key labels every match in them.
            let span = m.start()..m.end();
            match self.accept_near(solo.rule, hay, span, &mut scratch.context, solo.column_only) {
                // A keyword rule's candidate that starts before this search
                // is the previous chunk's; the search goes on after it.
                Some(_) if m.start() < owned.start => at = m.end(),
                Some(hit) => {
                    scratch.hits.push(hit);
                    at = m.end();
                }
                // A rejected candidate near context may hold a valid one
                // further in ("Herr Lukas Müller" holds "Lukas Müller");
                // one around a keyword is rejected whole, as the shared
                // regex's are (`user:pass@host` holds no `ass@host`).
                None if solo.keywords.is_empty() => at = m.start() + 1,
                None => {
                    scratch.rejected.push(m.start()..m.end());
                    at = m.end();
                }
            }
        }
        at
    }
}
