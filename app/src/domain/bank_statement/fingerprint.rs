//! Fingerprints: a short id per statement line that stays the same when the bank exports the
//! same data again, so that a second import can skip what the first one saved.

use super::{AccountStatement, StatementLine};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How a fingerprint is made, for the people who rely on it.
pub const FINGERPRINT_RULE: &str = "\
A line's fingerprint is a hash of its key and of how many lines before it in the same file \
have the same key. The key is the bank's own id of the line (OFX FITID, camt.053 \
AcctSvcrRef, MT940 bank reference) when the file has one, else its booking date, amount and \
text (description, counterparty and references, lower-cased, letters and digits only). \
Fingerprints are meant to be compared within one bank account. Limits: a bank that rewords \
a line's text between exports, or an export that starts in the middle of a day holding \
identical lines, gives different fingerprints for the same money; two truly separate \
identical lines on one day are told apart only by their order in the file.";

/// Fills in every line's fingerprint, counting repeated keys across the whole file.
pub fn assign(accounts: &mut [AccountStatement]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for line in accounts.iter_mut().flat_map(|a| a.lines.iter_mut()) {
        let key = key(line);
        let occurrence = seen.entry(key.clone()).or_insert(0);
        *occurrence += 1;
        let digest = Sha256::digest(format!("{key}\u{1f}{occurrence}").as_bytes());
        line.fingerprint = hex::encode(&digest[..16]);
    }
}

fn key(line: &StatementLine) -> String {
    match &line.bank_id {
        Some(id) => format!("id\u{1f}{}", id.trim()),
        None => {
            let mut text = line.description.clone();
            for part in line.counterparty.iter().chain(&line.references) {
                text.push(' ');
                text.push_str(part);
            }
            format!(
                "text\u{1f}{}\u{1f}{}\u{1f}{}",
                line.booking_date,
                line.amount.normalize(),
                normalise(&text)
            )
        }
    }
}

fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
