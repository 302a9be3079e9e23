//! Validators for the first detectors: cards, IBANs, US SSNs, IP addresses,
//! phone numbers and email addresses, one file per family.

mod address;
mod bank;
mod calling_codes;
mod cards;
mod contact;
mod dates;
mod government;
mod network;
mod secrets;
#[cfg(test)]
mod tests;

pub use self::address::*;
pub use self::bank::*;
pub use self::cards::*;
pub use self::contact::*;
pub use self::dates::*;
pub use self::government::*;
pub use self::network::*;
pub use self::secrets::*;

/// Copies the ASCII digits of `value` into `out`; `None` if there are more
/// than `out` can hold. Separators are skipped, anything else is kept out.
#[inline]
pub fn digits_of<const N: usize>(value: &[u8], out: &mut [u8; N]) -> Option<usize> {
    let mut n = 0;
    for &b in value {
        if b.is_ascii_digit() {
            *out.get_mut(n)? = b - b'0';
            n += 1;
        }
    }
    Some(n)
}
