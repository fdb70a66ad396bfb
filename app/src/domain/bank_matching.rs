//! Matching money that arrived in the bank to the open invoices it probably pays. Pure: the
//! caller passes the line and the open invoices, and gets proposals ranked by evidence.
//!
//! Evidence, strongest first: an invoice number (or the customer's own reference) written in
//! the line's text; the amount equal to one invoice's open balance or to the sum of several
//! open invoices of one customer; the customer's name in the text or the counterparty; the
//! line dated on or after the invoice's issue date (an invoice issued later is never proposed).

use super::{CustomerId, InvoiceId, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most open invoices of one customer tried in the search for a sum equal to the amount;
/// the oldest are tried (2^12 subsets at most, so a busy customer stays fast).
pub const SUBSET_SEARCH_LIMIT: usize = 12;

/// Money in, as the bank reported it.
#[derive(Clone, Debug)]
pub struct IncomingLine {
    pub date: NaiveDate,
    /// Positive: money received.
    pub amount: Money,
    /// Description, counterparty and references together.
    pub text: String,
}

/// An issued invoice with something still open.
#[derive(Clone, Debug)]
pub struct OpenItem {
    pub invoice: InvoiceId,
    pub number: String,
    pub customer: CustomerId,
    pub customer_name: String,
    /// The reference the customer quotes when paying (a customer number); may be empty.
    pub customer_reference: String,
    pub issue_date: NaiveDate,
    pub open: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    Low,
    Medium,
    /// Strong and unambiguous: pre-selected, and confirmed by `settle import` on its own.
    High,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Evidence {
    NumberInText(String),
    ExactAmount,
    SumOfInvoices(usize),
    /// The customer's own payment reference is in the text.
    ReferenceInText,
    NameInText,
}

/// One way to read the line: this customer paid these invoices (these parts of them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub customer: CustomerId,
    pub allocations: Vec<(InvoiceId, Money)>,
    /// What the allocations add up to; the rest of the line would be customer credit.
    pub allocated: Money,
    pub evidence: Vec<Evidence>,
    pub score: u32,
    pub confidence: Confidence,
}

/// Proposals for one incoming line, best first (at most one is `High`). Outgoing or zero lines
/// get none.
pub fn propose(line: &IncomingLine, open: &[OpenItem]) -> Vec<Proposal> {
    if !line.amount.is_positive() {
        return Vec::new();
    }
    let text = squash(&line.text);
    let mut customers: Vec<CustomerId> = open.iter().map(|o| o.customer).collect();
    customers.sort();
    customers.dedup();
    let mut proposals = Vec::new();
    for customer in customers {
        let mut items: Vec<&OpenItem> = open
            .iter()
            .filter(|o| o.customer == customer && o.issue_date <= line.date)
            .filter(|o| o.open.currency() == line.amount.currency() && o.open.is_positive())
            .collect();
        items.sort_by_key(|o| (o.issue_date, o.invoice));
        if items.is_empty() {
            continue;
        }
        let payer = Payer {
            named: contains_words(&text, &squash(&items[0].customer_name)),
            referenced: contains_number(&text, &items[0].customer_reference),
        };
        proposals.extend(for_customer(line, &text, &items, payer));
    }
    proposals.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.confidence.cmp(&a.confidence))
            .then(a.customer.cmp(&b.customer))
    });
    demote_ties(&mut proposals);
    proposals
}

/// What the line says about who paid, apart from which invoices.
#[derive(Clone, Copy)]
struct Payer {
    named: bool,
    referenced: bool,
}

impl Payer {
    fn known(self) -> bool {
        self.named || self.referenced
    }

    fn evidence(self) -> impl Iterator<Item = Evidence> {
        [
            self.referenced.then_some(Evidence::ReferenceInText),
            self.named.then_some(Evidence::NameInText),
        ]
        .into_iter()
        .flatten()
    }
}

