//! Micro-benchmarks: each rule's validators alone (on its first example's
//! value), one chunk through the detector (regex, validators, context) on
//! realistic text and on text without personal data (where no candidate
//! survives: the prefilter alone), and the CSV row tracker. Run with
//! `cargo bench`; whole-process throughput is `benches/run.sh`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use piiscan::detect::Detector;
use piiscan::formats::table::Table;
use piiscan::rules::RuleSet;
use piiscan::validate::{card, iban, luhn};

/// About 1 MiB of log and CSV lines with personal data every few lines.
fn mixed_chunk() -> Vec<u8> {
    let lines = [
        "2024-03-15T10:22:31.123Z INFO req=7f3c2a1e-9b4d-4c8e-a1f2-3d4e5f6a7b8c login user=ana.pop@example.ro ip=203.0.113.45 latency=12ms\n",
        "2024-03-15T10:22:32.456Z WARN payment declined card=4787789328792170 order=ORD-2024-0001234 amount=129.99\n",
        "1002,Jean,Dupont,jean.dupont@exemple.fr,06 12 34 56 78,FR9204940326991023740954611,198.51.100.23\n",
        "2024-03-15T10:22:34.001Z DEBUG build=v1.2.3.4 sha=da39a3ee5e6b4b0d3255bfef95601890afd80709 epoch=1710498151123\n",
        "the quick brown fox jumps over the lazy dog while the order 123456789 ships at 12:30:45 for 42.50 EUR\n",
    ];
    let mut out = Vec::with_capacity(1 << 20);
    let mut i = 0;
    while out.len() < (1 << 20) {
        out.extend_from_slice(lines[i % lines.len()].as_bytes());
        i += 1;
    }
    out
}

/// About 1 MiB of prose with no personal data at all.
fn clean_chunk() -> Vec<u8> {
    let line = "The quick brown fox jumps over the lazy dog; nothing personal here, just words and a few more words.\n";
    line.repeat((1 << 20) / line.len()).into_bytes()
}

fn validators(c: &mut Criterion) {
    let mut g = c.benchmark_group("validators");
    g.bench_function("luhn", |b| b.iter(|| luhn(black_box(b"4787789328792170"))));
    g.bench_function("card", |b| {
        b.iter(|| card(black_box(b"4787 7893 2879 2170")))
    });
    g.bench_function("iban", |b| {
        b.iter(|| iban(black_box(b"DE06 1007 7283 7832 6616 63")))
    });
    // Every rule's validators, on the value its first example finds.
    let rules = RuleSet::builtin().unwrap();
    let det = Detector::new(&rules).unwrap();
    for (index, rule) in rules.rules().iter().enumerate() {
        let (Some(example), false) = (rule.examples.first(), rule.validators.is_empty()) else {
            continue;
        };
        let text = example.text.as_bytes();
        let Some(hit) = det.find_all(text).into_iter().find(|h| h.rule == index) else {
            continue;
        };
        g.bench_function(BenchmarkId::new("rule", &*rule.id), |b| {
            b.iter(|| {
                rule.validators
                    .iter()
                    .all(|v| v.check(black_box(text), hit.start, hit.end))
            })
        });
    }
    g.finish();
}

fn csv_rows(c: &mut Criterion) {
    let rules = RuleSet::builtin().unwrap();
    let det = Detector::new(&rules).unwrap();
    let mut scratch = det.scratch();
    let mut csv = b"id,first_name,last_name,email,phone,iban,notes\n".to_vec();
    let row = b"1002,Jean,Dupont,jean.dupont@exemple.fr,06 12 34 56 78,FR9204940326991023740954611,\"called, \"\"twice\"\"\nno answer\"\n";
    while csv.len() < (1 << 20) {
        csv.extend_from_slice(row);
    }
    let table = Table::of("export.csv", &csv, &det, &mut scratch).unwrap();
    let mut g = c.benchmark_group("csv");
    g.throughput(Throughput::Bytes(csv.len() as u64));
    g.bench_function("row_tracker_1MiB", |b| {
        b.iter(|| {
            let mut rows = table.rows();
            rows.feed(black_box(&csv));
            rows.done
        })
    });
    let data = table.data_start as usize;
    g.bench_function("named_cells_1MiB", |b| {
        b.iter(|| table.columns_in(&table.rows(), black_box(&csv[data..]), data))
    });
    g.bench_function("chunk_with_header_context_1MiB", |b| {
        b.iter(|| {
            scratch.use_columns(table.columns_in(&table.rows(), &csv[data..], data));
            det.scan(&csv, 0..csv.len(), csv.len(), &mut scratch);
            scratch.hits().len()
        })
    });
    g.finish();
}

fn detector(c: &mut Criterion) {
    let rules = RuleSet::builtin().unwrap();
    let det = Detector::new(&rules).unwrap();
    let mut scratch = det.scratch();
    let mut g = c.benchmark_group("detector");
    for (name, chunk) in [("mixed", mixed_chunk()), ("clean", clean_chunk())] {
        g.throughput(Throughput::Bytes(chunk.len() as u64));
        g.bench_with_input(BenchmarkId::new("chunk_1MiB", name), &chunk, |b, chunk| {
            b.iter(|| {
                det.scan(chunk, 0..chunk.len(), chunk.len(), &mut scratch);
                scratch.hits().len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, validators, detector, csv_rows);
criterion_main!(benches);
