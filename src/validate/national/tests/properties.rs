//! Properties against independent reference implementations: every
//! check digit computed another way, every one-digit change caught.

use super::super::*;

// ----- independent reference implementations for property tests -----

/// Digits of a string as numbers.
fn nums(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Luhn check digit via the classic doubled-digit lookup table.
fn ref_luhn_check(payload: &str) -> u32 {
    const DOUBLED: [u32; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    let d = nums(payload);
    let mut total = 0;
    for (k, x) in d.iter().rev().enumerate() {
        total += if k % 2 == 0 { DOUBLED[*x as usize] } else { *x };
    }
    (10 - total % 10) % 10
}

/// Replaces the digit at byte index `i` with a different digit.
fn mutate(s: &str, i: usize, delta: u8) -> String {
    let mut b = s.as_bytes().to_vec();
    let d = b[i] - b'0';
    b[i] = b'0' + (d + 1 + delta % 9) % 10;
    String::from_utf8(b).unwrap()
}

/// Verhoeff group operation of D5, derived algebraically (no table).
fn d5(a: u32, b: u32) -> u32 {
    match (a < 5, b < 5) {
        (true, true) => (a + b) % 5,
        (true, false) => 5 + (a + b - 5) % 5,
        (false, true) => 5 + (a + 5 - b) % 5,
        (false, false) => (a + 5 - b) % 5,
    }
}

/// Verhoeff position permutation applied `times` times.
fn sigma(mut x: u32, times: usize) -> u32 {
    const NEXT: [u32; 10] = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    for _ in 0..times % 8 {
        x = NEXT[x as usize];
    }
    x
}

/// Verhoeff validity by direct group computation.
fn ref_verhoeff(s: &str) -> bool {
    nums(s)
        .iter()
        .rev()
        .enumerate()
        .fold(0, |c, (i, &x)| d5(c, sigma(x, i)))
        == 0
}

/// ISO 7064 MOD 11,10 check digit, written as the recursive definition.
fn ref_mod11_10(payload: &str) -> u32 {
    let mut product = 10;
    for x in nums(payload) {
        let sum = (product + x) % 10;
        let sum = if sum == 0 { 10 } else { sum };
        product = sum * 2 % 11;
    }
    let c = 11 - product;
    if c == 10 {
        0
    } else {
        c
    }
}

/// Whole-number remainder of a decimal string.
fn big_mod(s: &str, m: u128) -> u128 {
    s.parse::<u128>().unwrap() % m
}

/// Calendar check via month lengths table (independent of production).
fn ref_date(y: u32, m: u32, d: u32) -> bool {
    let leap = y % 400 == 0 || (y % 4 == 0 && y % 100 != 0);
    let len = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= len[m as usize - 1]
}

/// MRZ check digit computed with base-36 parsing.
fn ref_mrz(field: &str) -> char {
    let total: u32 = field
        .chars()
        .enumerate()
        .map(|(i, c)| if c == '<' { 0 } else { c.to_digit(36).unwrap() } * [7, 3, 1][i % 3])
        .sum();
    char::from_digit(total % 10, 10).unwrap()
}

/// Codice fiscale odd-position value via a string lookup.
fn ref_cf_odd(c: char) -> u32 {
    let key = "BAKPLCQDREVOSFTGUHMINJWZYX";
    let i = if c.is_ascii_digit() {
        (b'A' + c.to_digit(10).unwrap() as u8) as char
    } else {
        c
    };
    key.find(i).unwrap() as u32
}

/// Codice fiscale check letter.
fn ref_cf_check(s: &str) -> char {
    let total: u32 = s
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                ref_cf_odd(c)
            } else if c.is_ascii_digit() {
                c.to_digit(10).unwrap()
            } else {
                c as u32 - 'A' as u32
            }
        })
        .sum();
    (b'A' + (total % 26) as u8) as char
}

