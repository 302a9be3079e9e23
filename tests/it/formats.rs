//! Field names as context in the record formats: vCard, iCalendar, HL7 v2,
//! FHIR, ISO 20022, HTML, YAML, mail signatures, and identifiers whose
//! type a sibling key gives. Made-up values, through the real binary.

use crate::harness::found;

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect()
}

#[test]
fn vcard_and_icalendar_properties() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kaito Brannigan\r\nN:Brannigan;Kaito;;;\r\n\
                TEL;TYPE=cell:+44 7700 900123\r\nADR;TYPE=home:;;9 Marlow Walk;Leeds;;LS1 4AB;UK\r\n\
                BDAY:19700305\r\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\nEND:VCARD\r\n";
    let got = found("people.vcf", card);
    assert_eq!(
        pairs(&got),
        [
            ("person_name", "Kaito Brannigan"),
            ("person_name", "Brannigan"),
            ("person_name", "Kaito"),
            ("phone", "+44 7700 900123"),
            ("postal_address", "9 Marlow Walk"),
            ("date_of_birth", "19700305"),
        ]
    );
    let cal = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:8a1e@planner.example.org\r\n\
               ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=\r\n TRUE;CN=\"\r\n Zephyrine Oduya\":mailto:zo@example.org\r\n\
               ATTENDEE;CUTYPE=ROOM;CN=\"Sala Verde\":mailto:room-4@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let got = found("invite.ics", cal);
    assert_eq!(
        pairs(&got),
        [
            ("person_name", "Zephyrine Oduya"),
            ("email", "zo@example.org"),
            ("email", "room-4@example.org"),
        ]
    );
}

#[test]
fn hl7_fields_by_position() {
    let msg = "MSH|^~\\&|ADT1|HOSP|LAB|HOSP|20240305121500||ADT^A01|MSG001|P|2.5\r\
               PID|1||4456123^^^HOSP^MR~536228725^^^SSA^SS||Oduya^Zephyrine^^^^^L||19810412|F|||\
               482 Juniper Hollow^^Springfield^IL^62701||(217) 555-0134\r\
               PV1|1|I|W^389^1||||1234567893^Brannigan^Kaito^^^Dr.\r";
    let got = found("adt.hl7", msg);
    let kinds: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "us_ssn",
            "person_name",
            "person_name",
            "date_of_birth",
            "postal_address",
            "phone",
            "us_npi",
            "person_name",
            "person_name"
        ],
        "{got:?}"
    );
}

#[test]
fn fhir_names_addresses_and_typed_identifiers() {
    let patient = r#"{
  "resourceType": "Patient",
  "identifier": [
    {
      "extension": [{"url": "https://example.org/verified", "valueBoolean": true}],
      "system": "https://fhir.nhs.uk/Id/nhs-number",
      "value": "4010232137"
    }
  ],
  "name": [{"use": "official", "text": "Zephyrine Oduya", "family": "Oduya", "given": ["Zephyrine"]}],
  "address": [{"line": ["226 Church Way"], "city": "Leeds"}],
  "meta": {"family": "Helvetica"}
}"#;
    let got = found("patient.json", patient);
    assert_eq!(
        pairs(&got),
        [
            ("uk_nhs", "4010232137"),
            ("person_name", "Zephyrine Oduya"),
            ("person_name", "Oduya"),
            ("person_name", "Zephyrine"),
            ("postal_address", "226 Church Way"),
        ]
    );
    let typed = "[\n  {\n    \"document\": {\n      \"type\": \"ssn\",\n      \"number\": \"536228725\"\n    }\n  },\n\
                 {\n    \"id_type\": \"nhs\",\n    \"value\": \"401 023 2137\"\n  },\n\
                 {\n    \"type\": \"order\",\n    \"number\": \"536228725\"\n  }\n]\n";
    let kinds: Vec<String> = found("kyc.json", typed)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, ["us_ssn", "uk_nhs"]);
}

#[test]
fn xml_and_html_field_names() {
    let pain = "<?xml version=\"1.0\"?>\n<Document><CdtTrfTxInf><Cdtr><Nm>Zephyrine Oduya</Nm>\
                <PstlAdr><StrtNm>ul. Sienkiewicza</StrtNm><BldgNb>12</BldgNb>\
                <AdrLine>Lindenweg 12</AdrLine><AdrLine>60218 Frankfurt am Main</AdrLine></PstlAdr></Cdtr>\
                <CdtrAgt><FinInstnId><Nm>Kaito Bank</Nm></FinInstnId></CdtrAgt></CdtTrfTxInf></Document>\n";
    let got = found("pain.001.xml", pain);
    assert_eq!(
        pairs(&got),
        [
            ("person_name", "Zephyrine Oduya"),
            ("postal_address", "ul. Sienkiewicza"),
            ("postal_address", "Lindenweg 12"),
        ]
    );
    let page = "<!DOCTYPE html>\n<html><body><h2>Customer 7</h2><dl><dt>Anschrift</dt>\
                <dd>Kölner Straße 79<br>70684 Stuttgart</dd></dl>\
                <label for=t>Phone:</label> <input id=t value=\"0113 496 0123\">\
                <table><tr><th>Name</th><th>E-mail</th><th>Date of birth</th></tr>\
                <tr><td>Zephyrine Oduya</td><td>zo@example.org</td><td>12/04/1981</td></tr></table></body></html>\n";
    let got = found("customer.html", page);
    assert_eq!(
        pairs(&got),
        [
            ("postal_address", "Kölner Straße 79"),
            ("phone", "0113 496 0123"),
            ("person_name", "Zephyrine Oduya"),
            ("email", "zo@example.org"),
            ("date_of_birth", "12/04/1981"),
        ]
    );
}

#[test]
fn yaml_blocks_and_mail_signatures() {
    let yaml = "users:\n  - id: 1012\n    name: Zephyrine Oduya\n    email: zo@example.org\n\
                services:\n  - name: Billing Worker\n    replicas: 2\n";
    let got = found("seed.yaml", yaml);
    assert_eq!(
        pairs(&got),
        [
            ("person_name", "Zephyrine Oduya"),
            ("email", "zo@example.org")
        ]
    );
    let mail = "From: Kaito Brannigan <kb@example.org>\r\nSubject: Re: order\r\n\
                Message-ID: <6964934860.4d6dd719f01a@mail.example.com>\r\n\r\n\
                Thanks, see you then.\r\n\r\n-- \r\nZephyrine Oduya\r\nAccount Manager\r\n\
                201 Albert Avenue, BS2 1PX Bristol\r\n";
    let got = found("thread.eml", mail);
    assert_eq!(
        pairs(&got),
        [
            ("person_name", "Kaito Brannigan"),
            ("email", "kb@example.org"),
            ("person_name", "Zephyrine Oduya"),
            ("postal_address", "201 Albert Avenue, BS2 1PX Bristol"),
        ]
    );
}
