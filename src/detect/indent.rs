//! Objects of indented text (YAML, and INI sections): what JSON says with
//! braces, YAML says with indentation. A key line's block is the run of
//! lines around it at its indentation; the key that opens the block is on
//! the nearest line above it indented less.

/// How far around a key a block is looked for.
const REACH: usize = 1024;

/// A line of indented text: where it starts, its indentation (a list
/// item's `- ` counted in), and whether it opens a list item.
struct Line {
    start: usize,
    end: usize,
    indent: usize,
    item: bool,
}

fn line_at(hay: &[u8], pos: usize) -> Line {
    let start = memchr::memrchr(b'\n', &hay[..pos]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &hay[pos..]).map_or(hay.len(), |i| pos + i);
    let spaces = hay[start..end].iter().take_while(|&&b| b == b' ').count();
    let item = hay[start + spaces..end].starts_with(b"- ");
    let indent = spaces + if item { 2 } else { 0 };
    Line {
        start,
        end,
        indent,
        item,
    }
}

/// True when a line holds nothing to read (blank or a comment).
fn empty(hay: &[u8], line: &Line) -> bool {
    let text = hay[line.start..line.end].trim_ascii();
    text.is_empty() || text.starts_with(b"#")
}

/// True when the key at `start` begins its line (after its indentation and
/// a list item's `- `), unquoted: a YAML or INI key.
pub(super) fn starts_line(hay: &[u8], start: usize) -> bool {
    let line = line_at(hay, start);
    line.start + line.indent == start
}

/// The lines of the block holding the key at `start`, as a range: the
/// lines around it indented as much, up to a line indented less, an INI
/// section header, or the next list item at its level.
pub(super) fn block(hay: &[u8], start: usize) -> (usize, usize) {
    let own = line_at(hay, start);
    let (lo_limit, hi_limit) = (start.saturating_sub(REACH), (start + REACH).min(hay.len()));
    let mut lo = own.start;
    if !own.item {
        while lo > lo_limit {
            let above = line_at(hay, lo - 1);
            let section = hay[above.start..above.end].trim_ascii().starts_with(b"[");
            if section || (!empty(hay, &above) && above.indent < own.indent) {
                break;
            }
            lo = above.start;
            if above.item && above.indent == own.indent {
                break;
            }
        }
    }
    let mut hi = own.end;
    while hi < hi_limit {
        let below = line_at(hay, hi + 1);
        let section = hay[below.start..below.end].trim_ascii().starts_with(b"[");
        let next_item = below.item && below.indent <= own.indent;
        if section || next_item || (!empty(hay, &below) && below.indent < own.indent) {
            break;
        }
        hi = below.end;
    }
    (lo, hi)
}

/// The key that opens the block holding the key at `start` (`name` for
/// `first:` in `name:⏎  first: Beata`), if the line above indented less
/// is a key with no value.
pub(super) fn parent_key(hay: &[u8], start: usize) -> Option<&[u8]> {
    let own = line_at(hay, start);
    let mut at = own.start;
    let lo_limit = start.saturating_sub(REACH);
    while at > lo_limit {
        let above = line_at(hay, at - 1);
        at = above.start;
        if empty(hay, &above) || above.indent >= own.indent {
            continue;
        }
        let text = hay[above.start + above.indent..above.end].trim_ascii_end();
        return text.strip_suffix(b":").map(<[u8]>::trim_ascii);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_parents() {
        let yaml = b"users:\n  - id: 1\n    name: Isla Davies\n    email: i@example.org\n  - id: 2\n    name: Bo\nowner:\n  name:\n    first: Beata\n";
        let at = |s: &[u8]| memchr::memmem::find(yaml, s).unwrap();
        let (lo, hi) = block(yaml, at(b"name: Isla"));
        assert_eq!(
            &yaml[lo..hi],
            b"  - id: 1\n    name: Isla Davies\n    email: i@example.org"
        );
        assert_eq!(parent_key(yaml, at(b"first")), Some(&b"name"[..]));
        assert_eq!(parent_key(yaml, at(b"name: Isla")), Some(&b"users"[..]));
        assert!(starts_line(yaml, at(b"first")));
        let ini = b"[contact]\nname=Ann Lee\ntel=+44 20 7946 0958\n[server]\nname=db1\n";
        let at = |s: &[u8]| memchr::memmem::find(ini, s).unwrap();
        let (lo, hi) = block(ini, at(b"name=Ann"));
        assert_eq!(&ini[lo..hi], b"name=Ann Lee\ntel=+44 20 7946 0958");
    }
}