fn for_customer(
    line: &IncomingLine,
    text: &str,
    items: &[&OpenItem],
    payer: Payer,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    let numbered: Vec<&OpenItem> = items
        .iter()
        .copied()
        .filter(|o| contains_number(text, &o.number))
        .collect();
    if !numbered.is_empty() {
        let sum = total(&numbered);
        let mut evidence: Vec<Evidence> = numbered
            .iter()
            .map(|o| Evidence::NumberInText(o.number.clone()))
            .collect();
        let exact = sum == line.amount;
        if exact {
            evidence.push(Evidence::ExactAmount);
        }
        evidence.extend(payer.evidence());
        // A number written by the payer is strong evidence even when the amount differs (a
        // partial payment); an overpayment becomes credit.
        let confidence = if exact || payer.known() {
            Confidence::High
        } else {
            Confidence::Medium
        };
        out.push(build(
            line,
            items[0].customer,
            &numbered,
            evidence,
            confidence,
        ));
    }
    if let Some(subset) = exact_subset(items, line.amount) {
        let same_as_numbered = numbered.len() == subset.len()
            && subset
                .iter()
                .all(|s| numbered.iter().any(|n| n.invoice == s.invoice));
        if !same_as_numbered {
            let mut evidence = vec![if subset.len() == 1 {
                Evidence::ExactAmount
            } else {
                Evidence::SumOfInvoices(subset.len())
            }];
            evidence.extend(payer.evidence());
            let confidence = if payer.known() {
                Confidence::High
            } else {
                Confidence::Medium
            };
            out.push(build(
                line,
                items[0].customer,
                &subset,
                evidence,
                confidence,
            ));
        }
    }
    // Only the payer is known: their oldest invoices first. Their own reference is written on
    // purpose; a name may be a coincidence.
    if out.is_empty() && payer.known() {
        let confidence = if payer.referenced {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        out.push(build(
            line,
            items[0].customer,
            items,
            payer.evidence().collect(),
            confidence,
        ));
    }
    out
}

/// Allocates the line to `chosen` oldest first, each up to its open balance.
fn build(
    line: &IncomingLine,
    customer: CustomerId,
    chosen: &[&OpenItem],
    evidence: Vec<Evidence>,
    confidence: Confidence,
) -> Proposal {
    let mut left = line.amount;
    let mut allocations = Vec::new();
    for item in chosen {
        if !left.is_positive() {
            break;
        }
        let part = item.open.min(left);
        allocations.push((item.invoice, part));
        left = left - part;
    }
    let score = evidence.iter().map(weight).sum();
    Proposal {
        customer,
        allocated: line.amount - left,
        allocations,
        evidence,
        score,
        confidence,
    }
}

fn weight(evidence: &Evidence) -> u32 {
    match evidence {
        Evidence::NumberInText(_) => 50,
        Evidence::ExactAmount => 30,
        Evidence::SumOfInvoices(_) => 25,
        Evidence::ReferenceInText => 40,
        Evidence::NameInText => 20,
    }
}

/// Two proposals equally good are a question for the owner, not a match: neither stays `High`.
fn demote_ties(proposals: &mut [Proposal]) {
    let highs = proposals
        .iter()
        .filter(|p| p.confidence == Confidence::High)
        .count();
    if highs > 1 {
        for p in proposals.iter_mut() {
            if p.confidence == Confidence::High {
                p.confidence = Confidence::Medium;
            }
        }
    }
}

fn total(items: &[&OpenItem]) -> Money {
    Money::sum(items[0].open.currency(), items.iter().map(|o| o.open))
}

/// The smallest set of the oldest [`SUBSET_SEARCH_LIMIT`] invoices whose open balances add up
/// to `amount` exactly; the oldest such set when several are as small.
fn exact_subset<'a>(items: &[&'a OpenItem], amount: Money) -> Option<Vec<&'a OpenItem>> {
    let tried = &items[..items.len().min(SUBSET_SEARCH_LIMIT)];
    let target = amount.to_minor();
    let values: Vec<i64> = tried.iter().map(|o| o.open.to_minor()).collect();
    if values.iter().sum::<i64>() < target {
        return None;
    }
    // Each subset's sum is a smaller subset's sum plus one value: one addition per subset.
    let mut sums = vec![0i64; 1 << tried.len()];
    let mut best: Option<(u32, u32)> = None;
    for mask in 1usize..sums.len() {
        let lowest = mask.trailing_zeros() as usize;
        sums[mask] = sums[mask & (mask - 1)] + values[lowest];
        if sums[mask] != target {
            continue;
        }
        let mask = mask as u32;
        let size = mask.count_ones();
        // Smaller sets first; among equals the lower bits, i.e. the older invoices.
        if best.is_none_or(|(s, m)| size < s || (size == s && mask.reverse_bits() > m)) {
            best = Some((size, mask.reverse_bits()));
        }
    }
    let (_, reversed) = best?;
    let mask = reversed.reverse_bits();
    Some(
        tried
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, o)| *o)
            .collect(),
    )
}

