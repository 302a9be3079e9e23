//! Record formats written from their specifications, not from the
//! scanner's rules: vCard 4.0 (RFC 6350), iCalendar (RFC 5545), HL7 v2.5
//! ADT messages, FHIR R4 Patient resources, ISO 20022 pain.001 credit
//! transfers, HTML customer pages, YAML fixtures, RFC 5322 mail threads
//! and typed identity objects. Every value is planted through the
//! template markers of [`Doc::render`], so each is in the truth file.

use super::Doc;

/// The record formats, by file variant.
pub const FORMATS: &[(&str, &str)] = &[
    ("contacts", "vcf"),
    ("calendar", "ics"),
    ("hl7", "hl7"),
    ("fhir", "json"),
    ("payments", "xml"),
    ("pages", "html"),
    ("fixtures", "yaml"),
    ("mail", "eml"),
    ("identity", "json"),
];

/// What opens a file of format `variant`.
pub fn open(d: &mut Doc, variant: usize) {
    match FORMATS[variant].0 {
        "calendar" => d.lit("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Planner 4.2//EN\r\n"),
        "payments" => d.lit(PAIN_HEAD),
        "pages" => d.lit("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Customers</title></head>\n<body>\n"),
        "fixtures" => d.lit("# Seed data for the staging database\nusers:\n"),
        "fhir" => d.lit("{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [\n"),
        "identity" => d.lit("[\n"),
        _ => {}
    }
}

/// What closes a file of format `variant` (an empty last element keeps
/// JSON valid after the records' trailing commas).
pub fn close(d: &mut Doc, variant: usize) {
    match FORMATS[variant].0 {
        "calendar" => d.lit("END:VCALENDAR\r\n"),
        "payments" => d.lit("</CstmrCdtTrfInitn>\n</Document>\n"),
        "pages" => d.lit("</body>\n</html>\n"),
        "fhir" => d.lit("    {}\n  ]\n}\n"),
        "identity" => d.lit("  {}\n]\n"),
        _ => {}
    }
}

/// One record of format `variant`.
pub fn record(d: &mut Doc, variant: usize) {
    let templates = match FORMATS[variant].0 {
        "contacts" => VCARDS,
        "calendar" => EVENTS,
        "hl7" => HL7,
        "fhir" => FHIR,
        "payments" => PAIN,
        "pages" => PAGES,
        "fixtures" => YAML,
        "mail" => MAIL,
        _ => IDENTITY,
    };
    let t = d.pick(templates);
    d.render(t);
}

const VCARDS: &[&str] = &[
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:{n}\r\nN:{j};{f};;;\r\nORG:Example Trading Ltd\r\nTEL;TYPE=cell:{p}\r\nEMAIL;TYPE=work:{e}\r\nADR;TYPE=home:;;{A};Leeds;;LS1 4AB;United Kingdom\r\nBDAY:{w}\r\nEND:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{~}{j};{f};;;\r\nFN:{f} {j}\r\nTEL;TYPE=HOME,VOICE:{p}\r\nEMAIL;TYPE=INTERNET:{e}\r\nNOTE:Met at the trade fair\\, follow up in spring.\r\nEND:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:{u}\r\nFN:{n}\r\nitem1.EMAIL;PREF=1:{e}\r\nitem1.X-ABLABEL:private\r\nTEL;VALUE=uri;TYPE=voice:tel:{p}\r\nREV:20240312T101500Z\r\nEND:VCARD\r\n",
];

const EVENTS: &[&str] = &[
    "BEGIN:VEVENT\r\nUID:{u}@planner.example.org\r\nDTSTAMP:20240305T090000Z\r\nDTSTART:20240312T100000Z\r\nSUMMARY:Quarterly review\r\nORGANIZER;CN={n}:mailto:{e}\r\nATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=\"{n}\":mailto:{e}\r\nATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;CN=\"Room Elbe\":mailto:{e}\r\nDESCRIPTION:Agenda attached. Dial-in {p}.\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:{u}\r\nDTSTAMP:20240402T141500Z\r\nSUMMARY:Onboarding call\r\nORGANIZER;CN=\"{n}\";SENT-BY=\"mailto:{e}\":mailto:{e}\r\nATTENDEE;CUTYPE=INDIVIDUAL;CN={n}:mailto:{e}\r\nLOCATION:{A}\\, 10115 Berlin\r\nEND:VEVENT\r\n",
];

