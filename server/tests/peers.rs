//! Settle's own trial balance and profit and loss agree, account by account and to the minor
//! unit, with hledger and beancount reading Settle's exports of the demo books.
//!
//! hledger (Debian package) and beancount 3 with beanquery (PyPI) must be installed; the
//! beancount commands are looked up in `$SETTLE_PEERS_BIN` when it is set, else on `PATH`.

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

const INSTALL_HINT: &str =
    "run scripts/setup to install hledger and beancount (CI installs them; this test never skips)";

/// Balances by account code, zero balances left out (the peers leave them out too).
type Balances = BTreeMap<String, Decimal>;

fn settle(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(args)
        .output()
        .expect("run settle");
    assert!(
        out.status.success(),
        "settle {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("settle prints UTF-8")
}

fn beancount_command(name: &str) -> PathBuf {
    match std::env::var_os("SETTLE_PEERS_BIN") {
        Some(dir) => Path::new(&dir).join(name),
        None => PathBuf::from(name),
    }
}

/// Runs a peer tool; a missing tool fails the test with the way to install it.
fn peer(program: impl AsRef<Path>, args: &[&str]) -> String {
    let program = program.as_ref();
    let out = match Command::new(program).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("{} is not installed: {INSTALL_HINT}", program.display())
        }
        Err(e) => panic!("cannot run {}: {e}", program.display()),
    };
    assert!(
        out.status.success(),
        "{} {args:?} failed:\n{}{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("peer prints UTF-8")
}

fn report(db: &str, args: &[&str]) -> Value {
    let mut all = vec!["report", "--db", db];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let text = settle(&all);
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("settle {all:?} is not JSON ({e}):\n{text}"));
    assert_eq!(json["basis"], "accrual", "the exports are accrual books");
    json
}

/// The report's rows of the given kinds, as debit-positive balances by code.
fn settle_balances(report: &Value, kinds: &[&str]) -> Balances {
    let rows = report["rows"].as_array().expect("report rows");
    let mut balances = Balances::new();
    for row in rows {
        // A row without a code (a total, should a report add one) is not an account.
        let Some(code) = row["code"].as_str() else {
            continue;
        };
        let kind = row["kind"].as_str().expect("row kind");
        if !kinds.contains(&kind) {
            continue;
        }
        let balance = decimal(row["balance"].as_str().expect("balance is a string"));
        if !balance.is_zero() {
            assert!(
                balances.insert(code.to_string(), balance).is_none(),
                "{code} twice"
            );
        }
    }
    balances
}

fn top_level(kind: &str) -> &'static str {
    match kind {
        "asset" => "Assets",
        "liability" => "Liabilities",
        "equity" => "Equity",
        "revenue" => "Income",
        "expense" => "Expenses",
        other => panic!("unknown account kind {other:?}"),
    }
}

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text.trim()).unwrap_or_else(|e| panic!("{text:?} is not a number: {e}"))
}

/// `Income:4000-Sales` -> `4000`: the exporters put the code first and never a dash in it.
fn code_of(path: &str) -> String {
    let leaf = path.rsplit(':').next().unwrap_or(path);
    leaf.split('-').next().unwrap_or(leaf).to_string()
}

