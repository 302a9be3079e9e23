//! Network identifiers: IPv4, IPv6 and MAC addresses.

use super::contact::placeholder_groups;

/// An IPv4 address in dotted-quad form with no leading zeros, that names a
/// host: not unspecified (0.0.0.0), loopback, broadcast or a netmask.
pub fn ipv4(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    if text.split('.').any(|o| o.len() > 1 && o.starts_with('0')) {
        return false;
    }
    let Ok(ip) = text.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    let o = ip.octets();
    // `2.1.2.2`, `1.8.2.1`: four single digits are a version or a section
    // number far more often than a host (and the few such hosts are public
    // resolvers, not anyone's address).
    let all_single = o.iter().all(|&x| x < 10);
    !(all_single
        || ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_broadcast()
        || o[0] == 255
        || o[3] == 255 && o[0] == 0)
}

/// An IPv6 address (full, compressed or with an IPv4 tail) that names a
/// host, and that cannot be mistaken for a time (`12:30:45`), a MAC address
/// or a code path (`a::b`, `dfa::DFA`, `f16::E`): at least one group has
/// three or more hex digits, there is a decimal digit, and letters are all
/// lower or all upper case.
pub fn ipv6(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let Ok(ip) = text.parse::<std::net::Ipv6Addr>() else {
        return false;
    };
    let wide_group = text.split([':', '.']).any(|g| g.len() >= 3);
    // Four groups or more written out make an address whatever its case
    // (with fewer, mixed case is a word: `Dead:Beef::1`), and four or more
    // with a trailing `::` (`2001:db8:1152:c1e4:1091::`; with fewer it is
    // a network prefix: `fe80::`, `2001:db8::`).
    let groups = text.split(':').filter(|g| !g.is_empty());
    let count = groups.clone().count();
    let digits = groups.filter(|g| g.bytes().any(|b| b.is_ascii_digit()));
    let long = count >= 4 && digits.count() >= 3;
    // Below four groups, a trailing `::` ends a prefix; with four it may
    // (`2001:db8:1:2::`), which `ipv6_isolated` decides by the line.
    let prefix_only = text.ends_with("::") && count < 4;
    let digit = value.iter().any(u8::is_ascii_digit);
    wide_group
        && (one_case(value) || long)
        && digit
        && !prefix_only
        && !ip.is_unspecified()
        && !ip.is_loopback()
}

/// A MAC address as software prints it: letters all in one case, and not
/// decimal groups that count (`01:02:03:04:05:06` is a timecode or a
/// placeholder; groups with hex letters are not counted).
pub fn mac(value: &[u8]) -> bool {
    one_case(value) && !placeholder_groups(value) && !group_address(value)
}

/// A multicast or broadcast address (the low bit of the first octet set:
/// `01:00:5e:…`, `33:33:…`, `ff:ff:…`) names a group of listeners, not a
/// device.
fn group_address(value: &[u8]) -> bool {
    let first = value.get(..2).and_then(|h| std::str::from_utf8(h).ok());
    first
        .and_then(|h| u8::from_str_radix(h, 16).ok())
        .is_some_and(|o| o & 1 == 1)
}

/// Letters all lower or all upper case, as software prints hex.
fn one_case(value: &[u8]) -> bool {
    !(value.iter().any(u8::is_ascii_lowercase) && value.iter().any(u8::is_ascii_uppercase))
}
