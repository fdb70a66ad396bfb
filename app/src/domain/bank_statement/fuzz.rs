//! A mutation fuzzer that runs on stable inside `cargo test`: it bends the sample files of
//! `corpus/` (bit flips, inserted and deleted bytes, cuts, splices between files, format
//! tokens) and feeds them to every reader, which must answer without panicking.
//! `cargo test -p app --features ssr -- --ignored fuzz_campaign` runs a long campaign;
//! `SETTLE_FUZZ_ITERATIONS` sets its length and `SETTLE_FUZZ_SEED` its seed.

use super::tests::{corpus, CORPUS};
use super::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// xorshift64*: small, seeded, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    "<STMTTRN>",
    "</STMTTRN>",
    "<TRNAMT>",
    "<DTPOSTED>99999999",
    "[-5:EST]",
    "[",
    "<OFX>",
    "</OFX>",
    "<Ntry>",
    "</Ntry>",
    "<Amt Ccy=\"EUR\">",
    "<CdtDbtInd>DBIT</CdtDbtInd>",
    "<BookgDt><DtTm>",
    "camt.053",
    "&amp;",
    "&#0;",
    "<![CDATA[",
    ":61:",
    ":86:?20",
    "?32",
    ":20:",
    ":60F:C",
    ":62F:D991231EUR",
    "RC",
    "//",
    "{4:",
    "-}",
    ";",
    ",",
    "\"",
    "\"\"",
    "\t",
    "|",
    "\n",
    "\r\n",
    "1.234,56",
    "-0,0",
    "30.02.2024",
    "99/99/9999",
    "é",
    "€",
    "\u{feff}",
    "\u{1f600}",
    "9999999999999999999999999999",
    "-",
    "+",
    "()",
    "EREF+",
    "SVWZ+",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(8) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, (rng.next() & 0xff) as u8),
            2 if at < data.len() => {
                let len = rng.below(16).min(data.len() - at);
                data.drain(at..at + len);
            }
            3 => data.truncate(at),
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let len = rng.below(200).min(other.len() - from);
                data.splice(at..at, other[from..from + len].iter().copied());
            }
            5 | 6 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            _ if at < data.len() => {
                let len = rng.below(64).min(data.len() - at);
                let chunk = data[at..at + len].to_vec();
                data.splice(at..at, chunk);
            }
            _ => {}
        }
    }
    data
}

/// Every corpus file: the samples and any minimised crashers kept under `corpus/`.
fn seeds() -> Vec<Vec<u8>> {
    let mut names: Vec<String> = std::fs::read_dir(CORPUS)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    names.iter().map(|n| corpus(n)).collect()
}

fn exercise(input: &[u8], profiles: &[CsvProfile]) {
    let _ = parse_statement(input, None);
    let _ = detect_profile(input);
    for profile in profiles {
        let _ = parse_statement(input, Some(profile));
    }
}

/// Runs `iterations` mutated inputs; on a panic, keeps the input and names it.
fn run(seed: u64, iterations: usize) {
    let seeds = seeds();
    let profiles: Vec<CsvProfile> = seeds
        .iter()
        .filter_map(|s| parse_statement(s, None).ok()?.profile)
        .take(3)
        .collect();
    let mut rng = Rng(seed);
    for i in 0..iterations {
        let input = mutate(&mut rng, &seeds);
        if catch_unwind(AssertUnwindSafe(|| exercise(&input, &profiles))).is_err() {
            let path = std::env::temp_dir().join(format!("settle-bank-crash-{seed}-{i}"));
            let _ = std::fs::write(&path, &input);
            panic!(
                "a reader panicked on iteration {i}; the input is in {}",
                path.display()
            );
        }
    }
}

#[test]
fn no_reader_panics_on_mutated_files() {
    run(0x5E77_1E00_0000_0001, 1500);
}

#[test]
fn every_corpus_file_parses_or_is_refused_without_panicking() {
    for seed in seeds() {
        for end in (0..seed.len()).step_by(7) {
            exercise(&seed[..end], &[]);
        }
    }
}

#[test]
#[ignore = "a long campaign; run on purpose"]
fn fuzz_campaign() {
    let iterations = std::env::var("SETTLE_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let seed = std::env::var("SETTLE_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0xC0FF_EE00_0000_0042);
    let started = std::time::Instant::now();
    run(seed, iterations);
    println!("{iterations} inputs in {:?}", started.elapsed());
}
