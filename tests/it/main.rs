//! The integration tests, one binary: the real `piiscan` on `fixtures/`
//! ([`cli`]), CI gating ([`gate`], [`baseline`]), golden files for every output format ([`golden`]), masked
//! copies ([`mask`]), the minimisation report ([`report`]), and the
//! property that chunking never changes a finding ([`chunks`]).

mod baseline;
mod chunks;
mod cli;
mod everyday;
mod formats;
mod gate;
mod golden;
mod harness;
mod hostile;
mod leaks;
mod mask;
mod recall;
mod report;
mod scale;
