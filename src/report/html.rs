//! The HTML report: one self-contained file for someone who has never used
//! a terminal. Everything is in the page: styles, two bar charts drawn as
//! SVG, the tables written out as HTML (readable without scripts), and a
//! small script that sorts and filters them. A content security policy
//! forbids every request, so opening the file sends nothing anywhere.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Issue, Report};
use crate::finding::Severity;

/// Bars drawn per chart; the tables hold the rest.
const BARS: usize = 15;

/// Writes `report` as one HTML page.
pub fn html(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    head(report, &mut page);
    summary(report, &mut page);
    charts(report, &mut page);
    issues(&report.minimisation, &mut page);
    files(report, &mut page);
    columns(report, &mut page);
    coverage(report, &mut page);
    let _ = write!(
        page,
        "<footer>piiscan {}, report schema {}. No value appears in this report: only counts, masked samples and file names.</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        super::SCHEMA
    );
    out.write_all(page.as_bytes())
}

fn head(report: &Report, page: &mut String) {
    let date = &report.generated_at[..10];
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Personal data report, {date}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
<header><h1>Personal data report</h1><p>Made by piiscan on {} (UTC). It lists where personal data is kept in the files examined, how much, and what to do about it under the GDPR and PCI DSS.</p></header>\n",
        esc(&report.generated_at.replace('T', " ").replace('Z', ""))
    );
}

fn summary(report: &Report, page: &mut String) {
    let t = &report.totals;
    page.push_str("<section id=\"summary\" class=\"cards\">\n");
    let examined = t
        .files_examined
        .map_or(String::new(), |n| format!(" of {n} examined"));
    card(
        page,
        "Findings",
        &t.findings.to_string(),
        "pieces of personal data found",
    );
    card(
        page,
        "Files",
        &t.files_with_findings.to_string(),
        &format!("files holding personal data{examined}"),
    );
    let severities: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| t.by_severity.get(s).map(|n| format!("{n} {s}")))
        .collect();
    let to_do: u64 = t.by_severity.values().sum();
    let detail = match severities.is_empty() {
        true => "nothing to do".to_string(),
        false => severities.join(", "),
    };
    card(page, "To do", &to_do.to_string(), &detail);
    card(
        page,
        "Copies",
        &t.shared_values.to_string(),
        "values kept in more than one file",
    );
    page.push_str("</section>\n");
}

fn card(page: &mut String, title: &str, figure: &str, detail: &str) {
    let _ = writeln!(
        page,
        "<div class=\"card\"><h2>{}</h2><p class=\"figure\">{}</p><p>{}</p></div>",
        esc(title),
        esc(figure),
        esc(detail)
    );
}

fn charts(report: &Report, page: &mut String) {
    page.push_str("<section id=\"charts\">\n<div>\n<h2>Findings by kind</h2>\n");
    let mut kinds: Vec<(String, u64)> = (report.totals.by_kind.iter())
        .map(|(k, n)| (words(k), *n))
        .collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kinds: Vec<(&str, &str, u64)> = kinds
        .iter()
        .map(|(k, n)| (k.as_str(), k.as_str(), *n))
        .collect();
    bars(page, "chart-kinds", "Findings by kind", &kinds);
    page.push_str("</div>\n<div>\n<h2>Files with the most findings</h2>\n");
    let files: Vec<(&str, &str, u64)> = (report.files.iter().take(BARS))
        .map(|f| (short(&f.path), f.path.as_str(), f.findings))
        .collect();
    bars(page, "chart-files", "Files with the most findings", &files);
    page.push_str("</div>\n</section>\n");
}

/// The last two parts of a path: enough to tell files apart in a chart.
fn short(path: &str) -> &str {
    let cut = path
        .char_indices()
        .filter(|&(_, c)| c == '/' || c == '!')
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    match cut.len() {
        0 | 1 => path,
        n => &path[cut[n - 2] + 1..],
    }
}

