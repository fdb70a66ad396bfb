//! The audit trail read by people: a recorded change turned into named fields with their
//! values before and after, and an invoice's history as typed events in the order they happened.
//!
//! The log itself stores whole rows as JSON (see migration 0018); which fields changed is
//! worked out here when it is read, so the log stays a plain copy of what was written.

use super::{Currency, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One field a change touched, in words: `None` means the field had no value (or no row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The fields whose values differ between two recorded rows, in the order of their names.
/// A created row (no `before`) lists every field it set; a deleted one every field it had.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = Map::new();
    let old = before.and_then(Value::as_object).unwrap_or(&empty);
    let new = after.and_then(Value::as_object).unwrap_or(&empty);
    let currency = currency_of(new).or_else(|| currency_of(old));
    let mut keys: Vec<&String> = new.keys().collect();
    keys.extend(old.keys().filter(|k| !new.contains_key(*k)));
    keys.into_iter()
        .filter_map(|key| {
            let was = old.get(key).and_then(|v| readable(key, v, currency));
            let is = new.get(key).and_then(|v| readable(key, v, currency));
            (was != is).then(|| FieldChange {
                field: field_label(key),
                before: was,
                after: is,
            })
        })
        .collect()
}

fn currency_of(row: &Map<String, Value>) -> Option<Currency> {
    row.get("currency")
        .and_then(Value::as_str)
        .and_then(|c| Currency::parse(c).ok())
}

/// `total_minor` → "Total", `billed_tax_id` → "Billed tax id": the storage suffixes that say
/// how a number is kept are dropped, since the value is shown in its ordinary form.
pub fn field_label(key: &str) -> String {
    let base = ["_minor", "_e4", "_bp"]
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
        .unwrap_or(key);
    let words = base.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A stored value as a person reads it: minor units as an amount of the row's currency,
/// scaled quantities as decimals, basis points as a percentage. JSON null is no value.
fn readable(key: &str, value: &Value, currency: Option<Currency>) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_i64() {
            Some(v) if key.ends_with("_minor") => match currency {
                Some(c) => Money::from_minor(v, c).to_string(),
                None => Decimal::new(v, 2).to_string(),
            },
            Some(v) if key.ends_with("_e4") => Decimal::new(v, 4).normalize().to_string(),
            Some(v) if key.ends_with("_bp") => format!("{}%", Decimal::new(v, 2).normalize()),
            _ => n.to_string(),
        }),
        other => Some(other.to_string()),
    }
}

/// Something that happened to an invoice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum HistoryEvent {
    Created,
    /// A draft's fields or lines changed.
    Edited {
        changes: Vec<FieldChange>,
    },
    Issued {
        number: String,
    },
    /// Part of a payment was allocated to the invoice.
    Paid {
        payment_id: i64,
        amount: Money,
    },
    /// A payment was reversed or refunded, which releases what it had allocated here.
    PaymentReversed {
        payment_id: i64,
        amount: Money,
        refund: bool,
    },
    Credited {
        credit_note_id: i64,
        number: String,
        amount: Money,
    },
    WrittenOff {
        amount: Money,
    },
    Voided,
    /// Sent by email (or tried: `error` says why it failed).
    Emailed {
        to: String,
        error: Option<String>,
    },
    /// The customer opened the private link: first time, and how often since.
    Viewed {
        times: i64,
    },
}

impl HistoryEvent {
    /// How the event changes what the customer still owes (positive: owes more).
    fn balance_change(&self, total: Money) -> Money {
        let zero = Money::zero(total.currency());
        match self {
            HistoryEvent::Issued { .. } => total,
            HistoryEvent::Paid { amount, .. }
            | HistoryEvent::Credited { amount, .. }
            | HistoryEvent::WrittenOff { amount } => -*amount,
            HistoryEvent::PaymentReversed { amount, .. } => *amount,
            _ => zero,
        }
    }
}

/// One line of an invoice's history: when (UTC, RFC 3339), who if known, what, and what the
/// customer still owed right after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub at: String,
    pub actor: Option<String>,
    pub event: HistoryEvent,
    pub balance_after: Money,
}

impl HistoryItem {
    pub fn new(at: String, actor: Option<String>, event: HistoryEvent, currency: Currency) -> Self {
        HistoryItem {
            at,
            actor,
            event,
            balance_after: Money::zero(currency),
        }
    }
}