/// DNI letter by explicit table lookup.
fn ref_dni(n: u64) -> char {
    "TRWAGMYFPDXBNJZSQVHLCKE"
        .chars()
        .nth((n % 23) as usize)
        .unwrap()
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::proptest_cases(256)))]

    #[test]
    fn prop_ca_sin(
        first in prop::sample::select(vec![1u8, 2, 3, 4, 5, 6, 7, 9]),
        rest in 0u32..10_000_000,
        pos in 0usize..9,
        delta: u8,
    ) {
        let payload = format!("{first}{rest:07}");
        let s = format!("{payload}{}", ref_luhn_check(&payload));
        prop_assert!(ca_sin(s.as_bytes()));
        let spaced = format!("{} {} {}", &s[..3], &s[3..6], &s[6..]);
        prop_assert!(ca_sin(spaced.as_bytes()));
        prop_assert!(!ca_sin(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_uk_nhs(payload in 0u64..1_000_000_000, pos in 0usize..10, delta: u8) {
        let p = format!("{payload:09}");
        let r = nums(&p).iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum::<u32>() % 11;
        let check = (11 - r) % 11;
        prop_assume!(check != 10 && !p.bytes().all(|b| b == p.as_bytes()[0]));
        let s = format!("{p}{check}");
        prop_assert!(uk_nhs(s.as_bytes()));
        prop_assert!(!uk_nhs(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_fr_nir(
        sex in 1u32..=2,
        yy in 0u32..100,
        mm in 1u32..=12,
        dept in prop::sample::select(vec!["01", "2A", "2B", "75", "99"]),
        rest in 0u64..1_000_000,
        pos in 7usize..13,
        delta: u8,
    ) {
        let head = format!("{sex}{yy:02}{mm:02}{dept}{rest:06}");
        let numeric = head.replace("2A", "19").replace("2B", "18");
        let key = 97 - big_mod(&numeric, 97);
        let s = format!("{head}{key:02}");
        prop_assert!(fr_nir(s.as_bytes()));
        prop_assert!(!fr_nir(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_de_tax_id(
        perm in Just((0u8..10).collect::<Vec<_>>()).prop_shuffle(),
        j in 0usize..10,
        k in 0usize..10,
        pos in 0usize..11,
        delta: u8,
    ) {
        prop_assume!(j != k);
        let mut d = perm.clone();
        d[j] = d[k];
        prop_assume!(d[0] != 0);
        let p: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        let s = format!("{p}{}", ref_mod11_10(&p));
        prop_assert!(de_tax_id(s.as_bytes()));
        prop_assert!(!de_tax_id(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_es_dni_nie(
        n in 0u64..100_000_000,
        m in 0u64..10_000_000,
        lead in 0usize..3,
        pos in 0usize..8,
        delta: u8,
    ) {
        let s = format!("{n:08}{}", ref_dni(n));
        prop_assert!(es_dni(s.as_bytes()));
        prop_assert!(!es_dni(mutate(&s, pos, delta).as_bytes()));
        let prefix = ["X", "Y", "Z"][lead];
        let nie = format!("{prefix}{m:07}{}", ref_dni(lead as u64 * 10_000_000 + m));
        prop_assert!(es_nie(nie.as_bytes()));
        prop_assert!(!es_nie(mutate(&nie, 1 + pos % 7, delta).as_bytes()));
    }

    #[test]
    fn prop_it_fiscal_code(
        name in "[A-Z]{6}",
        yy in 0u32..100,
        month in 0usize..12,
        day in 1u32..=28,
        female: bool,
        place in "[A-Z][0-9]{3}",
        omocode in prop::collection::vec(any::<bool>(), 7),
    ) {
        let dd = if female { day + 40 } else { day };
        let month_letter = "ABCDEHLMPRST".as_bytes()[month] as char;
        let plain = format!("{name}{yy:02}{month_letter}{dd:02}{place}");
        let mut body: Vec<char> = plain.chars().collect();
        for (flag, idx) in omocode.iter().zip([6usize, 7, 9, 10, 12, 13, 14]) {
            if *flag {
                let digit = body[idx].to_digit(10).unwrap() as usize;
                body[idx] = "LMNPQRSTUV".chars().nth(digit).unwrap();
            }
        }
        let body: String = body.into_iter().collect();
        let check = ref_cf_check(&body);
        let s = format!("{body}{check}");
        prop_assert!(it_fiscal_code(s.as_bytes()), "{}", s);
        let wrong = if check == 'Z' { 'A' } else { (check as u8 + 1) as char };
        let bad = format!("{body}{wrong}");
        prop_assert!(!it_fiscal_code(bad.as_bytes()));
    }

    #[test]
    fn prop_nl_bsn(payload in 0u64..100_000_000, pos in 0usize..9, delta: u8) {
        let p = format!("{payload:08}");
        let s8: i64 = nums(&p).iter().zip((2..=9).rev()).map(|(&d, w)| i64::from(d) * w).sum();
        let last = s8 % 11;
        prop_assume!(last < 10 && payload != 0);
        let s = format!("{p}{last}");
        prop_assert!(nl_bsn(s.as_bytes()));
        prop_assert!(!nl_bsn(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_be_national_number(
        year in 1900u32..2100,
        mm in 1u32..=12,
        dd in 1u32..=28,
        seq in 1u32..999,
        pos in 0usize..11,
        delta: u8,
    ) {
        let p = format!("{:02}{mm:02}{dd:02}{seq:03}", year % 100);
        let base = if year >= 2000 { format!("2{p}") } else { p.clone() };
        let s = format!("{p}{:02}", 97 - big_mod(&base, 97));
        prop_assert!(be_national_number(s.as_bytes()));
        // a single changed digit is caught unless it happens to fit the
        // other century's formula and date: compare with the reference
        let m = mutate(&s, pos, delta);
        let n9 = &m[..9];
        let cc: u128 = m[9..].parse().unwrap();
        let (y, mo, d) = (nums(&m[..2]), nums(&m[2..4]), nums(&m[4..6]));
        let (yy, mo, d) = (y[0] * 10 + y[1], mo[0] * 10 + mo[1], d[0] * 10 + d[1]);
        let ok_month = |c: u32| mo == 0 || d == 0 || ref_date(c + yy, mo % 20, d);
        let expect = (mo % 20 <= 12 && mo <= 52 && d <= 31)
            && ((97 - big_mod(n9, 97) == cc && ok_month(1900))
                || (97 - big_mod(&format!("2{n9}"), 97) == cc && ok_month(2000)));
        prop_assert_eq!(be_national_number(m.as_bytes()), expect);
    }

    #[test]
    fn prop_pl_pesel(
        year in 1800u32..2300,
        mm in 1u32..=12,
        dd in 1u32..=28,
        serial in 0u32..10_000,
        pos in 0usize..11,
        delta: u8,
    ) {
        let offset = match year / 100 { 18 => 80, 19 => 0, 20 => 20, 21 => 40, _ => 60 };
        let p = format!("{:02}{:02}{dd:02}{serial:04}", year % 100, mm + offset);
        let w = [1, 3, 7, 9];
        let sum: u32 = nums(&p).iter().enumerate().map(|(i, d)| d * w[i % 4]).sum();
        let s = format!("{p}{}", (10 - sum % 10) % 10);
        prop_assert!(pl_pesel(s.as_bytes()));
        prop_assert!(!pl_pesel(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_ro_cnp(
        sex in 1u32..=6,
        yy in 0u32..100,
        mm in 1u32..=12,
        dd in 1u32..=28,
        county in prop::sample::select(vec![1u32, 12, 40, 46, 47, 48, 51, 52, 70]),
        serial in 0u32..1000,
        pos in 0usize..13,
        delta: u8,
    ) {
        let p = format!("{sex}{yy:02}{mm:02}{dd:02}{county:02}{serial:03}");
        let sum: u32 = nums(&p).iter()
            .zip([2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9])
            .map(|(d, w)| d * w)
            .sum();
        let c = if sum % 11 == 10 { 1 } else { sum % 11 };
        let s = format!("{p}{c}");
        prop_assert!(ro_cnp(s.as_bytes()));
        // the 10 → 1 mapping means not every single change is caught:
        // compare with the reference on the mutated value instead
        let m = mutate(&s, pos, delta);
        let d = nums(&m);
        let sum: u32 = d[..12].iter()
            .zip([2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9])
            .map(|(x, w)| x * w)
            .sum();
        let c = if sum % 11 == 10 { 1 } else { sum % 11 };
        let county_ok = matches!(d[7] * 10 + d[8], 1..=48 | 51 | 52 | 70);
        let centuries: &[u32] = match d[0] {
            1 | 2 => &[1900],
            3 | 4 => &[1800],
            5 | 6 => &[2000],
            7..=9 => &[1800, 1900, 2000],
            _ => &[],
        };
        let date_ok = centuries.iter()
            .any(|c| ref_date(c + d[1] * 10 + d[2], d[3] * 10 + d[4], d[5] * 10 + d[6]));
        prop_assert_eq!(ro_cnp(m.as_bytes()), c == d[12] && county_ok && date_ok);
    }

    #[test]
    fn prop_se_personnummer(
        year in 1900u32..2030,
        mm in 1u32..=12,
        dd in 1u32..=28,
        coord: bool,
        serial in 0u32..1000,
        pos in 0usize..10,
        delta: u8,
    ) {
        let day = if coord { dd + 60 } else { dd };
        let p = format!("{:02}{mm:02}{day:02}{serial:03}", year % 100);
        let ten = format!("{p}{}", ref_luhn_check(&p));
        let short = format!("{}-{}", &ten[..6], &ten[6..]);
        let long = format!("{}{ten}", year / 100);
        prop_assert!(se_personnummer(ten.as_bytes()));
        prop_assert!(se_personnummer(short.as_bytes()));
        prop_assert!(se_personnummer(long.as_bytes()));
        prop_assert!(!se_personnummer(mutate(&ten, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_in_aadhaar(
        first in 2u32..=9,
        rest in 0u64..10_000_000_000,
        pos in 0usize..12,
        delta: u8,
    ) {
        let p = format!("{first}{rest:010}");
        let check = (0..10).find(|c| ref_verhoeff(&format!("{p}{c}"))).unwrap();
        let s = format!("{p}{check}");
        prop_assert!(in_aadhaar(s.as_bytes()));
        let spaced = format!("{} {} {}", &s[..4], &s[4..8], &s[8..]);
        prop_assert!(in_aadhaar(spaced.as_bytes()));
        prop_assert!(!in_aadhaar(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_br_cpf(payload in 0u64..1_000_000_000, pos in 0usize..11, delta: u8) {
        let p = format!("{payload:09}");
        prop_assume!(!p.bytes().all(|b| b == p.as_bytes()[0]));
        let digit = |s: &str| {
            let d = nums(s);
            let n = d.len() as u32 + 1;
            let r = d.iter().enumerate().map(|(i, x)| x * (n - i as u32)).sum::<u32>() % 11;
            if r < 2 { 0 } else { 11 - r }
        };
        let p1 = format!("{p}{}", digit(&p));
        let s = format!("{p1}{}", digit(&p1));
        let formatted = format!("{}.{}.{}-{}", &s[..3], &s[3..6], &s[6..9], &s[9..]);
        prop_assert!(br_cpf(s.as_bytes()));
        prop_assert!(br_cpf(formatted.as_bytes()));
        let m = mutate(&s, pos, delta);
        let expect = !m.bytes().all(|b| b == m.as_bytes()[0])
            && m[9..10] == digit(&m[..9]).to_string()
            && m[10..] == digit(&m[..10]).to_string();
        prop_assert_eq!(br_cpf(m.as_bytes()), expect);
    }

    #[test]
    fn prop_au_tfn(payload in 0u64..100_000_000, pos in 0usize..9, delta: u8) {
        let p = format!("{payload:08}");
        let s8: u32 = nums(&p).iter().zip([1, 4, 3, 7, 5, 8, 6, 9]).map(|(d, w)| d * w).sum();
        // 10 ≡ −1 (mod 11), so the last digit must equal s8 mod 11
        let last = s8 % 11;
        prop_assume!(last < 10);
        let s = format!("{p}{last}");
        prop_assert!(au_tfn(s.as_bytes()));
        prop_assert!(!au_tfn(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_us_npi(first in 1u32..=2, rest in 0u64..100_000_000, pos in 0usize..10, delta: u8) {
        let p = format!("{first}{rest:08}");
        prop_assume!(!p.bytes().all(|b| b == p.as_bytes()[0]));
        // CMS formulation: double alternate digits from the right, add 24
        let mut total = 24;
        for (i, d) in nums(&p).iter().rev().enumerate() {
            total += if i % 2 == 0 { let x = d * 2; x / 10 + x % 10 } else { *d };
        }
        let s = format!("{p}{}", (10 - total % 10) % 10);
        prop_assert!(us_npi(s.as_bytes()));
        prop_assert!(!us_npi(mutate(&s, pos, delta).as_bytes()));
    }

    #[test]
    fn prop_vat_de_hr(
        first in 1u32..=9,
        rest in 0u64..10_000_000,
        oib in 0u64..10_000_000_000,
        pos in 0usize..9,
        delta: u8,
    ) {
        let p = format!("{first}{rest:07}");
        let s = format!("DE{p}{}", ref_mod11_10(&p));
        prop_assert!(vat_id(s.as_bytes()));
        prop_assert!(!vat_id(mutate(&s, 2 + pos, delta).as_bytes()));
        let o = format!("{oib:010}");
        let hr = format!("HR{o}{}", ref_mod11_10(&o));
        prop_assert!(vat_id(hr.as_bytes()));
        prop_assert!(!vat_id(mutate(&hr, 2 + pos, delta).as_bytes()));
    }

    #[test]
    fn prop_vat_fr_it_se(
        siren8 in 10_000_000u64..100_000_000,
        company in 1u64..10_000_000,
        office in 1u32..=100,
        pos in 0usize..9,
        delta: u8,
    ) {
        let siren = format!("{siren8}{}", ref_luhn_check(&siren8.to_string()));
        let key = big_mod(&format!("{siren}12"), 97);
        let fr = format!("FR{key:02}{siren}");
        prop_assert!(vat_id(fr.as_bytes()));
        prop_assert!(!vat_id(mutate(&fr, 4 + pos, delta).as_bytes()));
        let it10 = format!("{company:07}{office:03}");
        let it = format!("IT{it10}{}", ref_luhn_check(&it10));
        prop_assert!(vat_id(it.as_bytes()));
        let org = format!("5{siren8}");
        let se = format!("SE{org}{}01", ref_luhn_check(&org));
        prop_assert!(vat_id(se.as_bytes()));
        prop_assert!(!vat_id(mutate(&se, 2 + pos, delta).as_bytes()));
    }

    #[test]
    fn prop_vat_nl_mod97(num in 1u64..1_000_000_000) {
        // sole-proprietor form: pick the suffix so "NL…B.." ≡ 1 (mod 97)
        // with letters as numbers (N=23, L=21, B=11)
        let n = format!("{num:09}");
        let found = (1..100).find(|sfx| big_mod(&format!("2321{n}11{sfx:02}"), 97) == 1);
        prop_assume!(found.is_some());
        let nl = format!("NL{n}B{:02}", found.unwrap());
        prop_assert!(vat_id(nl.as_bytes()), "{}", nl);
    }

    #[test]
    fn prop_vat_pl_pt(nip in 0u64..1_000_000_000, pt in 10_000_000u64..100_000_000) {
        let p = format!("{nip:09}");
        let r = nums(&p).iter()
            .zip([6, 5, 7, 2, 3, 4, 5, 6, 7])
            .map(|(d, w)| d * w).sum::<u32>() % 11;
        let pl = format!("PL{p}{r}");
        prop_assert_eq!(vat_id(pl.as_bytes()), r < 10);
        let q = pt.to_string();
        let r = nums(&q).iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum::<u32>() % 11;
        let c = if r < 2 { 0 } else { 11 - r };
        let pt = format!("PT{q}{c}");
        prop_assert!(vat_id(pt.as_bytes()));
    }

    #[test]
    fn prop_mrz(
        doc in "[A-Z0-9<]{9}",
        nat in "[A-Z]{3}",
        birth_yy in 0u32..100,
        bm in 1u32..=12,
        bd in 1u32..=28,
        sex in prop::sample::select(vec!['M', 'F', '<']),
        exp_yy in 0u32..100,
        em in 1u32..=12,
        ed in 1u32..=28,
        personal in "[A-Z0-9<]{14}",
        which in 0usize..5,
    ) {
        let birth = format!("{birth_yy:02}{bm:02}{bd:02}");
        let expiry = format!("{exp_yy:02}{em:02}{ed:02}");
        let line = format!(
            "{doc}{}{nat}{birth}{}{sex}{expiry}{}{personal}{}",
            ref_mrz(&doc), ref_mrz(&birth), ref_mrz(&expiry), ref_mrz(&personal)
        );
        let composite = format!("{}{}{}", &line[..10], &line[13..20], &line[21..43]);
        let full = format!("{line}{}", ref_mrz(&composite));
        prop_assert_eq!(full.len(), 44);
        prop_assert!(passport_mrz_line2(full.as_bytes()), "{}", full);
        let idx = [9usize, 19, 27, 42, 43][which];
        let mut bad = full.into_bytes();
        bad[idx] = if bad[idx] == b'9' || bad[idx] == b'<' { b'1' } else { bad[idx] + 1 };
        prop_assert!(!passport_mrz_line2(&bad));
    }
}
