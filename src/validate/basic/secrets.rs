//! Credentials in URLs.

/// A URL that carries a real password (`scheme://user:secret@host`), not a
/// placeholder such as `password`, `xxx`, `${DB_PASS}` or `<password>`.
pub fn url_password(value: &[u8]) -> bool {
    let Some(scheme_end) = find(value, b"://") else {
        return false;
    };
    let rest = &value[scheme_end + 3..];
    let Some(at) = rest.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let userinfo = &rest[..at];
    if userinfo.contains(&b'/') {
        return false; // the `@` is in the path, not in the authority
    }
    let Some(colon) = userinfo.iter().position(|&b| b == b':') else {
        return false;
    };
    let password = &userinfo[colon + 1..];
    let lower: Vec<u8> = password.to_ascii_lowercase();
    let placeholder = matches!(
        lower.as_slice(),
        b"password"
            | b"passwd"
            | b"pass"
            | b"pwd"
            | b"secret"
            | b"changeme"
            | b"example"
            | b"user"
            | b"test"
    ) || password
        .iter()
        .all(|&b| b == b'*' || b == b'x' || b == b'X' || b == b'.')
        || matches!(password.first(), Some(b'$' | b'<' | b'{' | b'%'));
    !password.is_empty() && !placeholder
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
