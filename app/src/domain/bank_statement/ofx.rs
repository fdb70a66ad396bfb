//! OFX and QFX: the SGML flavour of OFX 1.x (header lines, leaf tags left unclosed) and the
//! XML flavour of OFX 2.x, read by one tolerant tag reader into a small tree.

use super::amount::{parse_amount, quote, DecimalSeparator};
use super::{AccountStatement, Balance, BalanceCheck, Format, Location, Problems};
use super::{Statement, StatementLine};
use crate::domain::money::Currency;
use chrono::NaiveDate;

/// An element: an aggregate with children or a leaf with text, and the line it opens on.
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
    line: usize,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |e, n| e.child(n))
    }

    fn text_at(&self, names: &[&str]) -> Option<&str> {
        self.path(names)
            .map(|e| e.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// Every descendant with this name, in document order.
    fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for child in &self.children {
            if child.name == name {
                out.push(child);
            } else {
                child.find_all(name, out);
            }
        }
    }
}

pub(super) fn parse(content: &str, problems: &mut Problems) -> Option<Statement> {
    let root = read_tree(content, problems)?;
    let mut found = Vec::new();
    root.find_all("STMTRS", &mut found);
    root.find_all("CCSTMTRS", &mut found);
    found.sort_by_key(|e| e.line);
    if found.is_empty() {
        problems.push(
            Location::File,
            "the OFX file holds no bank or card statement (STMTRS)",
        );
        return None;
    }
    let accounts = found.into_iter().map(|s| account(s, problems)).collect();
    Some(Statement {
        format: Format::Ofx,
        encoding: super::TextEncoding::Utf8,
        profile: None,
        accounts,
        notices: Vec::new(),
    })
}

fn account(stmt: &Element, problems: &mut Problems) -> AccountStatement {
    let here = Location::Line(stmt.line);
    let currency = match stmt.text_at(&["CURDEF"]) {
        Some(code) => Currency::parse(code)
            .map_err(|e| problems.push(here.clone(), e.to_string()))
            .ok(),
        None => {
            problems.push(here.clone(), "the statement names no currency (CURDEF)");
            None
        }
    };
    let account = stmt
        .text_at(&["BANKACCTFROM", "ACCTID"])
        .or(stmt.text_at(&["CCACCTFROM", "ACCTID"]))
        .map(str::to_string);
    let mut transactions = Vec::new();
    if let Some(list) = stmt.child("BANKTRANLIST") {
        list.find_all("STMTTRN", &mut transactions);
    }
    let lines = transactions
        .into_iter()
        .filter_map(|t| line(t, currency, problems))
        .collect();
    let closing = stmt.child("LEDGERBAL").and_then(|bal| {
        let at = Location::Line(bal.line);
        let amount = required(bal, "BALAMT", &at, problems)?;
        let amount = ofx_amount(amount)
            .map_err(|e| problems.push(at.clone(), e))
            .ok()?;
        let date = bal
            .text_at(&["DTASOF"])
            .and_then(|d| ofx_date(d).map_err(|e| problems.push(at.clone(), e)).ok());
        Some(Balance { date, amount })
    });
    AccountStatement {
        account,
        statement_id: None,
        currency,
        opening: None,
        closing,
        lines,
        location: here,
        balance_check: BalanceCheck::NotStated,
    }
}

fn line(
    trn: &Element,
    currency: Option<Currency>,
    problems: &mut Problems,
) -> Option<StatementLine> {
    let here = Location::Line(trn.line);
    let mut report = |e: String| problems.push(here.clone(), e);
    let date = trn
        .text_at(&["DTPOSTED"])
        .ok_or("the transaction has no DTPOSTED".to_string());
    let booking_date = date.and_then(ofx_date).map_err(&mut report).ok();
    let value_date = match trn.text_at(&["DTAVAIL"]).map(ofx_date) {
        Some(Err(e)) => {
            report(e);
            None
        }
        other => other.and_then(Result::ok),
    };
    let amount = trn
        .text_at(&["TRNAMT"])
        .ok_or("the transaction has no TRNAMT".to_string());
    let amount = amount.and_then(ofx_amount).map_err(&mut report).ok();
    let line_currency = match trn.text_at(&["CURRENCY", "CURSYM"]).map(Currency::parse) {
        Some(Err(e)) => {
            report(e.to_string());
            None
        }
        Some(Ok(c)) => Some(c),
        None => currency,
    };
    let name = trn
        .text_at(&["NAME"])
        .or(trn.text_at(&["PAYEE", "NAME"]))
        .map(str::to_string);
    let memo = trn.text_at(&["MEMO"]);
    let references = ["CHECKNUM", "REFNUM"]
        .iter()
        .filter_map(|t| trn.text_at(&[t]))
        .map(str::to_string)
        .collect();
    Some(StatementLine {
        booking_date: booking_date?,
        value_date,
        amount: amount?,
        currency: line_currency,
        description: memo.or(name.as_deref()).unwrap_or("").to_string(),
        counterparty: name,
        references,
        bank_id: trn.text_at(&["FITID"]).map(str::to_string),
        kind: trn.text_at(&["TRNTYPE"]).map(str::to_string),
        location: here,
        fingerprint: String::new(),
    })
}

fn required<'a>(
    e: &'a Element,
    name: &str,
    at: &Location,
    problems: &mut Problems,
) -> Option<&'a str> {
    let text = e.text_at(&[name]);
    if text.is_none() {
        problems.push(at.clone(), format!("{} has no {name}", e.name));
    }
    text
}