/// Peer rows of (account path, amount) as balances by code, checking that each account sits
/// under the top level of its Settle kind and that amounts are in the books' currency.
fn by_code(
    rows: impl IntoIterator<Item = (String, String)>,
    currency: &str,
    kinds: &BTreeMap<String, String>,
) -> Balances {
    let mut balances = Balances::new();
    for (path, amount) in rows {
        let mut words = amount.split_whitespace();
        let number = decimal(words.next().unwrap_or("0"));
        if let Some(commodity) = words.next() {
            assert_eq!(commodity, currency, "{path}: {amount}");
        }
        let code = code_of(&path);
        let kind = kinds
            .get(&code)
            .unwrap_or_else(|| panic!("{path} is not an account of Settle's chart"));
        assert!(
            path.starts_with(&format!("{}:", top_level(kind))),
            "{path} is a {kind} account"
        );
        if !number.is_zero() {
            assert!(balances.insert(code, number).is_none(), "{path} twice");
        }
    }
    balances
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// `hledger bal --flat -O csv`: a header row, one row per account, then a total row.
fn hledger(journal: &str, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["-f", journal, "bal", "--flat", "-O", "csv"];
    all.extend_from_slice(args);
    let rows = parse_csv(&peer("hledger", &all));
    assert_eq!(
        rows.first().map(Vec::as_slice),
        Some(&["account".to_string(), "balance".to_string()][..])
    );
    rows.into_iter()
        .skip(1)
        .filter(|r| r[0] != "total")
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

/// bean-query's CSV: a header row, then one row per account (numbers padded with spaces).
fn bean_query(file: &str, query: &str) -> Vec<(String, String)> {
    let rows = parse_csv(&peer(
        beancount_command("bean-query"),
        &["-f", "csv", file, query],
    ));
    assert_eq!(
        rows.first().map(|r| r[0].as_str()),
        Some("account"),
        "{query}"
    );
    rows.into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

fn assert_same(what: &str, settle: &Balances, peer: &Balances) {
    let codes: BTreeSet<&String> = settle.keys().chain(peer.keys()).collect();
    let differences: Vec<String> = codes
        .into_iter()
        .filter(|code| settle.get(*code) != peer.get(*code))
        .map(|code| {
            format!(
                "{code}: settle {:?}, peer {:?}",
                settle.get(code),
                peer.get(code)
            )
        })
        .collect();
    assert!(
        differences.is_empty(),
        "{what} differs:\n{}",
        differences.join("\n")
    );
}

/// The years that have entries, read from the journal's transaction lines.
fn entry_years(journal_text: &str) -> BTreeSet<i32> {
    journal_text
        .lines()
        .filter_map(|line| line.get(..10))
        .filter(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok())
        .map(|date| date[..4].parse().expect("year"))
        .collect()
}

#[test]
fn hledger_and_beancount_read_the_exports_with_settles_own_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| {
        dir.path()
            .join(name)
            .to_str()
            .expect("UTF-8 path")
            .to_string()
    };
    let (db, journal, beancount) = (
        path("settle.sqlite"),
        path("books.journal"),
        path("books.beancount"),
    );
    settle(&["demo", "--db", &db]);
    settle(&[
        "export", "--db", &db, "--format", "hledger", "--out", &journal,
    ]);
    settle(&[
        "export",
        "--db",
        &db,
        "--format",
        "beancount",
        "--out",
        &beancount,
    ]);

    // Strict reads: every account and the commodity declared, every entry balanced.
    peer(
        "hledger",
        &["-f", &journal, "check", "accounts", "commodities"],
    );
    peer(beancount_command("bean-check"), &[&beancount]);

    let trial = report(&db, &["trial-balance", "--to", "2030-12-31"]);
    let currency = trial["currency"].as_str().expect("currency").to_string();
    let kinds: BTreeMap<String, String> = trial["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| {
            Some((
                r["code"].as_str()?.to_string(),
                r["kind"].as_str()?.to_string(),
            ))
        })
        .collect();
    let every_kind = ["asset", "liability", "equity", "revenue", "expense"];
    let expected = settle_balances(&trial, &every_kind);
    assert!(
        expected.len() >= 4,
        "the demo books have balances: {expected:?}"
    );
    assert_same(
        "trial balance to 2030-12-31 (hledger)",
        &expected,
        &by_code(hledger(&journal, &["-e", "2031-01-01"]), &currency, &kinds),
    );
    assert_same(
        "trial balance to 2030-12-31 (beancount)",
        &expected,
        &by_code(
            bean_query(
                &beancount,
                "SELECT account, sum(number) AS total WHERE date <= 2030-12-31 GROUP BY account",
            ),
            &currency,
            &kinds,
        ),
    );

    let years = entry_years(&std::fs::read_to_string(&journal).expect("read the journal"));
    assert!(!years.is_empty(), "the journal has entries");
    for year in years {
        let (from, to, next) = (
            format!("{year}-01-01"),
            format!("{year}-12-31"),
            format!("{}-01-01", year + 1),
        );
        let pnl = report(&db, &["profit-loss", "--from", &from, "--to", &to]);
        assert_eq!(pnl["currency"], trial["currency"]);
        let expected = settle_balances(&pnl, &["revenue", "expense"]);
        assert_same(
            &format!("profit and loss {year} (hledger)"),
            &expected,
            &by_code(
                hledger(&journal, &["-b", &from, "-e", &next, "type:RX"]),
                &currency,
                &kinds,
            ),
        );
        let query = format!(
            "SELECT account, sum(number) AS total WHERE date >= {from} AND date <= {to} \
             AND account ~ '^(Income|Expenses):' GROUP BY account"
        );
        assert_same(
            &format!("profit and loss {year} (beancount)"),
            &expected,
            &by_code(bean_query(&beancount, &query), &currency, &kinds),
        );
    }
}
