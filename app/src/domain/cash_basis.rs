//! The cash basis: income and expenses are recognised when money moves, not when a document
//! is issued. Every accrual entry has a cash-basis twin derived from it by these rules.

use super::money::{split_largest_remainder, Money};
use super::posting::{accounts, Posting};

/// Control accounts stand between a document and its settlement: receivables for invoices,
/// payables for bills. On the cash basis they do not exist.
pub fn is_control_account(code: &str) -> bool {
    code == accounts::RECEIVABLES || code == accounts::PAYABLES
}

/// Money moving against one document in a settling entry: the signed amount the entry posts
/// to the control account for it, and the document's own income or expense and tax postings
/// (its entry without the control posting), which that amount recognises in proportion.
#[derive(Clone, Debug, PartialEq)]
pub struct Settlement {
    pub control_amount: Money,
    pub composition: Vec<Posting>,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CashBasisError {
    #[error("the settlements cover {covered} of the {posted} posted to control accounts")]
    SettlementsDisagree { covered: Money, posted: Money },
}

/// The cash-basis postings of one accrual entry.
///
/// - An entry that touches no control account moved money (or is a manual adjustment): it is
///   copied as it is.
/// - An entry that settles documents keeps its other postings and replaces each control
///   posting with the settled documents' income or expense and tax, in proportion.
/// - Any other entry touching a control account (issuing, voiding, crediting or writing off a
///   document) moved no money and has no cash-basis twin.
pub fn cash_postings(
    postings: &[Posting],
    settlements: &[Settlement],
) -> Result<Vec<Posting>, CashBasisError> {
    let touches_control = postings.iter().any(|p| is_control_account(&p.account.0));
    if !touches_control {
        return Ok(postings.to_vec());
    }
    if settlements.is_empty() {
        return Ok(Vec::new());
    }
    let currency = postings[0].amount.currency();
    let posted = Money::sum(
        currency,
        postings
            .iter()
            .filter(|p| is_control_account(&p.account.0))
            .map(|p| p.amount),
    );
    let covered = Money::sum(currency, settlements.iter().map(|s| s.control_amount));
    if posted != covered {
        return Err(CashBasisError::SettlementsDisagree { covered, posted });
    }
    let mut out: Vec<Posting> = postings
        .iter()
        .filter(|p| !is_control_account(&p.account.0))
        .cloned()
        .collect();
    for settlement in settlements {
        out.extend(recognise(
            settlement.control_amount,
            &settlement.composition,
        ));
    }
    Ok(out)
}

/// The settlement of one part of a document. Parts are recognised in proportion, except the
/// part that settles the document completely: it takes exactly what the earlier parts left of
/// each posting, so over its life the cash basis carries the document's own figures to the
/// cent. `earlier` are the control amounts of the parts before this one.
pub fn settlement_for(
    control_amount: Money,
    composition: &[Posting],
    earlier: &[Money],
) -> Settlement {
    let currency = control_amount.currency();
    let whole = Money::sum(currency, composition.iter().map(|p| p.amount));
    let settled = Money::sum(currency, earlier.iter().copied()) + control_amount;
    let proportional = Settlement {
        control_amount,
        composition: composition.to_vec(),
    };
    if settled != whole {
        return proportional;
    }
    let mut remaining: Vec<Posting> = composition.to_vec();
    for part in earlier {
        for recognised in recognise(*part, composition) {
            if let Some(r) = remaining
                .iter_mut()
                .find(|r| r.account == recognised.account)
            {
                r.amount = r.amount - recognised.amount;
            }
        }
    }
    // Should rounding ever have recognised more than a posting holds, stay proportional.
    let same_side = remaining
        .iter()
        .zip(composition)
        .all(|(r, c)| r.amount.is_zero() || r.amount.is_negative() == c.amount.is_negative());
    if !same_side {
        return proportional;
    }
    Settlement {
        control_amount,
        composition: remaining,
    }
}

/// Splits a control amount over a document's composition in proportion to its postings, by
/// largest remainder so the parts add up to the amount exactly.
pub fn recognise(control_amount: Money, composition: &[Posting]) -> Vec<Posting> {
    let currency = control_amount.currency();
    let weights: Vec<i64> = composition
        .iter()
        .map(|p| p.amount.to_minor().abs())
        .collect();
    if weights.iter().all(|w| *w == 0) {
        return Vec::new();
    }
    split_largest_remainder(control_amount.to_minor(), &weights)
        .into_iter()
        .zip(composition)
        .filter(|(part, _)| *part != 0)
        .map(|(part, posting)| Posting {
            account: posting.account.clone(),
            amount: Money::from_minor(part, currency),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::gbp;
    use proptest::prelude::*;

    fn post(account: &str, amount: &str) -> Posting {
        Posting {
            account: crate::domain::AccountCode::new(account),
            amount: gbp(amount),
        }
    }

    /// An invoice of 120.00: 100.00 sales and 20.00 VAT, as its issue entry credits them.
    fn invoice_composition() -> Vec<Posting> {
        vec![post("4000", "-100.00"), post("2200", "-20.00")]
    }

    #[test]
    fn half_a_payment_recognises_half_the_revenue_and_tax() {
        let payment = [post("1000", "60.00"), post("1100", "-60.00")];
        let settled = [Settlement {
            control_amount: gbp("-60.00"),
            composition: invoice_composition(),
        }];

        let cash = cash_postings(&payment, &settled).unwrap();

        assert_eq!(
            cash,
            vec![
                post("1000", "60.00"),
                post("4000", "-50.00"),
                post("2200", "-10.00")
            ]
        );
    }

    #[test]
    fn issuing_an_invoice_has_no_cash_basis_twin() {
        let issue = [
            post("1100", "120.00"),
            post("4000", "-100.00"),
            post("2200", "-20.00"),
        ];

        assert!(cash_postings(&issue, &[]).unwrap().is_empty());
    }

    #[test]
    fn an_expense_paid_now_is_copied() {
        let expense = [
            post("6100", "50.00"),
            post("1200", "10.00"),
            post("2300", "-60.00"),
        ];

        assert_eq!(cash_postings(&expense, &[]).unwrap(), expense.to_vec());
    }

    #[test]
    fn paying_a_bill_recognises_its_expense_and_input_tax() {
        let payment = [post("2000", "240.00"), post("1000", "-240.00")];
        let settled = [Settlement {
            control_amount: gbp("240.00"),
            composition: vec![post("6200", "200.00"), post("1200", "40.00")],
        }];

        let cash = cash_postings(&payment, &settled).unwrap();

        assert_eq!(
            cash,
            vec![
                post("1000", "-240.00"),
                post("6200", "200.00"),
                post("1200", "40.00")
            ]
        );
    }

    #[test]
    fn settlements_that_do_not_cover_the_control_postings_are_refused() {
        let payment = [post("1000", "60.00"), post("1100", "-60.00")];
        let settled = [Settlement {
            control_amount: gbp("-50.00"),
            composition: invoice_composition(),
        }];

        assert!(cash_postings(&payment, &settled).is_err());
    }

    #[test]
    fn the_part_that_settles_a_document_takes_what_is_left_so_the_parts_add_up() {
        let composition = vec![
            post("6100", "0.01"),
            post("6200", "33.33"),
            post("6300", "0.07"),
            post("1500", "10.01"),
            post("1200", "1.68"),
        ];
        let total = gbp("45.10");
        let parts: Vec<Money> = ["0.01"; 7]
            .iter()
            .map(|p| gbp(p))
            .chain([gbp("10.00"), gbp("10.00")])
            .collect();
        let last = total - Money::sum(total.currency(), parts.iter().copied());

        let mut recognised: std::collections::BTreeMap<String, i64> = Default::default();
        let mut earlier = Vec::new();
        for part in parts.iter().copied().chain([last]) {
            let s = settlement_for(part, &composition, &earlier);
            for p in recognise(s.control_amount, &s.composition) {
                *recognised.entry(p.account.0.clone()).or_default() += p.amount.to_minor();
            }
            earlier.push(part);
        }

        for p in &composition {
            assert_eq!(
                recognised[&p.account.0],
                p.amount.to_minor(),
                "{}",
                p.account
            );
        }
    }

    proptest! {
        #[test]
        fn cash_postings_of_a_balanced_settlement_balance(
            paid in 1i64..1_000_000,
            nets in proptest::collection::vec(1i64..500_000, 1..6),
            rate in 0i64..30,
        ) {
            let currency = gbp("0").currency();
            let mut composition: Vec<Posting> = nets.iter().enumerate()
                .map(|(i, n)| Posting {
                    account: crate::domain::AccountCode(format!("40{i:02}")),
                    amount: Money::from_minor(-n, currency),
                })
                .collect();
            let tax: i64 = nets.iter().sum::<i64>() * rate / 100;
            composition.push(Posting {
                account: crate::domain::AccountCode::new("2200"),
                amount: Money::from_minor(-tax, currency),
            });
            let payment = [
                Posting { account: crate::domain::AccountCode::new("1000"), amount: Money::from_minor(paid, currency) },
                Posting { account: crate::domain::AccountCode::new("1100"), amount: Money::from_minor(-paid, currency) },
            ];
            let settled = [Settlement { control_amount: Money::from_minor(-paid, currency), composition }];

            let cash = cash_postings(&payment, &settled).unwrap();

            prop_assert_eq!(cash.iter().map(|p| p.amount.to_minor()).sum::<i64>(), 0);
        }
    }
}
