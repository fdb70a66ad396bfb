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

/// The cash-basis twin of an entry that reverses another: the reversed entry's twin with each
/// posting negated, whatever that twin was (a reversal undoes exactly what the cash basis
/// recognised, even if the rules have changed since).
pub fn mirror(twin: &[Posting]) -> Vec<Posting> {
    twin.iter().map(negate).collect()
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
    // An amount that settles all of a composition takes it as it is; this is what a proportional
    // split gives too when the postings share a sign, and stays exact when they do not.
    if Money::sum(currency, composition.iter().map(|p| p.amount)) == control_amount {
        return composition
            .iter()
            .filter(|p| !p.amount.is_zero())
            .cloned()
            .collect();
    }
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

/// What happened to an invoice after it was issued that matters to the cash basis, oldest
/// first.
#[derive(Clone, Debug, PartialEq)]
pub enum InvoiceEvent {
    /// Money received against it: the amount allocated (positive).
    Paid(Money),
    /// A credit note: its revenue and tax postings (debits, positive).
    Credited(Vec<Posting>),
}

/// An invoice's cash-basis state: what it still carries on the accrual basis (its issue
/// entry's composition plus its credit notes) and what payments have recognised so far.
///
/// Until a credit note arrives, payments follow [`settlement_for`] on the issue entry's
/// composition. After one, a payment recognises in proportion to what is still
/// unrecognised, so the part that settles the invoice takes exactly the rest. A credit note
/// moves no money and has no twin, except the one that leaves nothing open: it moves what
/// payments recognised between accounts and rates (summing to zero) so that the cash basis
/// ends with the invoice's own figures net of its credit notes, to the cent.
struct Recognition {
    composition: Vec<Posting>,
    now: Vec<Posting>,
    recognised: Vec<Posting>,
    earlier: Vec<Money>,
    credited: bool,
}

impl Recognition {
    fn replay(composition: &[Posting], history: &[InvoiceEvent]) -> Recognition {
        let mut state = Recognition {
            composition: composition.to_vec(),
            now: Vec::new(),
            recognised: Vec::new(),
            earlier: Vec::new(),
            credited: false,
        };
        add_all(&mut state.now, composition);
        for event in history {
            match event {
                InvoiceEvent::Paid(amount) => {
                    let s = state.payment(*amount);
                    let recognised = recognise(s.control_amount, &s.composition);
                    add_all(&mut state.recognised, &recognised);
                    state.earlier.push(-*amount);
                }
                InvoiceEvent::Credited(credit) => {
                    let twin = state.credit_twin(credit);
                    add_all(&mut state.now, credit);
                    add_all(&mut state.recognised, &twin);
                    state.credited = true;
                }
            }
        }
        state
    }

    fn payment(&self, amount: Money) -> Settlement {
        if !self.credited {
            return settlement_for(-amount, &self.composition, &self.earlier);
        }
        let mut remaining = self.now.clone();
        let negated: Vec<Posting> = self.recognised.iter().map(negate).collect();
        add_all(&mut remaining, &negated);
        Settlement {
            control_amount: -amount,
            composition: remaining,
        }
    }

    fn credit_twin(&self, credit: &[Posting]) -> Vec<Posting> {
        let mut after = self.now.clone();
        add_all(&mut after, credit);
        let currency = credit
            .first()
            .map(|p| p.amount.currency())
            .or_else(|| self.composition.first().map(|p| p.amount.currency()));
        let Some(currency) = currency else {
            return Vec::new();
        };
        let sum = |ps: &[Posting]| Money::sum(currency, ps.iter().map(|p| p.amount));
        if sum(&after) != sum(&self.recognised) {
            return Vec::new();
        }
        let negated: Vec<Posting> = self.recognised.iter().map(negate).collect();
        add_all(&mut after, &negated);
        after.retain(|p| !p.amount.is_zero());
        after
    }
}

fn negate(p: &Posting) -> Posting {
    Posting {
        account: p.account.clone(),
        amount: -p.amount,
    }
}

/// Adds postings into a list kept one per account.
fn add_all(into: &mut Vec<Posting>, postings: &[Posting]) {
    for p in postings {
        match into.iter_mut().find(|q| q.account == p.account) {
            Some(q) => q.amount = q.amount + p.amount,
            None => into.push(p.clone()),
        }
    }
}

/// The settlement a payment of `amount` against an invoice makes after `history`, given the
/// invoice's issue composition.
pub fn invoice_payment_settlement(
    composition: &[Posting],
    history: &[InvoiceEvent],
    amount: Money,
) -> Settlement {
    Recognition::replay(composition, history).payment(amount)
}

/// The cash-basis twin of a credit note with revenue and tax postings `credit` against an
/// invoice after `history`.
pub fn credit_note_twin(
    composition: &[Posting],
    history: &[InvoiceEvent],
    credit: &[Posting],
) -> Vec<Posting> {
    Recognition::replay(composition, history).credit_twin(credit)
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
    fn a_reversal_mirrors_the_twin_posting_by_posting_without_merging_accounts() {
        let twin = [
            post("1000", "60.00"),
            post("4000", "-25.00"),
            post("4000", "-25.00"),
            post("2200", "-10.00"),
        ];

        let mirrored = mirror(&twin);

        assert_eq!(
            mirrored,
            vec![
                post("1000", "-60.00"),
                post("4000", "25.00"),
                post("4000", "25.00"),
                post("2200", "10.00")
            ]
        );
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

    /// Replays an invoice's life on the cash basis: each payment's recognised postings, each
    /// credit note's twin, summed per account.
    fn cash_life(
        composition: &[Posting],
        life: &[InvoiceEvent],
    ) -> std::collections::BTreeMap<String, i64> {
        let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
        for (i, event) in life.iter().enumerate() {
            let postings = match event {
                InvoiceEvent::Paid(amount) => {
                    let s = invoice_payment_settlement(composition, &life[..i], *amount);
                    recognise(s.control_amount, &s.composition)
                }
                InvoiceEvent::Credited(credit) => credit_note_twin(composition, &life[..i], credit),
            };
            for p in postings {
                *sums.entry(p.account.0.clone()).or_default() += p.amount.to_minor();
            }
        }
        sums
    }

    #[test]
    fn paid_30_credited_50_paid_40_ends_with_58_33_revenue_and_11_67_vat_on_the_cash_basis() {
        let life = [
            InvoiceEvent::Paid(gbp("30.00")),
            InvoiceEvent::Credited(vec![post("4000", "41.67"), post("2200", "8.33")]),
            InvoiceEvent::Paid(gbp("40.00")),
        ];

        let first = invoice_payment_settlement(&invoice_composition(), &[], gbp("30.00"));
        let sums = cash_life(&invoice_composition(), &life);

        assert_eq!(
            recognise(first.control_amount, &first.composition),
            vec![post("4000", "-25.00"), post("2200", "-5.00")]
        );
        assert_eq!(sums["4000"], -5833);
        assert_eq!(sums["2200"], -1167);
        assert!(credit_note_twin(
            &invoice_composition(),
            &life[..1],
            &[post("4000", "41.67"), post("2200", "8.33")]
        )
        .is_empty());
    }

    #[test]
    fn a_credit_note_that_leaves_nothing_open_moves_recognised_revenue_to_match_the_invoice() {
        // Two revenue accounts; half paid (50 each recognised), then account 4000 credited in full.
        let composition = vec![post("4000", "-100.00"), post("4100", "-100.00")];
        let credit = vec![post("4000", "100.00")];
        let life = [
            InvoiceEvent::Paid(gbp("100.00")),
            InvoiceEvent::Credited(credit.clone()),
        ];

        let twin = credit_note_twin(&composition, &life[..1], &credit);
        let sums = cash_life(&composition, &life);

        assert_eq!(twin, vec![post("4000", "50.00"), post("4100", "-50.00")]);
        assert_eq!(sums["4000"], 0);
        assert_eq!(sums["4100"], -10000);
    }

    proptest! {
        #[test]
        fn payments_and_credits_end_with_the_same_figures_on_both_bases(
            nets in proptest::collection::vec(1i64..500_000, 1..4),
            steps in proptest::collection::vec((any::<bool>(), 1i64..=90), 0..5),
        ) {
            let currency = gbp("0").currency();
            let money = |m: i64| Money::from_minor(m, currency);
            let mut composition: Vec<Posting> = nets.iter().enumerate()
                .map(|(i, n)| Posting { account: crate::domain::AccountCode(format!("40{i:02}")), amount: money(-n) })
                .collect();
            let tax: i64 = nets.iter().sum::<i64>() / 5;
            composition.push(Posting { account: crate::domain::AccountCode::new("2200"), amount: money(-tax) });
            let mut accrual: Vec<Posting> = composition.clone();
            let mut open: i64 = -composition.iter().map(|p| p.amount.to_minor()).sum::<i64>();
            let mut life = Vec::new();
            for (is_credit, percent) in steps {
                let part = open * percent / 100;
                if part == 0 { continue; }
                if is_credit {
                    let weights: Vec<i64> = accrual.iter().map(|p| -p.amount.to_minor()).collect();
                    let credit: Vec<Posting> = split_largest_remainder(part, &weights).into_iter()
                        .zip(&accrual).map(|(m, p)| Posting { account: p.account.clone(), amount: money(m) }).collect();
                    add_all(&mut accrual, &credit);
                    life.push(InvoiceEvent::Credited(credit));
                } else {
                    life.push(InvoiceEvent::Paid(money(part)));
                }
                open -= part;
            }
            life.push(InvoiceEvent::Paid(money(open)));
            if open == 0 { life.pop(); }

            let sums = cash_life(&composition, &life);

            for p in &accrual {
                prop_assert_eq!(sums.get(&p.account.0).copied().unwrap_or(0), p.amount.to_minor(), "{}", p.account);
            }
        }

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