/// A horizontal bar chart as inline SVG: each row a label, its whole
/// name (shown on hover) and a count.
fn bars(page: &mut String, id: &str, title: &str, rows: &[(&str, &str, u64)]) {
    let rows = &rows[..rows.len().min(BARS)];
    let most = rows.iter().map(|r| r.2).max().unwrap_or(1).max(1);
    let (label, bar, row) = (230.0, 300.0, 22.0);
    let height = row * rows.len().max(1) as f64 + 4.0;
    let _ = writeln!(
        page,
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {} {height}\" width=\"100%\"><title>{}</title>",
        label + bar + 70.0,
        esc(title)
    );
    if rows.is_empty() {
        let _ = writeln!(page, "<text x=\"0\" y=\"16\">No findings.</text>");
    }
    for (i, (name, whole, n)) in rows.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let w = (*n as f64 / most as f64 * bar).max(1.0);
        let _ = writeln!(
            page,
            "<g class=\"bar\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\"><title>{}: {n}</title></rect><text x=\"{}\" y=\"{}\">{n}</text></g>",
            label - 6.0,
            y + 14.0,
            esc(name),
            label,
            row - 6.0,
            esc(whole),
            label + w + 4.0,
            y + 14.0,
        );
    }
    page.push_str("</svg>\n");
}

fn issues(issues: &[Issue], page: &mut String) {
    page.push_str(
        "<section id=\"minimisation\">\n<h2>What to do</h2>\n\
<p>Each row is a place where more personal data is kept than its purpose needs, or kept in a way the rules forbid. The command in the last column makes a masked copy that fixes it (an engineer runs it; the original is not changed).</p>\n",
    );
    filter(page, "t-issues");
    table_head(
        page,
        "t-issues",
        &[
            ("Severity", "severity"),
            ("Finding", "text"),
            ("File", "text"),
            ("Column", "text"),
            ("What was found", "text"),
            ("Rule", "text"),
            ("What to do", "text"),
            ("Command", "text"),
        ],
    );
    for i in issues {
        let _ = writeln!(
            page,
            "<tr id=\"{}\"><td data-sort=\"{}\"><span class=\"sev {}\">{}</span></td><td>{}</td><td class=\"path\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&i.id),
            i.severity as u8,
            i.severity,
            i.severity,
            esc(super::checks::title(i.check)),
            esc(&i.path),
            esc(i.column.as_deref().unwrap_or("")),
            esc(&i.evidence),
            esc(i.principle),
            esc(&i.recommendation),
            esc(&i.command),
        );
    }
    page.push_str("</tbody></table>\n</section>\n");
}

fn files(report: &Report, page: &mut String) {
    page.push_str("<section id=\"files\">\n<h2>Files</h2>\n");
    filter(page, "t-files");
    table_head(
        page,
        "t-files",
        &[
            ("File", "text"),
            ("Format", "text"),
            ("Size (bytes)", "num"),
            ("Age (days)", "num"),
            ("Findings", "num"),
            ("Per MB", "num"),
            ("Kinds", "text"),
        ],
    );
    for f in &report.files {
        let opt = |v: Option<u64>| v.map_or(String::new(), |v| v.to_string());
        let _ = writeln!(
            page,
            "<tr><td class=\"path\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.path),
            esc(&f.format),
            opt(f.bytes),
            opt(f.age_days),
            f.findings,
            f.per_mb.map_or(String::new(), |v| v.to_string()),
            esc(&words(&super::render::kinds(&f.by_kind))),
        );
    }
    page.push_str("</tbody></table>\n</section>\n");
}

fn columns(report: &Report, page: &mut String) {
    page.push_str(
        "<section id=\"columns\">\n<h2>Columns and key paths</h2>\n\
<p>Columns of spreadsheets and CSV exports, and keys of JSON files, that hold personal data. Distinct values are counted from keyed fingerprints, never from the values; “about” marks an estimate.</p>\n",
    );
    filter(page, "t-columns");
    table_head(
        page,
        "t-columns",
        &[
            ("File", "text"),
            ("Column", "text"),
            ("Kind", "text"),
            ("Findings", "num"),
            ("Share of cells", "num"),
            ("Distinct", "num"),
            ("Sample (masked)", "text"),
        ],
    );
    for c in &report.columns {
        let share = c
            .share
            .map_or(String::new(), |s| format!("{:.0}%", s * 100.0));
        let about = if c.distinct_estimated { "about " } else { "" };
        let _ = writeln!(
            page,
            "<tr><td class=\"path\">{}</td><td>{}</td><td>{}</td><td>{}</td><td data-sort=\"{}\">{share}</td><td data-sort=\"{}\">{about}{}</td><td><code>{}</code></td></tr>",
            esc(&c.path),
            esc(&c.column),
            esc(&words(&c.kind)),
            c.findings,
            c.share.unwrap_or(-1.0),
            c.distinct,
            c.distinct,
            esc(&c.sample),
        );
    }
    page.push_str("</tbody></table>\n</section>\n");
}