/// OFX amounts use a point; some European banks write a comma instead.
fn ofx_amount(text: &str) -> Result<rust_decimal::Decimal, String> {
    let separator = if text.contains(',') && !text.contains('.') {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Point
    };
    parse_amount(text, separator)
}

/// `YYYYMMDD`, optionally `HHMMSS`, `.XXX` and a zone such as `[-5:EST]` or `[+5.30]`. The
/// day is taken as the bank wrote it: that is the bank's business day, whatever the zone.
pub(super) fn ofx_date(text: &str) -> Result<NaiveDate, String> {
    let refuse = || format!("\"{}\" is not an OFX date", quote(text));
    let text = text.trim();
    let (stamp, zone) = match text.split_once('[') {
        Some((s, z)) => (s, Some(z.strip_suffix(']').ok_or_else(refuse)?)),
        None => (text, None),
    };
    let (digits, millis) = stamp
        .split_once('.')
        .map_or((stamp, None), |(d, m)| (d, Some(m)));
    let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !numeric(digits)
        || ![8, 12, 14].contains(&digits.len())
        || millis.is_some_and(|m| !numeric(m) || m.is_empty())
    {
        return Err(refuse());
    }
    let field = |from: usize, to: usize| digits.get(from..to).and_then(|s| s.parse::<u32>().ok());
    let time_ok = field(8, 10).is_none_or(|h| h < 24)
        && field(10, 12).is_none_or(|m| m < 60)
        && field(12, 14).is_none_or(|s| s < 61);
    if !time_ok || zone.is_some_and(|z| !zone_ok(z)) {
        return Err(refuse());
    }
    let (y, m, d) = (field(0, 4), field(4, 6), field(6, 8));
    let year = y.and_then(|y| i32::try_from(y).ok()).ok_or_else(refuse)?;
    NaiveDate::from_ymd_opt(year, m.ok_or_else(refuse)?, d.ok_or_else(refuse)?)
        .ok_or_else(|| format!("\"{}\" is not a day of the calendar", quote(text)))
}

/// `-5`, `+5.30`, `0:GMT`, `-5:EST`.
fn zone_ok(zone: &str) -> bool {
    let (offset, name) = zone
        .split_once(':')
        .map_or((zone, None), |(o, n)| (o, Some(n)));
    let offset = offset.strip_prefix(['+', '-']).unwrap_or(offset);
    let (hours, minutes) = offset
        .split_once('.')
        .map_or((offset, None), |(h, m)| (h, Some(m)));
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    digits(hours)
        && minutes.is_none_or(digits)
        && name.is_none_or(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Reads tags from `<OFX>` on. A tag followed by text is a leaf (its closing tag optional);
/// a tag followed by another tag is an aggregate and must be closed.
fn read_tree(content: &str, problems: &mut Problems) -> Option<Element> {
    let upper = content.to_ascii_uppercase();
    let Some(start) = upper.find("<OFX>").or_else(|| upper.find("<OFX ")) else {
        problems.push(Location::File, "the file has no <OFX> element");
        return None;
    };
    let mut line = 1 + content[..start].matches('\n').count();
    let root = Element {
        name: "#root".into(),
        text: String::new(),
        children: Vec::new(),
        line,
    };
    let mut stack = vec![root];
    let mut rest = &content[start..];
    while let Some(open) = rest.find('<') {
        line += rest[..open].matches('\n').count();
        rest = &rest[open..];
        let Some(close) = rest.find('>') else {
            problems.push(
                Location::Line(line),
                "a tag is never closed; is the file cut short?",
            );
            return None;
        };
        let tag = &rest[1..close];
        line += tag.matches('\n').count();
        rest = &rest[close + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            close_tag(&mut stack, name.trim(), line, problems)?;
            continue;
        }
        let (name, self_closing) = match tag.strip_suffix('/') {
            Some(n) => (n, true),
            None => (tag, false),
        };
        let name = name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = unescape(rest[..text_end].trim());
        let element = Element {
            name,
            text,
            children: Vec::new(),
            line,
        };
        if self_closing || !element.text.is_empty() {
            line += rest[..text_end].matches('\n').count();
            rest = &rest[text_end..];
            let closing = format!("</{}>", element.name);
            let closed = rest.get(..closing.len());
            if closed.is_some_and(|c| c.eq_ignore_ascii_case(&closing)) {
                rest = &rest[closing.len()..];
            }
            stack.last_mut()?.children.push(element);
        } else {
            stack.push(element);
        }
    }
    if stack.len() > 1 {
        let open = stack.last()?;
        let message = format!("the file ends inside <{}>; is it cut short?", open.name);
        problems.push(Location::Line(open.line), message);
        return None;
    }
    stack.pop()
}

fn close_tag(
    stack: &mut Vec<Element>,
    name: &str,
    line: usize,
    problems: &mut Problems,
) -> Option<()> {
    let name = name.to_ascii_uppercase();
    let Some(depth) = stack.iter().skip(1).rposition(|e| e.name == name) else {
        problems.push(
            Location::Line(line),
            format!("</{name}> closes nothing that is open"),
        );
        return None;
    };
    while stack.len() > depth + 1 {
        let done = stack.pop()?;
        stack.last_mut()?.children.push(done);
    }
    Some(())
}

fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}
