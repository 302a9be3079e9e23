//! Where people write personal data, and what only looks like it: address
//! fields in several languages, names in tables and objects about people,
//! names in mail and tickets, and the false positives of real files
//! (browser revisions, locale aliases, SVG paths, multicast MACs). Each
//! class with made-up values, through the real binary.

use crate::harness::found;

/// The values of `kind` found in `name` written with `text`.
fn of(kind: &str, name: &str, text: &str) -> Vec<String> {
    (found(name, text).into_iter())
        .filter(|(k, _)| k == kind)
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn an_address_field_takes_any_language_s_street() {
    let csv = "id,address,email_address,ip_address,city\n\
               1,482 Juniper Hollow Apt. 12,a.b@example.org,192.0.2.10,Springfield\n\
               2,\"Flat 4b, 17 Kings Parade\",c.d@example.org,192.0.2.11,Cambridge\n\
               3,Travesía del Olmo 14,e.f@example.org,192.0.2.12,Soria\n\
               4,aleja Lipowa 12/4,g.h@example.org,192.0.2.13,Kraków\n\
               5,\"12 Elm Row\nLeeds LS1 4AB\",i.j@example.org,192.0.2.14,Leeds\n\
               6,n/a,k.l@example.org,192.0.2.15,Leeds\n";
    assert_eq!(
        of("postal_address", "people.csv", csv),
        [
            "482 Juniper Hollow Apt. 12",
            "Flat 4b, 17 Kings Parade",
            "Travesía del Olmo 14",
            "aleja Lipowa 12/4",
            "12 Elm Row\nLeeds LS1 4AB",
        ]
    );
    // Headers in other languages; a key, a nested object's line, a label.
    for (name, text, want) in [
        (
            "de.csv",
            "Kunde;Straße;Ort\nx;Anna-Berger-Straße 12;Wien\n",
            "Anna-Berger-Straße 12",
        ),
        (
            "nl.csv",
            "naam;straat;plaats\nx;Kastanjedreef 14;Utrecht\n",
            "Kastanjedreef 14",
        ),
        (
            "ro.csv",
            "nume,adresa\nx,Intrarea Teilor nr. 9\n",
            "Intrarea Teilor nr. 9",
        ),
        (
            "sv.tsv",
            "namn\tgatuadress\nx\tBjörkstigen 7\n",
            "Björkstigen 7",
        ),
        (
            "o.json",
            r#"{"shipping_address": {"line1": "Unit 3751 Box 5553", "city": "X"}}"#,
            "Unit 3751 Box 5553",
        ),
        (
            "a.json",
            r#"{"billing_address": "9 Marlow Walk"}"#,
            "9 Marlow Walk",
        ),
        (
            "note.txt",
            "Anschrift: Lindenweg 12-14\n",
            "Lindenweg 12-14",
        ),
    ] {
        assert_eq!(of("postal_address", name, text), [want], "{name}");
    }
    // An email, IP or MAC address column is no postal address; prose
    // after an `address:` key is none either.
    let other = "id,mac_address,remote_addr\n1,00:1a:2b:3c:4d:5e,host 12 abc\n";
    assert!(of("postal_address", "o.csv", other).is_empty());
    let prose = "    address: An integer representation of an IPv4 IP address.\n";
    assert!(of("postal_address", "ip.py", prose).is_empty());
}

#[test]
fn a_name_field_about_a_person_holds_a_full_name() {
    let people = "id,name,email\n1,Zephyrine Oduya,z.o@example.org\n";
    assert_eq!(of("person_name", "p.csv", people), ["Zephyrine Oduya"]);
    let products = "id,name,price\n1,Oak Desk Lamp,99\n";
    assert!(of("person_name", "q.csv", products).is_empty());
    let contact = "id;contact;telefon\n1;Kaito Brannigan;+44 20 7946 0958\n";
    assert_eq!(of("person_name", "c.csv", contact), ["Kaito Brannigan"]);
    let billing = r#"{"billing": {"name": "Zephyrine Oduya", "email": "z.o@example.org"}}"#;
    assert_eq!(of("person_name", "o.json", billing), ["Zephyrine Oduya"]);
    let store = r#"{"store": {"name": "Harbour Lights", "city": "Leeds"}}"#;
    assert!(of("person_name", "s.json", store).is_empty());
    let dutch = "voornaam;naam\nSanne;Oduya\n";
    assert_eq!(of("person_name", "nl.csv", dutch), ["Sanne", "Oduya"]);
    let sql =
        "INSERT INTO users (id, name, phone) VALUES (1, 'Kaito Brannigan', '+44 20 7946 0958');\n";
    assert_eq!(of("person_name", "u.sql", sql), ["Kaito Brannigan"]);
}

#[test]
fn birth_date_headers_without_connectors_and_in_more_languages() {
    for header in [
        "fecha_nacimiento",
        "data_nascita",
        "data_nascimento",
        "syntymäaika",
        "születési dátum",
        "datum narození",
    ] {
        let csv = format!("id;{header}\n1;03/05/1970\n");
        assert_eq!(
            of("date_of_birth", "p.csv", &csv),
            ["03/05/1970"],
            "{header}"
        );
    }
}

#[test]
fn names_in_mail_and_tickets() {
    let mail = "From: \"Brannigan, Kaito\" <kb@example.org>\n\
                To: Zephyrine Oduya <zo@example.org>\n\
                Subject: parcel\n\
                \n\
                Hello Bartholomew,\n\
                \n\
                my name is Anouk Vermeulen and the parcel is late.\n\
                \n\
                Kind regards,\n\
                Marta Kowalczyk\n";
    let names = of("person_name", "m.eml", mail);
    for want in [
        "Brannigan, Kaito",
        "Zephyrine Oduya",
        "Bartholomew",
        "Anouk Vermeulen",
        "Marta Kowalczyk",
    ] {
        assert!(names.iter().any(|n| n == want), "{want}: {names:?}");
    }
    let ticket = "Requester: Kaito Brannigan\nAssignee: Finnegan Drummond\n\n\
                  > Hej Ingrid,\n> tack!\n\nMit freundlichen Grüßen\nKundenservice\n";
    let names = of("person_name", "t.txt", ticket);
    assert_eq!(names, ["Kaito Brannigan", "Finnegan Drummond", "Ingrid"]);
    let replies = "Am 2020-05-04 schrieb Matilda Drummond <md@example.org>:\n\
                   > I've copied Cordelia Cavendish (cc@example.org) on this.\n";
    assert_eq!(
        of("person_name", "r.eml", replies),
        ["Matilda Drummond", "Cordelia Cavendish"]
    );
    let cards = "BEGIN:VCARD\nVERSION:4.0\nFN:Kaito Brannigan\nEND:VCARD\n\
                 BEGIN:VEVENT\nATTENDEE;CN=Zephyrine Oduya;ROLE=REQ-PARTICIPANT:mailto:zo@example.org\nEND:VEVENT\n";
    assert_eq!(
        of("person_name", "c.ics", cards),
        ["Kaito Brannigan", "Zephyrine Oduya"]
    );
    // Code's demo strings and departments are nobody.
    let code =
        "print('Hello World')\ngreet(\"Hello Dict\")\n// When a Hello Retry Request is received\n";
    assert!(of("person_name", "c.py", code).is_empty());
}

#[test]
fn what_only_looks_like_personal_data_in_real_files() {
    let text = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0.12.40) Gecko/20100101\n\
                Bump to 10.20.30.40\n\
                see section 4.10.22.3 of the standard\n\
                <path d=\"M 12.5.10.20 L 30.40.50.60\"/>\n\
                LANG=sr_RS@latin.UTF-8 and xx_yy@script.utf8\n\
                see https://user:pass@example.com/path\n\
                mac 01:00:5e:00:00:fb (mDNS)\n\
                test_case_Mr PASSED\n\
                GET /blog/ask-Mr HTTP/1.1\n";
    let kinds: Vec<String> = found("real.txt", text)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert!(
        kinds.iter().all(|k| k == "credential"),
        "only the URL's password is personal data here: {kinds:?}"
    );
    let facilities = "name,city\nHarold Regional,Springfield\nMesa County Airport,Grand Junction\n";
    assert!(of("person_name", "airports.csv", facilities).is_empty());
}

#[test]
fn a_name_found_once_is_found_where_it_recurs() {
    let mail = "From: Patricia Caldwell <pc@example.org>\n\nThanks.\n\n\
                On Sun, 03 Mar 2024 12:11, Patricia Caldwell wrote:\n> See you.\n\
                PS: Patricia Caldwellton is another firm.\n";
    let names = of("person_name", "thread.txt", mail);
    assert_eq!(names, ["Patricia Caldwell", "Patricia Caldwell"]);
}