fn coverage(report: &Report, page: &mut String) {
    let c = &report.coverage;
    page.push_str("<section id=\"coverage\">\n<h2>What was not examined</h2>\n");
    if !c.known {
        page.push_str("<p>Not known: this report was made from saved findings without the scan's coverage file.</p>\n");
    } else if c.incomplete.is_empty() {
        page.push_str("<p>Every file was examined in full.</p>\n");
    } else {
        page.push_str("<p>These could not be examined in full; they may hold personal data this report does not show.</p>\n<ul>\n");
        for gap in &c.incomplete {
            let _ = writeln!(
                page,
                "<li><span class=\"path\">{}</span>: {}</li>",
                esc(&gap.path),
                esc(&gap.detail)
            );
        }
        page.push_str("</ul>\n");
    }
    if !c.skipped.is_empty() {
        let _ = writeln!(
            page,
            "<p>{} left out by choice (binary files, excluded paths).</p>",
            c.skipped.len()
        );
    }
    page.push_str("</section>\n");
}

fn filter(page: &mut String, table: &str) {
    let _ = writeln!(
        page,
        "<input type=\"search\" class=\"filter\" data-table=\"{table}\" placeholder=\"Filter rows…\" aria-label=\"Filter rows\">"
    );
}

fn table_head(page: &mut String, id: &str, columns: &[(&str, &str)]) {
    let _ = write!(
        page,
        "<div class=\"scroll\"><table id=\"{id}\" class=\"sortable\"><thead><tr>"
    );
    for (name, kind) in columns {
        let _ = write!(
            page,
            "<th data-type=\"{kind}\" tabindex=\"0\" aria-sort=\"none\">{}</th>",
            esc(name)
        );
    }
    page.push_str("</tr></thead><tbody>\n");
}

/// A kind in words: `person_name` → `person name`.
fn words(kind: &str) -> String {
    kind.replace('_', " ")
}

/// Text for HTML: markup characters escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7f9; --accent: #3b5bdb; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1500px; padding: 24px; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: #fff; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p, section > p { color: var(--muted); max-width: 70em; }
h2 { font-size: 18px; margin: 28px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card h2 { margin: 0; font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.card .figure { font-size: 30px; font-weight: 600; margin: 4px 0; }
.card p { margin: 0; }
#charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 24px; }
.chart text { font-size: 12px; fill: var(--fg); }
.chart rect { fill: var(--accent); }
.filter { margin: 4px 0 8px; padding: 6px 10px; width: 320px; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--bg); cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.path { min-width: 12em; overflow-wrap: anywhere; }
#t-issues td:nth-child(5), #t-issues td:nth-child(7) { min-width: 14em; }
#t-issues td:nth-child(8) { min-width: 20em; }
code { font: 12px/1.4 ui-monospace, monospace; background: var(--bg); padding: 1px 4px; border-radius: 4px; word-break: break-all; }
.sev { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.sev.critical { background: #c92a2a; } .sev.high { background: #e8590c; } .sev.medium { background: #f59f00; color: #1d2330; } .sev.low { background: #868e96; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
"#;

const SCRIPT: &str = r#"
(function () {
  function key(cell, type) {
    var v = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
    if (type === 'num' || type === 'severity') { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }
  function sort(th) {
    var table = th.closest('table'), body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var type = th.getAttribute('data-type');
    var descending = th.getAttribute('aria-sort') !== 'descending';
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], type), y = key(b.cells[index], type);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () { sort(th); });
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(th); } });
  });
  document.querySelectorAll('input.filter').forEach(function (input) {
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var body = document.getElementById(input.getAttribute('data-table')).tBodies[0];
      Array.prototype.forEach.call(body.rows, function (r) {
        var text = r.textContent.toLowerCase();
        r.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_paths_shortened() {
        assert_eq!(
            esc("<a href=\"x\">'&'"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
        );
        assert_eq!(short("a/b/c.csv"), "b/c.csv");
        assert_eq!(short("x.zip!in/d.csv"), "in/d.csv");
        assert_eq!(short("c.csv"), "c.csv");
    }
}
