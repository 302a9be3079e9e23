//! Text from inputs (file and member names) made safe for a terminal: a
//! leaf every stage may use to name a path in a message or an output.

/// Escapes control characters so a file name cannot move the cursor, clear
/// the screen or forge a line of output.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
