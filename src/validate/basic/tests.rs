//! The validators against valid values and near misses.

use super::*;
use proptest::prelude::*;

#[test]
fn cards() {
    for ok in [
        "4111111111111111",
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "2223000048400011",
        "378282246310005",
        "3782 822463 10005",
        "6011111111111117",
        "3566002020360505",
        "30569309025904",
        "6200000000000005",
        "2200844853180763",
        "6363686752044861",
        "6062820124992523",
        "4222222222222",
    ] {
        assert!(card(ok.as_bytes()), "{ok}");
    }
    for bad in [
        "4111111111111112",
        "4111 1111-1111 1111",
        "41111 11111 11111 1",
        "1234567812345670",
        "0000000000000000",
        "9111111111111111",
        "5105 1051 0510 510",
        "4035817839709",
    ] {
        assert!(!card(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn birth_dates_with_month_names() {
    for ok in [
        "March 15, 1985",
        "15th Mar 1985",
        "15-MAR-1985",
        "15. März 1985",
        "3 de mayo de 1988",
        "1er mars 1985",
        "29 februari 2000",
    ] {
        assert!(birth_date_text(ok.as_bytes()), "{ok}");
    }
    for bad in [
        "February 30, 1985",
        "15 Mar 1850",
        "15 Mar 2999",
        "15 Dragons 1985",
        "29 februari 1900",
    ] {
        assert!(!birth_date_text(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn brands() {
    let brand = |s: &str| card_brand(&s.bytes().map(|b| b - b'0').collect::<Vec<_>>());
    assert_eq!(brand("2720990000000005"), Some(CardBrand::Mastercard));
    assert_eq!(brand("2721000000000000"), None);
    assert_eq!(brand("371449635398431"), Some(CardBrand::Amex));
    assert_eq!(brand("6304000000000000"), Some(CardBrand::Maestro));
    assert_eq!(brand("36227206271667"), Some(CardBrand::Diners));
}

#[test]
fn ibans() {
    for ok in [
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 32",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "be68539007547034",
    ] {
        assert!(iban(ok.as_bytes()), "{ok}");
    }
    for bad in [
        "DE89370400440532013001",
        "DE8937040044053201300",
        "XX89370400440532013000",
        "DE89 37040 044 0532 0130 00",
        "GB82WEST12345698765433",
    ] {
        assert!(!iban(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn ssns() {
    assert!(us_ssn(b"536-22-1234"));
    assert!(us_ssn(b"536221234"));
    for bad in [
        "000-12-1234",
        "666-12-1234",
        "900-12-1234",
        "536-00-1234",
        "536-22-0000",
        "536-22 1234",
        "078-05-1120",
    ] {
        assert!(!us_ssn(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn ips() {
    assert!(ipv4(b"192.0.2.10"));
    assert!(ipv4(b"10.0.0.1"));
    for bad in [
        "256.1.1.1",
        "01.2.3.4",
        "127.0.0.1",
        "0.0.0.0",
        "255.255.255.0",
        "1.2.3",
    ] {
        assert!(!ipv4(bad.as_bytes()), "{bad}");
    }
    for ok in [
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "::ffff:192.0.2.128",
        "2001:db8:1152:c1e4:1091::",
        "2600:cB2D:9ABc:E8d0::48cD:8",
    ] {
        assert!(ipv6(ok.as_bytes()), "{ok}");
    }
    for bad in [
        "12:30:45",
        "::1",
        "::",
        "a::b",
        "00:1a:2b:3c:4d:5e",
        "1:2:3",
        "2001:db8::",
        "fe80::",
        "Dead:Beef::1",
    ] {
        assert!(!ipv6(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn phones() {
    for ok in [
        "+33 6 12 34 56 78",
        "+14155552671",
        "06 12 34 56 78",
        "030 12345678",
        "+44 20 7946 0958",
        "0049 30 1234567",
    ] {
        assert!(phone(ok.as_bytes()), "{ok}");
    }
    assert!(phone(b"06.12.34.56.78"));
    for bad in [
        "01.02.2023",
        "2023-01-15",
        "01-02-2023 12",
        "+1 234",
        "0000000000",
        "06-12.34.56.78",
        "06  12 34 56 78",
    ] {
        assert!(!phone(bad.as_bytes()), "{bad}");
    }
    assert!(nanp(b"(415) 555-2671"));
    assert!(nanp(b"415-555-2671"));
    assert!(!nanp(b"115-555-2671"));
    assert!(!nanp(b"415-155-2671"));
    assert!(!nanp(b"911-555-2671"));
}

#[test]
fn birth_dates() {
    for ok in [
        "15/03/1985",
        "03/15/1985",
        "1985-03-15",
        "15.03.85",
        "29/02/2000",
        "1 7 1950",
    ] {
        assert!(birth_date(ok.as_bytes()), "{ok}");
    }
    for bad in [
        "31/02/1985",
        "15/13/1985",
        "15/03/1850",
        "15/03/2999",
        "29/02/1900",
        "2024-13-01",
        "12/12",
    ] {
        assert!(!birth_date(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn url_passwords() {
    assert!(url_password(
        b"postgres://app:Zq8-kLp2x@db.example.com:5432/app"
    ));
    for bad in [
        "https://user:password@example.com",
        "https://user:${DB_PASS}@example.com",
        "ftp://anonymous@example.com",
        "https://u:****@example.com",
        "https://example.com/a:b@c",
    ] {
        assert!(!url_password(bad.as_bytes()), "{bad}");
    }
}

#[test]
fn emails() {
    for ok in [
        "ana@example.ro",
        "first.last+tag@mail.example.co.uk",
        "jörg@bücher.de",
        "x@xn--bcher-kva.de",
    ] {
        assert!(email(ok.as_bytes()), "{ok}");
    }
    for bad in [
        ".a@example.com",
        "a.@example.com",
        "a..b@example.com",
        "a@-x.com",
        "a@x-.com",
        "a@example",
        "a@example.c0m",
        "a@example.c",
    ] {
        assert!(!email(bad.as_bytes()), "{bad}");
    }
}

/// Appends the Luhn check digit, computed the schoolbook way.
fn with_luhn_digit(payload: &[u8]) -> Vec<u8> {
    let mut total = 0;
    for (i, d) in payload.iter().rev().enumerate() {
        let v = if i % 2 == 0 {
            [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][*d as usize]
        } else {
            *d
        };
        total += v as u32;
    }
    let check = ((10 - total % 10) % 10) as u8;
    payload
        .iter()
        .chain(std::iter::once(&check))
        .map(|d| d + b'0')
        .collect()
}

/// An IBAN built by computing its check digits with big-integer-free
/// string arithmetic, independently of `mod97`.
fn make_iban(country: &str, bban: &str) -> String {
    let numeric: String = format!("{bban}{country}00")
        .chars()
        .map(|c| c.to_digit(36).unwrap().to_string())
        .collect();
    let rem = numeric
        .bytes()
        .fold(0u64, |r, b| (r * 10 + u64::from(b - b'0')) % 97);
    format!("{country}{:02}{bban}", 98 - rem)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::proptest_cases(256)))]

    #[test]
    fn luhn_accepts_constructed(payload in proptest::collection::vec(0u8..10, 12..18)) {
        let number = with_luhn_digit(&payload);
        prop_assert!(luhn(&number));
        let mut broken = number.clone();
        let last = broken.len() - 1;
        broken[last] = b'0' + (broken[last] - b'0' + 1) % 10;
        prop_assert!(!luhn(&broken));
    }

    #[test]
    fn iban_accepts_constructed(bban in "[0-9]{18}") {
        let code = make_iban("DE", &bban);
        prop_assert!(iban(code.as_bytes()), "{}", code);
        let mut broken = code.into_bytes();
        broken[10] = if broken[10] == b'9' { b'0' } else { broken[10] + 1 };
        prop_assert!(!iban(&broken));
    }

    #[test]
    fn gb_iban_with_letters(bank in "[A-Z]{4}", account in "[0-9]{14}") {
        let code = make_iban("GB", &format!("{bank}{account}"));
        prop_assert!(iban(code.as_bytes()), "{}", code);
    }
}

#[test]
fn international_numbers_have_their_country_s_lengths() {
    // Tokelau gives out four-digit numbers; France only nine.
    assert!(phone(b"+690 1234"));
    assert!(phone(b"+33 1 23 45 67 89"));
    assert!(!phone(b"+33 12 34 56"));
    assert!(!phone(b"+33 1 23 45 67 89 01"));
    // A `00` prefix reads as `+`; a code that starts with 0 is none.
    assert!(phone(b"0049 30 1234567"));
    assert!(!phone(b"0067 0062"));
    // The trunk 0 in parentheses is not dialled from abroad.
    assert!(phone(b"+44 (0) 20 7946 0958"));
    assert!(!phone(b"+44 20 7946 0958 123"));
}