const HL7: &[&str] = &[
    "MSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GOOD HEALTH HOSPITAL|20240305121500||ADT^A01^ADT_A01|{o}|P|2.5\rEVN|A01|20240305121500\rPID|1||{q}{q}{q}^^^GHH^MR~{s}^^^SSA^SS||{~}{j}^{f}^^^^^L||{w}|F|||{A}^^Springfield^IL^62701^USA||{p}|||S||{q}{q}\r{~}PV1|1|I|W^389^1^GHH||||{1}^{j}^{f}^^^Dr.|||SUR||||ADM|A0|\r",
    "MSH|^~\\&|REG|CLINIC|EHR|CLINIC|20240411083000||ADT^A04|{o}|P|2.5\rPID|1||{q}{q}^^^CLINIC^MR||{~}{j}^{f}||{w}|M|||{A}^^Madison^WI^53703||{p}\rNK1|1|{~}{j}^{f}|SPO^Spouse|{A}^^Madison^WI^53703|{p}\r",
];

const FHIR: &[&str] = &[
    "    {\n      \"resource\": {\n        \"resourceType\": \"Patient\",\n        \"id\": \"{u}\",\n        \"identifier\": [\n          {\n            \"system\": \"http://hl7.org/fhir/sid/us-ssn\",\n            \"value\": \"{s}\"\n          }\n        ],\n        \"name\": [\n          {\n            \"use\": \"official\",\n            \"family\": \"{~}{j}\",\n            \"given\": [\n              \"{f}\"\n            ]\n          }\n        ],\n        \"telecom\": [\n          {\n            \"system\": \"phone\",\n            \"value\": \"{p}\"\n          },\n          {\n            \"system\": \"email\",\n            \"value\": \"{e}\"\n          }\n        ],\n        \"birthDate\": \"{r}\",\n        \"address\": [\n          {\n            \"use\": \"home\",\n            \"line\": [\n              \"{A}\"\n            ],\n            \"city\": \"Portland\",\n            \"postalCode\": \"97201\"\n          }\n        ]\n      }\n    },\n",
    "    {\"resource\": {\"resourceType\": \"Practitioner\", \"identifier\": [{\"system\": \"http://hl7.org/fhir/sid/us-npi\", \"value\": \"{1}\"}], \"name\": [{\"family\": \"{~}{j}\", \"given\": [\"{f}\"], \"prefix\": [\"Dr.\"]}]}},\n",
    "    {\"resource\": {\"resourceType\": \"Patient\", \"identifier\": [{\"system\": \"https://fhir.nhs.uk/Id/nhs-number\", \"value\": \"{H}\"}], \"name\": [{\"text\": \"{n}\"}], \"birthDate\": \"{r}\"}},\n",
];

const PAIN_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">\n<CstmrCdtTrfInitn>\n<GrpHdr><MsgId>MSG-0001</MsgId><CreDtTm>2024-03-05T10:00:00</CreDtTm><NbOfTxs>1</NbOfTxs><InitgPty><Nm>Example Trading GmbH</Nm></InitgPty></GrpHdr>\n";

