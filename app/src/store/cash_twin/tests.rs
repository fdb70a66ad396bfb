use super::{rows_before, InvoiceRow, InvoiceRowKind};

fn paid(entry: i64, allocation: i64, reversed_by: Option<i64>) -> InvoiceRow {
    let kind = InvoiceRowKind::Paid {
        amount_minor: 100,
        reversed_by,
    };
    InvoiceRow {
        entry,
        allocation,
        kind,
    }
}

fn credited(entry: i64) -> InvoiceRow {
    InvoiceRow {
        entry,
        allocation: 0,
        kind: InvoiceRowKind::Credited,
    }
}

fn keys(rows: &[InvoiceRow]) -> Vec<(i64, i64)> {
    rows.iter().map(|r| (r.entry, r.allocation)).collect()
}

#[test]
fn history_is_what_was_posted_before_in_posting_order() {
    let rows = vec![
        paid(9, 7, None),
        credited(5),
        paid(3, 2, None),
        paid(9, 4, None),
    ];

    let before = rows_before(rows, Some((9, 7)));

    assert_eq!(keys(&before), vec![(3, 2), (5, 0), (9, 4)]);
}

#[test]
fn a_credit_note_in_the_same_entry_does_not_count_before_it() {
    let rows = vec![credited(5), paid(4, 1, None)];

    let before = rows_before(rows, Some((5, 0)));

    assert_eq!(keys(&before), vec![(4, 1)]);
}

#[test]
fn a_payment_counts_until_the_entry_that_reversed_it() {
    let rows = vec![paid(3, 1, Some(8)), credited(6)];

    let at_reversal = rows_before(rows.clone(), Some((8, 0)));
    let after_it = rows_before(rows.clone(), Some((9, 0)));
    let now = rows_before(rows, None);

    assert_eq!(keys(&at_reversal), vec![(3, 1), (6, 0)]);
    assert_eq!(keys(&after_it), vec![(6, 0)]);
    assert_eq!(keys(&now), vec![(6, 0)]);
}