/// Merges the items each source found (the audit log, the ledger's documents, and later
/// deliveries and customer views) into one history: oldest first, items of the same instant
/// in the order their sources gave them, each with the balance owed after it.
/// The void of an issued invoice cancels what remained, so the balance after it is zero.
pub fn assemble_history(sources: Vec<Vec<HistoryItem>>, total: Money) -> Vec<HistoryItem> {
    let mut items: Vec<HistoryItem> = sources.into_iter().flatten().collect();
    items.sort_by(|a, b| a.at.cmp(&b.at));
    let mut owed = Money::zero(total.currency());
    for item in &mut items {
        owed = match item.event {
            HistoryEvent::Voided => Money::zero(total.currency()),
            ref event => owed + event.balance_change(total),
        };
        item.balance_after = owed;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn only_changed_fields_are_listed_in_readable_form() {
        let before =
            json!({"notes": "a", "total_minor": 12050, "currency": "EUR", "tax_rate_bp": 2000});
        let after =
            json!({"notes": "b", "total_minor": 12050, "currency": "EUR", "tax_rate_bp": 1950});

        let changes = field_changes(Some(&before), Some(&after));

        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "Notes".into(),
                    before: Some("a".into()),
                    after: Some("b".into())
                },
                FieldChange {
                    field: "Tax rate".into(),
                    before: Some("20%".into()),
                    after: Some("19.5%".into())
                },
            ]
        );
    }

    #[test]
    fn a_created_row_lists_what_it_set_and_amounts_use_its_currency() {
        let after = json!({"currency": "EUR", "amount_minor": 123456, "reference": null});

        let changes = field_changes(None, Some(&after));

        assert_eq!(changes.len(), 2, "a null field was not set: {changes:?}");
        assert_eq!(changes[0].after.as_deref(), Some("1,234.56 EUR"));
    }

    #[test]
    fn history_is_in_time_order_with_the_balance_after_each_step() {
        let total = Money::from_minor(10_000, eur());
        let at = |s: &str| format!("2026-01-01T00:00:0{s}.000Z");
        let item = |s, event| HistoryItem::new(at(s), None, event, eur());
        let ledger = vec![
            item(
                "2",
                HistoryEvent::Issued {
                    number: "INV-1".into(),
                },
            ),
            item(
                "3",
                HistoryEvent::Paid {
                    payment_id: 1,
                    amount: Money::from_minor(4_000, eur()),
                },
            ),
            item(
                "5",
                HistoryEvent::Paid {
                    payment_id: 2,
                    amount: Money::from_minor(6_000, eur()),
                },
            ),
            item(
                "6",
                HistoryEvent::PaymentReversed {
                    payment_id: 2,
                    amount: Money::from_minor(6_000, eur()),
                    refund: false,
                },
            ),
        ];
        let log = vec![
            item("1", HistoryEvent::Created),
            item("4", HistoryEvent::Edited { changes: vec![] }),
        ];

        let history = assemble_history(vec![log, ledger], total);

        let owed: Vec<i64> = history.iter().map(|i| i.balance_after.to_minor()).collect();
        assert_eq!(owed, vec![0, 10_000, 6_000, 6_000, 0, 6_000]);
        assert!(matches!(history[0].event, HistoryEvent::Created));
    }

    proptest! {
        #[test]
        fn a_row_compared_with_itself_has_no_changes(
            fields in proptest::collection::btree_map("[a-z_]{1,12}", any::<i64>(), 0..8)
        ) {
            let row = serde_json::to_value(&fields).unwrap();

            prop_assert!(field_changes(Some(&row), Some(&row)).is_empty());
        }

        #[test]
        fn exactly_the_differing_fields_are_listed(
            old in proptest::collection::btree_map("[a-z]{1,6}", 0i64..5, 0..8),
            new in proptest::collection::btree_map("[a-z]{1,6}", 0i64..5, 0..8),
        ) {
            let differing = old.keys().chain(new.keys())
                .filter(|k| old.get(*k) != new.get(*k))
                .collect::<std::collections::BTreeSet<_>>()
                .len();

            let changes = field_changes(
                Some(&serde_json::to_value(&old).unwrap()),
                Some(&serde_json::to_value(&new).unwrap()),
            );

            prop_assert_eq!(changes.len(), differing);
        }

        #[test]
        fn history_keeps_every_item_and_ends_owing_what_the_events_add_up_to(
            steps in proptest::collection::vec((0u8..60, 0u8..4, 1i64..5_000), 0..20)
        ) {
            let total = Money::from_minor(10_000, eur());
            let items: Vec<HistoryItem> = steps.iter().map(|(second, kind, minor)| {
                let amount = Money::from_minor(*minor, eur());
                let event = match kind {
                    0 => HistoryEvent::Paid { payment_id: 1, amount },
                    1 => HistoryEvent::PaymentReversed { payment_id: 1, amount, refund: true },
                    2 => HistoryEvent::WrittenOff { amount },
                    _ => HistoryEvent::Created,
                };
                HistoryItem::new(format!("2026-01-01T00:00:{second:02}Z"), None, event, eur())
            }).collect();
            let expected: i64 = steps.iter().map(|(_, kind, minor)| match kind {
                0 | 2 => -minor,
                1 => *minor,
                _ => 0,
            }).sum();

            let history = assemble_history(vec![items], total);

            prop_assert_eq!(history.len(), steps.len());
            prop_assert!(history.windows(2).all(|w| w[0].at <= w[1].at));
            let last = history.last().map(|i| i.balance_after.to_minor()).unwrap_or(0);
            prop_assert_eq!(last, expected);
        }
    }
}