/// Lower-case letters and digits, every other run of characters one space, padded with spaces.
fn squash(text: &str) -> String {
    let mut out = String::from(" ");
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Whether the (squashed) words appear together in the (squashed) text.
fn contains_words(text: &str, words: &str) -> bool {
    words.trim().len() >= 3 && text.contains(words)
}

/// Whether the invoice number is in the text, its separators optional ("INV-0042" is found in
/// "inv 0042" and "INV0042") but never as part of a longer number ("INV-00421").
fn contains_number(text: &str, number: &str) -> bool {
    let wanted: String = number
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    if wanted.len() < 3 {
        return false;
    }
    let joined: Vec<char> = text.chars().filter(|c| *c != ' ').collect();
    let starts: Vec<bool> = word_starts(text);
    let wanted: Vec<char> = wanted.chars().collect();
    (0..joined.len().saturating_sub(wanted.len() - 1)).any(|at| {
        joined[at..at + wanted.len()] == wanted[..]
            && starts[at]
            && !joined
                .get(at + wanted.len())
                .is_some_and(|c| c.is_ascii_digit() && wanted[wanted.len() - 1].is_ascii_digit())
    })
}

/// For each character of the text without spaces: whether a word starts there.
fn word_starts(text: &str) -> Vec<bool> {
    let mut starts = Vec::new();
    let mut after_space = true;
    for ch in text.chars() {
        if ch == ' ' {
            after_space = true;
        } else {
            starts.push(after_space);
            after_space = false;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use proptest::prelude::*;

    fn gbp(minor: i64) -> Money {
        Money::from_minor(minor, Currency::parse("GBP").unwrap())
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn item(invoice: i64, customer: i64, name: &str, number: &str, open: i64) -> OpenItem {
        OpenItem {
            invoice: InvoiceId(invoice),
            number: number.into(),
            customer: CustomerId(customer),
            customer_name: name.into(),
            customer_reference: String::new(),
            issue_date: day(1),
            open: gbp(open),
        }
    }

    fn line(amount: i64, text: &str) -> IncomingLine {
        IncomingLine {
            date: day(20),
            amount: gbp(amount),
            text: text.into(),
        }
    }

    #[test]
    fn one_transfer_for_two_invoices_of_one_customer_proposes_both() {
        let open = [
            item(1, 7, "Harbor Coffee Ltd", "INV-0001", 5_000),
            item(2, 7, "Harbor Coffee Ltd", "INV-0002", 7_000),
            item(3, 8, "Other Co", "INV-0003", 12_500),
        ];

        let proposals = propose(&line(12_000, "HARBOR COFFEE LTD transfer"), &open);

        let best = &proposals[0];
        assert_eq!(best.customer, CustomerId(7));
        assert_eq!(
            best.allocations,
            vec![(InvoiceId(1), gbp(5_000)), (InvoiceId(2), gbp(7_000))]
        );
        assert_eq!(best.confidence, Confidence::High);
    }

    #[test]
    fn invoice_number_in_the_text_wins_over_an_equal_amount_elsewhere() {
        let open = [
            item(1, 7, "Harbor", "INV-0042", 9_900),
            item(2, 8, "Quay", "INV-0043", 9_900),
        ];

        let proposals = propose(&line(9_900, "payment inv0042 thanks"), &open);

        assert_eq!(proposals[0].allocations, vec![(InvoiceId(1), gbp(9_900))]);
        assert_eq!(proposals[0].confidence, Confidence::High);
        assert!(proposals[1..]
            .iter()
            .all(|p| p.confidence < Confidence::High));
    }

    #[test]
    fn a_number_inside_a_longer_number_is_not_evidence() {
        assert!(!contains_number(&squash("ref INV-00421"), "INV-0042"));
        assert!(contains_number(&squash("ref INV 0042."), "INV-0042"));
        assert!(!contains_number(&squash("xinv0042"), "INV-0042"));
    }

    #[test]
    fn the_same_amount_open_at_two_customers_is_not_high_confidence() {
        let open = [
            item(1, 7, "Harbor", "A-1", 5_000),
            item(2, 8, "Quay", "B-1", 5_000),
        ];

        let proposals = propose(&line(5_000, "transfer"), &open);

        assert_eq!(proposals.len(), 2);
        assert!(proposals.iter().all(|p| p.confidence == Confidence::Medium));
    }

    #[test]
    fn invoices_issued_after_the_line_are_never_proposed() {
        let mut later = item(1, 7, "Harbor", "INV-0001", 5_000);
        later.issue_date = day(25);

        assert!(propose(&line(5_000, "Harbor INV-0001"), &[later]).is_empty());
    }

    #[test]
    fn the_customers_own_reference_names_the_payer_of_an_amount_open_twice() {
        let mut ours = item(1, 7, "Harbor Cafe", "INV-0001", 5_000);
        ours.customer_reference = "HC-118".into();
        let theirs = item(2, 8, "Quay Bakery", "INV-0002", 5_000);

        let proposals = propose(&line(5_000, "TRANSFER REF HC118"), &[theirs, ours]);

        assert_eq!(proposals[0].customer, CustomerId(7));
        assert_eq!(proposals[0].confidence, Confidence::High);
        assert!(proposals[0].evidence.contains(&Evidence::ReferenceInText));
        assert_ne!(proposals[1].confidence, Confidence::High);
    }

    #[test]
    fn a_reference_alone_proposes_the_oldest_invoices_for_the_owner_to_check() {
        let mut older = item(1, 7, "Harbor Cafe", "INV-0001", 3_000);
        older.customer_reference = "HC-118".into();
        let mut newer = item(2, 7, "Harbor Cafe", "INV-0002", 4_000);
        newer.customer_reference = "HC-118".into();
        newer.issue_date = day(3);

        let proposals = propose(&line(5_000, "hc-118 march"), &[newer, older]);

        assert_eq!(proposals.len(), 1);
        assert_eq!(proposals[0].confidence, Confidence::Medium);
        assert_eq!(
            proposals[0].allocations,
            vec![(InvoiceId(1), gbp(3_000)), (InvoiceId(2), gbp(2_000))]
        );
    }

    #[test]
    fn a_reference_inside_a_longer_number_is_not_evidence() {
        let mut ours = item(1, 7, "Harbor Cafe", "INV-0001", 5_000);
        ours.customer_reference = "118".into();

        assert!(propose(&line(4_000, "payment 11800"), &[ours]).is_empty());
    }

    #[test]
    fn money_out_gets_no_proposal() {
        let open = [item(1, 7, "Harbor", "INV-0001", 5_000)];

        assert!(propose(&line(-5_000, "Harbor INV-0001"), &open).is_empty());
    }

    fn open_items() -> impl Strategy<Value = Vec<OpenItem>> {
        prop::collection::vec((1i64..4, 1i64..50_000, 1u32..28), 0..16).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (customer, open, issued))| OpenItem {
                    invoice: InvoiceId(i as i64 + 1),
                    number: format!("INV-{:04}", i + 1),
                    customer: CustomerId(customer),
                    customer_name: format!("Customer {customer}"),
                    customer_reference: format!("C{customer:03}"),
                    issue_date: day(issued),
                    open: gbp(open),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn proposals_never_allocate_more_than_the_line_or_an_invoice_holds(
            open in open_items(),
            amount in 1i64..200_000,
            text in "[a-zA-Z0-9 -]{0,40}",
            date in 1u32..28,
        ) {
            let line = IncomingLine { date: day(date), amount: gbp(amount), text };

            let proposals = propose(&line, &open);

            prop_assert!(proposals.iter().filter(|p| p.confidence == Confidence::High).count() <= 1);
            for p in &proposals {
                prop_assert!(p.allocated <= line.amount);
                for (invoice, part) in &p.allocations {
                    let item = open.iter().find(|o| o.invoice == *invoice).unwrap();
                    prop_assert!(part.is_positive() && *part <= item.open);
                    prop_assert_eq!(item.customer, p.customer);
                    prop_assert!(item.issue_date <= line.date);
                }
            }
        }

        #[test]
        fn a_sum_of_one_customers_open_invoices_is_always_found(
            open in open_items(),
            pick in prop::collection::vec(any::<bool>(), 16),
        ) {
            let Some(customer) = open.first().map(|o| o.customer) else { return Ok(()) };
            let mut theirs: Vec<&OpenItem> = open.iter().filter(|o| o.customer == customer).collect();
            theirs.sort_by_key(|o| (o.issue_date, o.invoice));
            let chosen: Vec<&OpenItem> = theirs
                .into_iter()
                .take(SUBSET_SEARCH_LIMIT)
                .enumerate()
                .filter(|(i, _)| pick[*i] || *i == 0)
                .map(|(_, o)| o)
                .collect();
            let amount: i64 = chosen.iter().map(|o| o.open.to_minor()).sum();
            let line = IncomingLine { date: day(28), amount: gbp(amount), text: String::new() };

            let proposals = propose(&line, &open);

            prop_assert!(proposals
                .iter()
                .any(|p| p.customer == customer && p.allocated == line.amount));
        }
    }
}
