//! Text from inputs (file and member names, column names) made safe for a
//! terminal: a leaf every stage may use to name a path in a message or an
//! output.

/// Escapes control characters so a file name cannot move the cursor, clear
/// the screen or forge a line of output, and the invisible marks that
/// reorder what a terminal shows (U+202E makes `gpj.exe` read `exe.jpg`).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A character a terminal would act on rather than show.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || reorders(c)
}

/// Unicode's bidirectional formatting characters: embeddings, overrides,
/// isolates and the implicit marks.
fn reorders(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_c1_and_bidi_marks() {
        assert_eq!(sanitize("a\u{1b}]0;t\u{7}b"), "a\\u{1b}]0;t\\u{7}b");
        assert_eq!(sanitize("x\u{9b}2J"), "x\\u{9b}2J");
        assert_eq!(sanitize("inv\u{202e}gpj.exe"), "inv\\u{202e}gpj.exe");
        assert_eq!(sanitize("Straße,ok"), "Straße,ok");
        assert!(!"Straße,ok".chars().any(is_unsafe) && is_unsafe('\u{2067}'));
    }
}
