//! Each reader against small files that reproduce real exports (in `corpus/`), detection,
//! bad input named by its location, and fingerprints.

use super::*;
use std::collections::HashSet;

pub(super) const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/src/domain/bank_statement/corpus"
);

pub(super) fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}/{name}")).unwrap()
}

fn parse(name: &str) -> Statement {
    parse_statement(&corpus(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn amounts(statement: &Statement) -> Vec<String> {
    statement.lines().map(|l| l.amount.to_string()).collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn refused(bytes: &[u8]) -> ParseFailure {
    parse_statement(bytes, None).expect_err("the file should be refused")
}

#[test]
fn sparkasse_export_in_windows_1252_reads_decimal_commas_exactly() {
    let statement = parse("sparkasse.csv");

    let profile = statement.profile.as_ref().unwrap();
    assert_eq!(statement.format, Format::Csv);
    assert_eq!(statement.encoding, TextEncoding::Windows1252);
    assert_eq!(
        (profile.delimiter, profile.decimal),
        (';', DecimalSeparator::Comma)
    );
    assert_eq!(profile.date_format, DateFormat::DayMonthYear);
    assert_eq!(
        amounts(&statement),
        ["1234.56", "-89.90", "-1000.00", "0.05"]
    );
    let first = statement.lines().next().unwrap();
    assert_eq!(first.booking_date, day(2024, 1, 2));
    assert_eq!(first.counterparty.as_deref(), Some("Müller GmbH"));
    assert_eq!(first.description, "Rechnung INV-00012");
    assert_eq!(first.kind.as_deref(), Some("GUTSCHR. UEBERWEISUNG"));
    assert_eq!(first.currency, Currency::parse("EUR").ok());
    assert_eq!(first.location, Location::Line(2));
    assert!(statement.notices.is_empty());
}

#[test]
fn dkb_export_with_preamble_and_bom_finds_its_header_and_payee() {
    let statement = parse("dkb.csv");

    let profile = statement.profile.as_ref().unwrap();
    assert_eq!(statement.encoding, TextEncoding::Utf8);
    assert_eq!(profile.header_line, 5);
    assert_eq!(amounts(&statement), ["2000.00", "-39.95", "-39.95"]);
    let lines: Vec<&StatementLine> = statement.lines().collect();
    assert_eq!(lines[0].counterparty.as_deref(), Some("ACME GmbH"));
    assert_eq!(
        lines[1].counterparty.as_deref(),
        Some("Telekom Deutschland")
    );
    assert_eq!(lines[0].references, ["E2E-2024-003"]);
    assert_eq!(lines[1].references, ["MR-778"]);
    assert_eq!(lines[0].location, Location::Line(6));
    assert_ne!(
        lines[1].fingerprint, lines[2].fingerprint,
        "identical lines are told apart"
    );
}

#[test]
fn uk_export_newest_first_with_running_balance_agrees() {
    let statement = parse("uk_signed.csv");

    let account = &statement.accounts[0];
    assert_eq!(
        statement.profile.as_ref().unwrap().decimal,
        DecimalSeparator::Point
    );
    assert_eq!(amounts(&statement), ["-0.50", "-23.40", "1234.56"]);
    assert_eq!(
        account.opening.as_ref().unwrap().amount.to_string(),
        "100.00"
    );
    assert_eq!(
        account.closing.as_ref().unwrap().amount.to_string(),
        "1310.66"
    );
    assert_eq!(account.balance_check, BalanceCheck::Agrees);
    assert_eq!(
        statement.lines().nth(1).unwrap().description,
        "CARD PAYMENT TO TESCO, LONDON"
    );
}

#[test]
fn uk_paid_in_and_paid_out_columns_after_account_lines() {
    let statement = parse("uk_paid_in_out.csv");

    let profile = statement.profile.as_ref().unwrap();
    assert!(matches!(
        profile.columns.amount,
        AmountColumns::DebitCredit { .. }
    ));
    assert_eq!(amounts(&statement), ["250.00", "-120.00"]);
    assert_eq!(
        statement.lines().next().unwrap().booking_date,
        day(2024, 1, 5)
    );
    assert_eq!(statement.accounts[0].balance_check, BalanceCheck::Agrees);
}

#[test]
fn us_export_with_month_first_dates_and_debit_credit_columns() {
    let statement = parse("us_debit_credit.csv");

    let profile = statement.profile.as_ref().unwrap();
    assert_eq!(profile.date_format, DateFormat::MonthDayYear);
    assert_eq!(amounts(&statement), ["-45.00", "1500.00", "-1000.00"]);
    assert_eq!(
        statement.lines().nth(1).unwrap().booking_date,
        day(2024, 1, 14)
    );
    assert_eq!(statement.accounts[0].balance_check, BalanceCheck::Agrees);
    assert!(statement.notices.is_empty());
}

#[test]
fn french_export_in_windows_1252_keeps_its_accents() {
    let statement = parse("fr_1252.csv");

    let lines: Vec<&StatementLine> = statement.lines().collect();
    assert_eq!(statement.encoding, TextEncoding::Windows1252);
    assert_eq!(amounts(&statement), ["1250.00", "-78.15", "-4.50"]);
    assert_eq!(lines[1].description, "PRLV SEPA Électricité de France");
    assert_eq!(lines[1].value_date, Some(day(2024, 1, 6)));
    assert_eq!(lines[2].booking_date, day(2024, 1, 17));
}

#[test]
fn tab_separated_export_with_a_debit_credit_indicator() {
    let statement = parse("tab_indicator.csv");

    let profile = statement.profile.as_ref().unwrap();
    assert_eq!(profile.delimiter, '\t');
    assert_eq!(profile.date_format, DateFormat::YearMonthDay);
    assert_eq!(amounts(&statement), ["100.00", "-40.00"]);
    assert_eq!(statement.lines().next().unwrap().references, ["RE-1"]);
}

#[test]
fn pipe_separated_export_takes_its_currency_column() {
    let statement = parse("pipe_currency.csv");

    assert_eq!(statement.profile.as_ref().unwrap().delimiter, '|');
    assert_eq!(statement.accounts[0].currency, Currency::parse("USD").ok());
    assert_eq!(amounts(&statement), ["2500.00", "-19.99"]);
}

#[test]
fn a_saved_profile_reads_the_next_export_even_with_another_preamble() {
    let first = parse("dkb.csv");
    let profile = first.profile.clone().unwrap();
    let text = String::from_utf8(corpus("dkb.csv")).unwrap();
    let shorter: String = text.lines().skip(2).map(|l| format!("{l}\n")).collect();

    let again = parse_statement(shorter.as_bytes(), Some(&profile)).unwrap();

    assert_eq!(again.profile.as_ref().unwrap().header_line, 3);
    assert_eq!(amounts(&again), amounts(&first));
    let fingerprints = |s: &Statement| s.lines().map(|l| l.fingerprint.clone()).collect::<Vec<_>>();
    assert_eq!(fingerprints(&again), fingerprints(&first));
}

#[test]
fn a_profile_round_trips_through_json() {
    let profile = parse("sparkasse.csv").profile.unwrap();

    let json = serde_json::to_string(&profile).unwrap();

    assert_eq!(serde_json::from_str::<CsvProfile>(&json).unwrap(), profile);
}

#[test]
fn ambiguous_day_month_order_is_said_not_silently_guessed() {
    let file = "Date,Description,Amount\n01/02/2024,A,1.00\n03/04/2024,B,2.00\n";

    let statement = parse_statement(file.as_bytes(), None).unwrap();

    assert_eq!(
        statement.notices,
        [Notice::AmbiguousDateOrder {
            assumed: DateFormat::DayMonthYear
        }]
    );
    let mut profile = statement.profile.unwrap();
    profile.date_format = DateFormat::MonthDayYear;
    let reread = parse_statement(file.as_bytes(), Some(&profile)).unwrap();
    assert_eq!(reread.lines().next().unwrap().booking_date, day(2024, 1, 2));
}

#[test]
fn ofx_sgml_reads_unclosed_tags_zones_and_cheque_numbers() {
    let statement = parse("ofx1_sgml.ofx");

    let account = &statement.accounts[0];
    let lines: Vec<&StatementLine> = statement.lines().collect();
    assert_eq!(statement.format, Format::Ofx);
    assert_eq!(account.account.as_deref(), Some("0123456789"));
    assert_eq!(account.currency, Currency::parse("USD").ok());
    assert_eq!(amounts(&statement), ["1500.00", "-45.00", "-12.50"]);
    assert_eq!(lines[0].booking_date, day(2024, 1, 5));
    assert_eq!(lines[0].bank_id.as_deref(), Some("2024010501"));
    assert_eq!(lines[0].description, "INVOICE INV-00007");
    assert_eq!(lines[0].counterparty.as_deref(), Some("ACME INC"));
    assert_eq!(lines[1].references, ["1043"]);
    assert_eq!(lines[2].counterparty.as_deref(), Some("COFFEE & CO"));
    assert_eq!(lines[2].references, ["R-77"]);
    assert_eq!(lines[0].kind.as_deref(), Some("CREDIT"));
    assert_eq!(lines[0].location, Location::Line(39));
    assert_eq!(
        account.closing.as_ref().unwrap().amount.to_string(),
        "2442.50"
    );
    assert_eq!(account.balance_check, BalanceCheck::NotStated);
}

#[test]
fn ofx_xml_credit_card_statement_is_read() {
    let statement = parse("ofx2_xml.qfx");

    let lines: Vec<&StatementLine> = statement.lines().collect();
    assert_eq!(
        statement.accounts[0].account.as_deref(),
        Some("4111111111111111")
    );
    assert_eq!(amounts(&statement), ["-64.20", "100.00"]);
    assert_eq!(lines[0].booking_date, day(2024, 2, 29));
    assert_eq!(lines[0].description, "Büro & Papier");
    assert_eq!(lines[1].description, "Order 5531");
}

#[test]
fn ofx_dates_in_every_form_and_impossible_ones() {
    for text in [
        "20240131",
        "202401311200",
        "20240131120000",
        "20240131120000.123",
        "20240131120000[-5:EST]",
        "20240131[0:GMT]",
        "20240131120000[+5.30]",
    ] {
        assert_eq!(ofx::ofx_date(text), Ok(day(2024, 1, 31)), "{text}");
    }
    for bad in [
        "20240230",
        "2024013",
        "20240131250000",
        "20240131[x]",
        "20240131[-5:EST",
        "",
    ] {
        assert!(ofx::ofx_date(bad).is_err(), "{bad}");
    }
}

#[test]
fn camt_053_v02_with_balances_structured_reference_and_a_batch() {
    let statement = parse("camt053_v02.xml");

    let account = &statement.accounts[0];
    let lines: Vec<&StatementLine> = statement.lines().collect();
    assert_eq!(statement.format, Format::Camt053);
    assert_eq!(account.account.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(account.statement_id.as_deref(), Some("STMT-2024-01"));
    assert_eq!(amounts(&statement), ["1234.56", "-89.90", "-159.23"]);
    assert_eq!(account.balance_check, BalanceCheck::Agrees);
    assert_eq!(lines[0].counterparty.as_deref(), Some("Müller GmbH"));
    assert_eq!(lines[0].references, ["E2E-1"]);
    assert_eq!(lines[0].bank_id.as_deref(), Some("2024010200001"));
    assert_eq!(lines[1].references, ["RF18539007547034"]);
    assert_eq!(lines[1].value_date, Some(day(2024, 1, 4)));
    assert_eq!(lines[2].description, "Police 4711 | Kundennr 99");
    assert_eq!(
        lines[2].counterparty.as_deref(),
        Some("Versicherung AG | Telefon GmbH")
    );
    assert_eq!(
        lines[2].location,
        Location::Element("Stmt[1]/Ntry[3]".into())
    );
}

#[test]
fn camt_053_v08_with_two_statements_date_times_and_pending_entries() {
    let statement = parse("camt053_v08.xml");

    let [first, second] = statement.accounts.as_slice() else {
        panic!("two statements")
    };
    assert_eq!(first.opening.as_ref().unwrap().date, Some(day(2024, 2, 29)));
    assert_eq!(first.currency, Currency::parse("EUR").ok());
    assert_eq!(first.lines[0].booking_date, day(2024, 3, 1));
    assert_eq!(first.lines[0].counterparty.as_deref(), Some("Vermieter KG"));
    assert_eq!(first.lines[0].description, "Garage März");
    assert_eq!(first.balance_check, BalanceCheck::Agrees);
    assert_eq!(
        second.opening.as_ref().unwrap().amount.to_string(),
        "-10.00"
    );
    assert_eq!(
        second.lines.len(),
        1,
        "the pending entry is not a booked line"
    );
    assert_eq!(second.lines[0].bank_id.as_deref(), Some("TX-9"));
    assert_eq!(second.lines[0].counterparty.as_deref(), Some("Client Ltd"));
    assert_eq!(second.balance_check, BalanceCheck::Agrees);
}

#[test]
fn mt940_with_two_statements_structured_details_and_reversals() {
    let statement = parse("mt940_two_statements.sta");

    let [first, second] = statement.accounts.as_slice() else {
        panic!("two statements")
    };
    assert_eq!(statement.format, Format::Mt940);
    assert_eq!(first.account.as_deref(), Some("37040044/0532013000"));
    assert_eq!(first.statement_id.as_deref(), Some("STARTUMS 00001/001"));
    assert_eq!(first.balance_check, BalanceCheck::Agrees);
    assert_eq!(second.balance_check, BalanceCheck::Agrees);
    assert_eq!(amounts(&statement), ["1234.56", "-89.90", "10.00", "20.00"]);
    let l = &first.lines[0];
    assert_eq!(
        (l.booking_date, l.value_date),
        (day(2024, 1, 2), Some(day(2024, 1, 2)))
    );
    assert_eq!(l.bank_id.as_deref(), Some("BANKREF0001"));
    assert_eq!(l.counterparty.as_deref(), Some("Mueller GmbH"));
    assert_eq!(l.description, "Rechnung INV-00012");
    assert_eq!(l.references, ["E2E-1"]);
    assert_eq!(l.kind.as_deref(), Some("GUTSCHR. UEBERWEISUNG"));
    assert_eq!(l.location, Location::Line(6));
    assert_eq!(first.lines[1].counterparty.as_deref(), Some("Stadtwerke"));
    assert_eq!(first.lines[1].references, ["KREF-7"]);
    assert_eq!(second.lines[0].booking_date, day(2023, 12, 31));
    assert_eq!(
        second.lines[0].description,
        "Ruecklastschrift Gebuehr erstattet"
    );
    assert_eq!(second.lines[1].references, ["REF-9"]);
}

#[test]
fn a_balance_that_does_not_add_up_is_shown_with_both_figures() {
    let text = String::from_utf8(corpus("mt940_two_statements.sta")).unwrap();
    let wrong = text.replace(":62F:C240103EUR2144,66", ":62F:C240103EUR2144,76");

    let statement = parse_statement(wrong.as_bytes(), None).unwrap();

    let expected = Decimal::new(214476, 2);
    let found = Decimal::new(214466, 2);
    assert_eq!(
        statement.accounts[0].balance_check,
        BalanceCheck::Mismatch { expected, found }
    );
    assert_eq!(
        statement.notices,
        [Notice::BalanceMismatch {
            location: Location::Line(2),
            expected,
            found
        }]
    );
}

#[test]
fn unknown_formats_are_refused() {
    for bytes in [
        &b"%PDF-1.7 ..."[..],
        b"<html><body>hi</body></html>",
        b"hello world\nno header here\n",
        b"\0\x01\x02",
        b"",
    ] {
        let failure = refused(bytes);
        assert_eq!(failure.problems[0].location, Location::File, "{failure}");
    }
}

#[test]
fn an_impossible_date_and_bad_amounts_are_named_by_line_and_nothing_is_returned() {
    let file = "Buchungstag;Betrag;Verwendungszweck\n01.02.2024;1,00;ok\n30.02.2024;2,00;a\n03.02.2024;$120;b\n04.02.2024;1.2.3;c\n";

    let failure = refused(file.as_bytes());

    let located: Vec<(Location, bool)> = failure
        .problems
        .iter()
        .map(|p| {
            (
                p.location.clone(),
                p.message.contains("30.02.2024")
                    || p.message.contains("$120")
                    || p.message.contains("1.2.3"),
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            (Location::Line(3), true),
            (Location::Line(4), true),
            (Location::Line(5), true)
        ]
    );
}

#[test]
fn a_truncated_file_of_each_format_is_refused_with_its_place() {
    let cut = |name: &str, keep: f64| {
        let bytes = corpus(name);
        let end = (bytes.len() as f64 * keep) as usize;
        refused(&bytes[..end])
    };

    let ofx = cut("ofx1_sgml.ofx", 0.7);
    assert!(ofx.problems[0].message.contains("cut short"), "{ofx}");
    let camt = cut("camt053_v02.xml", 0.6);
    assert!(
        matches!(camt.problems[0].location, Location::Line(n) if n > 1),
        "{camt}"
    );
    let mt940 = cut("mt940_two_statements.sta", 0.9);
    assert_eq!(mt940.problems[0].location, Location::Line(17), "{mt940}");
    let csv = refused(b"Date,Description,Amount\n02/01/2024,\"unfinished,1.00\n");
    assert_eq!(csv.problems[0].location, Location::Line(2), "{csv}");
}

#[test]
fn bad_elements_of_camt_are_named_by_path() {
    let text = String::from_utf8(corpus("camt053_v02.xml")).unwrap();
    let bad = text
        .replace(
            "<Dt>2024-01-15</Dt></BookgDt>",
            "<Dt>2024-02-30</Dt></BookgDt>",
        )
        .replace("89.90", "89.9x");

    let failure = refused(bad.as_bytes());

    let places: Vec<String> = failure
        .problems
        .iter()
        .map(|p| p.location.to_string())
        .collect();
    assert_eq!(
        places,
        ["element Stmt[1]/Ntry[2]", "element Stmt[1]/Ntry[3]/BookgDt"]
    );
}

#[test]
fn a_bad_mt940_line_and_a_bad_balance_are_named_by_line() {
    let text = String::from_utf8(corpus("mt940_two_statements.sta")).unwrap();
    let bad = text
        .replace(":61:2401030103D89,90", ":61:2402300103X89,90")
        .replace(":60F:C240103EUR2144,66", ":60F:C240103EUR2.144,66");

    let failure = refused(bad.as_bytes());

    let places: Vec<&Location> = failure.problems.iter().map(|p| &p.location).collect();
    assert_eq!(
        places,
        [&Location::Line(9), &Location::Line(20)],
        "{failure}"
    );
}

#[test]
fn an_ofx_transaction_without_amount_or_with_a_bad_date_is_named_by_line() {
    let text = String::from_utf8(corpus("ofx1_sgml.ofx")).unwrap();
    let bad = text
        .replace("<TRNAMT>-45.00\n", "")
        .replace("<DTPOSTED>20240120000000.000", "<DTPOSTED>20240230");

    let failure = refused(bad.as_bytes());

    let messages: Vec<String> = failure.problems.iter().map(Problem::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("line 47: ") && messages[0].contains("TRNAMT"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("line 54: ") && messages[1].contains("20240230"),
        "{messages:?}"
    );
}

#[test]
fn more_decimals_than_the_currency_has_are_refused() {
    let text = String::from_utf8(corpus("ofx1_sgml.ofx"))
        .unwrap()
        .replace("-12.5\n", "-12.505\n");

    let failure = refused(text.as_bytes());

    assert_eq!(
        failure.problems[0].location,
        Location::Line(55),
        "{failure}"
    );
}

#[test]
fn problems_are_capped_and_counted() {
    let mut file = String::from("Date,Description,Amount\n01/13/2024,ok,1.00\n");
    for _ in 0..80 {
        file.push_str("01/13/2024,bad,$1\n");
    }

    let failure = refused(file.as_bytes());

    assert_eq!(
        (failure.problems.len(), failure.not_listed),
        (MAX_PROBLEMS, 30)
    );
}

#[test]
fn fingerprints_are_stable_across_parses_and_distinct_across_lines() {
    for name in [
        "sparkasse.csv",
        "dkb.csv",
        "ofx1_sgml.ofx",
        "camt053_v02.xml",
        "camt053_v08.xml",
        "mt940_two_statements.sta",
        "us_debit_credit.csv",
    ] {
        let once: Vec<String> = parse(name).lines().map(|l| l.fingerprint.clone()).collect();
        let twice: Vec<String> = parse(name).lines().map(|l| l.fingerprint.clone()).collect();

        assert_eq!(once, twice, "{name}");
        assert_eq!(
            once.iter().collect::<HashSet<_>>().len(),
            once.len(),
            "{name}"
        );
    }
}

#[test]
fn fingerprints_survive_a_re_export_with_other_lines_around() {
    let full = "Date,Description,Amount\n01/13/2024,Coffee,-3.00\n01/14/2024,Rent,-900.00\n01/15/2024,Fee,-1.00\n";
    let later = "Date,Description,Amount\n01/14/2024,Rent,-900.00\n01/15/2024,Fee,-1.00\n01/16/2024,Sale,50.00\n";

    let a = parse_statement(full.as_bytes(), None).unwrap();
    let b = parse_statement(later.as_bytes(), None).unwrap();

    let set = |s: &Statement| {
        s.lines()
            .map(|l| l.fingerprint.clone())
            .collect::<HashSet<_>>()
    };
    assert_eq!(set(&a).intersection(&set(&b)).count(), 2);
}

#[test]
#[ignore = "a measurement, not a check; run with --ignored --nocapture"]
fn measure_parsing_a_ten_thousand_line_csv() {
    let mut file = String::from("\"Buchungstag\";\"Valutadatum\";\"Verwendungszweck\";\"Beguenstigter/Zahlungspflichtiger\";\"Betrag\";\"Waehrung\"\n");
    for i in 0..10_000_i64 {
        let (day, month) = (i % 28 + 1, i % 12 + 1);
        let cents = (i * 7919) % 500_000 - 250_000;
        let sign = if cents < 0 { "-" } else { "" };
        let amount = format!("{sign}{},{:02}", cents.abs() / 100, cents.abs() % 100);
        file.push_str(&format!("\"{day:02}.{month:02}.2024\";\"{day:02}.{month:02}.2024\";\"Rechnung INV-{i:05} Danke\";\"Kunde {i}\";\"{amount}\";\"EUR\"\n"));
    }

    let started = std::time::Instant::now();
    let statement = parse_statement(file.as_bytes(), None).unwrap();
    let elapsed = started.elapsed();

    assert_eq!(statement.lines().count(), 10_000);
    let per_second = 10_000.0 / elapsed.as_secs_f64();
    println!(
        "10,000-line CSV: {} ms, {per_second:.0} lines/second",
        elapsed.as_millis()
    );
}