const PAIN: &[&str] = &[
    "<CdtTrfTxInf>\n  <PmtId><EndToEndId>E2E-{o}</EndToEndId></PmtId>\n  <Amt><InstdAmt Ccy=\"EUR\">{m}</InstdAmt></Amt>\n  <CdtrAgt><FinInstnId><BICFI>{W}</BICFI></FinInstnId></CdtrAgt>\n  <Cdtr>\n    <Nm>{n}</Nm>\n    <PstlAdr>\n      <AdrLine>{A}</AdrLine>\n      <AdrLine>10115 Berlin</AdrLine>\n    </PstlAdr>\n  </Cdtr>\n  <CdtrAcct><Id><IBAN>{i}</IBAN></Id></CdtrAcct>\n  <RmtInf><Ustrd>Invoice {k}</Ustrd></RmtInf>\n</CdtTrfTxInf>\n",
    "<CdtTrfTxInf>\n  <PmtId><EndToEndId>E2E-{o}</EndToEndId></PmtId>\n  <Amt><InstdAmt Ccy=\"EUR\">{m}</InstdAmt></Amt>\n  <Cdtr><Nm>{!N}</Nm></Cdtr>\n  <CdtrAcct><Id><IBAN>{i}</IBAN></Id></CdtrAcct>\n</CdtTrfTxInf>\n",
];

const PAGES: &[&str] = &[
    "<section class=\"card\">\n  <h2>Customer {q}{q}</h2>\n  <dl>\n    <dt>Name</dt><dd>{n}</dd>\n    <dt>Email</dt><dd>{e}</dd>\n    <dt>Phone</dt><dd>{p}</dd>\n    <dt>Address</dt><dd>{A}<br>Leeds<br>United Kingdom</dd>\n  </dl>\n</section>\n",
    "<form>\n  <label for=\"tel\">Telefon</label> <input id=\"tel\" name=\"tel\" value=\"{p}\">\n  <label for=\"adr\">Anschrift</label> <input id=\"adr\" value=\"{A}\">\n</form>\n",
    "<table class=\"customers\">\n  <tr><th>Nom</th><th>Courriel</th><th>Date de naissance</th></tr>\n  <tr><td>{n}</td><td>{e}</td><td>{B}</td></tr>\n  <tr><td>{n}</td><td>{e}</td><td>{B}</td></tr>\n</table>\n",
];

const YAML: &[&str] = &[
    "  - id: {q}{q}\n    name: {n}\n    email: {e}\n    phone: \"{p}\"\n    address: {A}\n    active: true\n",
    "  - id: {q}{q}\n    username: user{q}{q}\n    name: \"{n}\"\n    email: {e}\n    plan: pro\n",
];

const MAIL: &[&str] = &[
    "From: {n} <{e}>\r\nTo: {n} <{e}>\r\nSubject: Re: your order {o}\r\nDate: Tue, 05 Mar 2024 11:48:00 +0100\r\nMessage-ID: <{q}{q}{q}.{u}@mail.example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello {f},\r\n\r\nthanks for the quick reply. I will call you on {p} tomorrow.\r\n\r\nKind regards,\r\n{n}\r\n\r\n-- \r\n{n}\r\nAccount Manager\r\nExample Trading Ltd\r\n{A}\r\n\r\n",
    "From: \"{n}\" <{e}>\r\nTo: {e}\r\nSubject: Termin\r\nDate: Wed, 06 Mar 2024 09:12:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo {f},\r\n\r\nanbei die Unterlagen.\r\n\r\nMit freundlichen Grüßen\r\n{n}\r\n\r\n> Am 05.03.2024 schrieb {n} <{e}>:\r\n> Bitte senden Sie uns die Unterlagen.\r\n\r\n",
    "From: {n} <{e}>\r\nSubject: Devis\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Bonjour {f},</p>\r\n<p>Voici le devis.</p>\r\n<p>Cordialement,<br>\r\n{n}<br>\r\n</p>\r\n\r\n",
];

const IDENTITY: &[&str] = &[
    "  {\n    \"subject_id\": \"{u}\",\n    \"document\": {\n      \"type\": \"ssn\",\n      \"number\": \"{s}\",\n      \"verified\": true\n    }\n  },\n",
    "  {\n    \"subject_id\": \"{u}\",\n    \"identity\": {\n      \"id_type\": \"nhs_number\",\n      \"value\": \"{H}\"\n    }\n  },\n",
    "  {\n    \"provider\": {\n      \"kind\": \"npi\",\n      \"id\": \"{1}\"\n    }\n  },\n",
];
