//! ISO 20022 camt.053 (bank to customer statement), any `camt.053.001.0x` version: elements
//! are matched by local name, so the namespace version does not matter.
//!
//! A batched entry (one `Ntry` with several `TxDtls`, such as a collection of direct debits)
//! becomes one line with the entry's amount, because that is what the bank booked and what
//! the balances add up; the texts, references and names of its transactions are gathered
//! into that line, separated by ` | `.

use super::amount::{parse_amount, quote, DecimalSeparator};
use super::dates::{parse_date, DateFormat};
use super::{AccountStatement, Balance, BalanceCheck, Format, Location, Problems};
use super::{Statement, StatementLine, TextEncoding};
use crate::domain::money::Currency;
use chrono::NaiveDate;
use roxmltree::{Document, Node};
use rust_decimal::Decimal;

pub(super) fn parse(content: &str, problems: &mut Problems) -> Option<Statement> {
    let document = Document::parse(content)
        .map_err(|e| {
            let message = format!("the XML is malformed ({e}); is the file cut short?");
            // These errors carry no position of their own: they are found at the end.
            let line = match e {
                roxmltree::Error::UnclosedRootNode | roxmltree::Error::UnexpectedEndOfStream => {
                    content.lines().count()
                }
                _ => e.pos().row as usize,
            };
            problems.push(Location::Line(line), message);
        })
        .ok()?;
    let root = document.root_element();
    let namespace = root.tag_name().namespace().unwrap_or("");
    let Some(report) = child(root, "BkToCstmrStmt").filter(|_| namespace.contains("camt.053"))
    else {
        let message = format!(
            "the XML is not a camt.053 statement (namespace \"{}\")",
            quote(namespace)
        );
        problems.push(
            Location::Element(root.tag_name().name().to_string()),
            message,
        );
        return None;
    };
    let accounts = children(report, "Stmt")
        .enumerate()
        .map(|(i, stmt)| account(stmt, &format!("Stmt[{}]", i + 1), problems))
        .collect::<Vec<_>>();
    if accounts.is_empty() {
        problems.push(
            Location::Element("BkToCstmrStmt".into()),
            "the file holds no statement (Stmt)",
        );
        return None;
    }
    Some(Statement {
        format: Format::Camt053,
        encoding: TextEncoding::Utf8,
        profile: None,
        accounts,
        notices: Vec::new(),
    })
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn at<'a, 'i>(node: Node<'a, 'i>, path: &[&str]) -> Option<Node<'a, 'i>> {
    path.iter().try_fold(node, |n, name| child(n, name))
}

fn text<'a>(node: Node<'a, '_>, path: &[&str]) -> Option<&'a str> {
    at(node, path)
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn account(stmt: Node, path: &str, problems: &mut Problems) -> AccountStatement {
    let iban = text(stmt, &["Acct", "Id", "IBAN"]).or(text(stmt, &["Acct", "Id", "Othr", "Id"]));
    let mut currency = text(stmt, &["Acct", "Ccy"]).and_then(|c| Currency::parse(c).ok());
    let (mut opening, mut closing) = (None, None);
    for (i, bal) in children(stmt, "Bal").enumerate() {
        let here = format!("{path}/Bal[{}]", i + 1);
        let code = text(bal, &["Tp", "CdOrPrtry", "Cd"]).unwrap_or("");
        if !matches!(code, "OPBD" | "PRCD" | "CLBD") {
            continue;
        }
        let Some((amount, ccy)) = signed_amount(bal, &here, problems) else {
            continue;
        };
        currency = currency.or(Some(ccy));
        let date = date_of(bal, "Dt", &here, problems).flatten();
        let balance = Some(Balance { date, amount });
        match code {
            "CLBD" => closing = balance,
            "OPBD" => opening = balance,
            _ => opening = opening.or(balance),
        }
    }
    let lines = children(stmt, "Ntry")
        .enumerate()
        .filter(|(_, n)| {
            !matches!(
                text(*n, &["Sts"]).or(text(*n, &["Sts", "Cd"])),
                Some("PDNG" | "INFO")
            )
        })
        .filter_map(|(i, n)| entry(n, &format!("{path}/Ntry[{}]", i + 1), problems))
        .collect();
    AccountStatement {
        account: iban.map(str::to_string),
        statement_id: text(stmt, &["Id"]).map(str::to_string),
        currency,
        opening,
        closing,
        lines,
        location: Location::Element(path.to_string()),
        balance_check: BalanceCheck::NotStated,
    }
}

/// `Amt` with its `Ccy` and `CdtDbtInd`, signed: credit is positive.
fn signed_amount(node: Node, path: &str, problems: &mut Problems) -> Option<(Decimal, Currency)> {
    let mut fail = |what: String| problems.push(Location::Element(path.to_string()), what);
    let Some(amt) = child(node, "Amt") else {
        fail("no Amt".into());
        return None;
    };
    let amount = parse_amount(amt.text().unwrap_or(""), DecimalSeparator::Point);
    let currency = Currency::parse(amt.attribute("Ccy").unwrap_or(""));
    let sign = match text(node, &["CdtDbtInd"]) {
        Some("CRDT") => Some(Decimal::ONE),
        Some("DBIT") => Some(Decimal::NEGATIVE_ONE),
        other => {
            fail(format!(
                "CdtDbtInd \"{}\" is neither CRDT nor DBIT",
                quote(other.unwrap_or(""))
            ));
            None
        }
    };
    let amount = amount.map_err(&mut fail).ok();
    let currency = currency.map_err(|e| fail(e.to_string())).ok();
    Some((sign? * amount?, currency?))
}

/// The day of `name/Dt` or `name/DtTm`; `Some(None)` when the element is absent.
fn date_of(
    node: Node,
    name: &str,
    path: &str,
    problems: &mut Problems,
) -> Option<Option<NaiveDate>> {
    let Some(holder) = child(node, name) else {
        return Some(None);
    };
    let raw = text(holder, &["Dt"])
        .or(text(holder, &["DtTm"]))
        .unwrap_or("");
    let day = raw.get(..10).unwrap_or(raw);
    match parse_date(day, DateFormat::YearMonthDay) {
        Ok(d) if day.len() == 10 => Some(Some(d)),
        Ok(_) | Err(_) => {
            let message = format!("{name}: \"{}\" is not a date", quote(raw));
            problems.push(Location::Element(format!("{path}/{name}")), message);
            None
        }
    }
}

fn entry(ntry: Node, path: &str, problems: &mut Problems) -> Option<StatementLine> {
    let signed = signed_amount(ntry, path, problems);
    let booking = date_of(ntry, "BookgDt", path, problems);
    let value_date = date_of(ntry, "ValDt", path, problems);
    let (amount, currency) = signed?;
    let booking_date = booking?.or(value_date.flatten());
    let Some(booking_date) = booking_date else {
        problems.push(
            Location::Element(path.to_string()),
            "the entry has no BookgDt",
        );
        return None;
    };
    let details: Vec<Node> =
        at(ntry, &["NtryDtls"]).map_or(Vec::new(), |d| children(d, "TxDtls").collect());
    let credit = amount >= Decimal::ZERO;
    let mut texts = Vec::new();
    let mut names = Vec::new();
    let mut references = Vec::new();
    for tx in &details {
        let remittance: Vec<&str> = at(*tx, &["RmtInf"]).map_or(Vec::new(), |r| {
            children(r, "Ustrd")
                .filter_map(|u| u.text())
                .map(str::trim)
                .collect()
        });
        if !remittance.is_empty() {
            texts.push(remittance.join(" "));
        }
        let party = if credit { "Dbtr" } else { "Cdtr" };
        if let Some(name) =
            text(*tx, &["RltdPties", party, "Nm"]).or(text(*tx, &["RltdPties", party, "Pty", "Nm"]))
        {
            names.push(name.to_string());
        }
        let mut refs = vec![text(*tx, &["Refs", "EndToEndId"])];
        if let Some(strd) = at(*tx, &["RmtInf"]) {
            refs.extend(children(strd, "Strd").map(|s| text(s, &["CdtrRefInf", "Ref"])));
        }
        references.extend(
            refs.into_iter()
                .flatten()
                .filter(|r| *r != "NOTPROVIDED")
                .map(str::to_string),
        );
    }
    let description = if texts.is_empty() {
        text(ntry, &["AddtlNtryInf"]).unwrap_or("").to_string()
    } else {
        texts.join(" | ")
    };
    names.dedup();
    let bank_id = text(ntry, &["AcctSvcrRef"]).or_else(|| match details.as_slice() {
        [only] => text(*only, &["Refs", "AcctSvcrRef"]),
        _ => None,
    });
    let kind = text(ntry, &["BkTxCd", "Prtry", "Cd"])
        .or(text(ntry, &["BkTxCd", "Domn", "Fmly", "SubFmlyCd"]));
    Some(StatementLine {
        booking_date,
        value_date: value_date.flatten(),
        amount,
        currency: Some(currency),
        description,
        counterparty: (!names.is_empty()).then(|| names.join(" | ")),
        references,
        bank_id: bank_id.map(str::to_string),
        kind: kind.map(str::to_string),
        location: Location::Element(path.to_string()),
        fingerprint: String::new(),
    })
}
