//! The arithmetic of financial statements: turning per-account balances into profit and loss
//! and a balance sheet, with each account shown with its natural sign, grouped under its
//! parent, and compared with a previous period.

use super::chart::AccountKind;
use super::money::{Currency, Money};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Accrual: income when invoiced, expenses when billed. Cash: when money moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    #[default]
    Accrual,
    Cash,
}

impl Basis {
    pub fn parse(text: &str) -> Option<Basis> {
        match text {
            "accrual" | "" => Some(Basis::Accrual),
            "cash" => Some(Basis::Cash),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Accrual => "accrual",
            Basis::Cash => "cash",
        }
    }
}

/// Days from `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period to compare with: the same number of whole months just before when this one
    /// is whole months (so February compares with January); the same days a year earlier for
    /// a period from the first of a month (the year to date); else as many days just before.
    pub fn previous(self) -> Period {
        let whole_months = self.from.day() == 1 && (self.to + Days::new(1)).day() == 1;
        if whole_months {
            let months = (self.to.year() - self.from.year()) * 12 + self.to.month() as i32
                - self.from.month() as i32
                + 1;
            let from = self.from - Months::new(months as u32);
            return Period {
                from,
                to: self.from - Days::new(1),
            };
        }
        // A period starting on the first of a month and up to a year long (the year to date,
        // say) compares with the same days a year earlier.
        let year_before = (self.from - Months::new(12), self.to - Months::new(12));
        if self.from.day() == 1 && year_before.1 < self.from {
            return Period {
                from: year_before.0,
                to: year_before.1,
            };
        }
        let days = (self.to - self.from).num_days() as u64 + 1;
        Period {
            from: self.from - Days::new(days),
            to: self.from - Days::new(1),
        }
    }
}

/// One account's debit-positive figure for a report, and for the comparison period.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountFigure {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub parent: Option<String>,
    pub amount: Money,
    pub previous: Option<Money>,
}

/// A line of a statement: amounts carry the account's natural sign (income and liabilities
/// positive); a parent's amount includes its children's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportLine {
    pub code: String,
    pub name: String,
    pub depth: u8,
    pub amount: Money,
    pub previous: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    pub title: String,
    pub lines: Vec<ReportLine>,
    pub total: Money,
    pub previous_total: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfitAndLoss {
    pub period: Period,
    pub previous_period: Option<Period>,
    pub basis: Basis,
    pub income: ReportSection,
    pub expenses: ReportSection,
    pub net_profit: Money,
    pub previous_net_profit: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceSheet {
    pub as_of: NaiveDate,
    pub compared_with: Option<NaiveDate>,
    pub basis: Basis,
    pub assets: ReportSection,
    pub liabilities: ReportSection,
    pub equity: ReportSection,
    pub liabilities_and_equity: Money,
    pub previous_liabilities_and_equity: Option<Money>,
}

/// One month's income and expenses, for the profit trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthProfit {
    /// The first day of the month.
    pub month: NaiveDate,
    pub income: Money,
    pub expenses: Money,
}

impl MonthProfit {
    pub fn profit(&self) -> Money {
        self.income - self.expenses
    }
}

/// Builds profit and loss from the figures of revenue and expense accounts over a period
/// (closing entries excluded).
pub fn profit_and_loss(
    period: Period,
    previous_period: Option<Period>,
    basis: Basis,
    figures: &[AccountFigure],
    currency: Currency,
) -> ProfitAndLoss {
    let compare = previous_period.is_some();
    let income = section("Income", figures, AccountKind::Revenue, currency, compare);
    let expenses = section("Expenses", figures, AccountKind::Expense, currency, compare);
    let net_profit = income.total - expenses.total;
    let previous_net_profit = income
        .previous_total
        .zip(expenses.previous_total)
        .map(|(i, e)| i - e);
    ProfitAndLoss {
        period,
        previous_period,
        basis,
        income,
        expenses,
        net_profit,
        previous_net_profit,
    }
}

/// Builds a balance sheet from cumulative figures of every account as of a day. Revenue and
/// expense accounts not yet closed show as one "Current earnings" line in equity.
pub fn balance_sheet(
    as_of: NaiveDate,
    compared_with: Option<NaiveDate>,
    basis: Basis,
    figures: &[AccountFigure],
    currency: Currency,
) -> BalanceSheet {
    let compare = compared_with.is_some();
    let assets = section("Assets", figures, AccountKind::Asset, currency, compare);
    let liabilities = section(
        "Liabilities",
        figures,
        AccountKind::Liability,
        currency,
        compare,
    );
    let mut equity = section("Equity", figures, AccountKind::Equity, currency, compare);
    let unclosed = |pick: fn(&AccountFigure) -> Option<Money>| {
        -Money::sum(
            currency,
            figures
                .iter()
                .filter(|f| f.kind.is_profit_and_loss())
                .filter_map(pick),
        )
    };
    let earnings = unclosed(|f| Some(f.amount));
    let previous_earnings = compare.then(|| unclosed(|f| f.previous));
    if !earnings.is_zero() || previous_earnings.is_some_and(|p| !p.is_zero()) {
        equity.lines.push(ReportLine {
            code: String::new(),
            name: "Current earnings".into(),
            depth: 0,
            amount: earnings,
            previous: previous_earnings,
        });
        equity.total = equity.total + earnings;
        equity.previous_total = equity
            .previous_total
            .zip(previous_earnings)
            .map(|(t, e)| t + e);
    }
    let liabilities_and_equity = liabilities.total + equity.total;
    let previous_liabilities_and_equity = liabilities
        .previous_total
        .zip(equity.previous_total)
        .map(|(l, e)| l + e);
    BalanceSheet {
        as_of,
        compared_with,
        basis,
        assets,
        liabilities,
        equity,
        liabilities_and_equity,
        previous_liabilities_and_equity,
    }
}

/// The accounts of one kind, each under its parent, with natural signs and totals. Accounts
/// with nothing in either period are left out unless a child needs them as a heading.
fn section(
    title: &str,
    figures: &[AccountFigure],
    kind: AccountKind,
    currency: Currency,
    compare: bool,
) -> ReportSection {
    let sign = kind.natural_sign();
    let natural = |m: Money| if sign < 0 { -m } else { m };
    let mut of_kind: Vec<&AccountFigure> = figures.iter().filter(|f| f.kind == kind).collect();
    of_kind.sort_by(|a, b| a.code.cmp(&b.code));
    let is_child_of = |child: &AccountFigure, parent: &str| {
        let mut current = child.parent.as_deref();
        let mut hops = 0;
        while let Some(code) = current {
            if code == parent {
                return true;
            }
            hops += 1;
            if hops > 16 {
                return false;
            }
            current = of_kind
                .iter()
                .find(|f| f.code == code)
                .and_then(|f| f.parent.as_deref());
        }
        false
    };
    let group_amount = |root: &AccountFigure, pick: &dyn Fn(&AccountFigure) -> Money| {
        Money::sum(
            currency,
            of_kind
                .iter()
                .filter(|f| f.code == root.code || is_child_of(f, &root.code))
                .map(|f| pick(f)),
        )
    };
    let zero = Money::zero(currency);
    let mut lines = Vec::new();
    let mut ordered: Vec<(&AccountFigure, u8)> = Vec::new();
    let roots: Vec<&AccountFigure> = of_kind
        .iter()
        .copied()
        .filter(|f| {
            f.parent
                .as_deref()
                .is_none_or(|p| !of_kind.iter().any(|o| o.code == p))
        })
        .collect();
    for root in roots {
        push_tree(root, 0, &of_kind, &mut ordered);
    }
    for (figure, depth) in ordered {
        let amount = group_amount(figure, &|f| f.amount);
        let previous = compare.then(|| group_amount(figure, &|f| f.previous.unwrap_or(zero)));
        if amount.is_zero() && previous.is_none_or(|p| p.is_zero()) {
            continue;
        }
        lines.push(ReportLine {
            code: figure.code.clone(),
            name: figure.name.clone(),
            depth,
            amount: natural(amount),
            previous: previous.map(natural),
        });
    }
    let total = natural(Money::sum(currency, of_kind.iter().map(|f| f.amount)));
    let previous_total = compare.then(|| {
        natural(Money::sum(
            currency,
            of_kind.iter().map(|f| f.previous.unwrap_or(zero)),
        ))
    });
    ReportSection {
        title: title.to_string(),
        lines,
        total,
        previous_total,
    }
}

fn push_tree<'a>(
    node: &'a AccountFigure,
    depth: u8,
    all: &[&'a AccountFigure],
    out: &mut Vec<(&'a AccountFigure, u8)>,
) {
    if depth > 8 || out.iter().any(|(f, _)| f.code == node.code) {
        return;
    }
    out.push((node, depth));
    for child in all
        .iter()
        .filter(|f| f.parent.as_deref() == Some(node.code.as_str()))
    {
        push_tree(child, depth + 1, all, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, gbp};

    fn figure(code: &str, kind: AccountKind, amount: &str) -> AccountFigure {
        AccountFigure {
            code: code.into(),
            name: format!("Account {code}"),
            kind,
            parent: None,
            amount: gbp(amount),
            previous: None,
        }
    }

    #[test]
    fn profit_is_income_less_expenses_with_natural_signs() {
        let figures = [
            figure("4000", AccountKind::Revenue, "-1000.00"),
            figure("6100", AccountKind::Expense, "250.00"),
            figure("1000", AccountKind::Asset, "750.00"),
        ];
        let period = Period {
            from: day("2026-01-01"),
            to: day("2026-12-31"),
        };

        let pl = profit_and_loss(period, None, Basis::Accrual, &figures, currency("GBP"));

        assert_eq!(pl.income.total, gbp("1000.00"));
        assert_eq!(pl.income.lines[0].amount, gbp("1000.00"));
        assert_eq!(pl.expenses.total, gbp("250.00"));
        assert_eq!(pl.net_profit, gbp("750.00"));
    }

    #[test]
    fn the_balance_sheet_balances_with_current_earnings_in_equity() {
        let figures = [
            figure("1000", AccountKind::Asset, "900.00"),
            figure("2200", AccountKind::Liability, "-150.00"),
            figure("3000", AccountKind::Equity, "-100.00"),
            figure("4000", AccountKind::Revenue, "-800.00"),
            figure("6100", AccountKind::Expense, "150.00"),
        ];

        let sheet = balance_sheet(
            day("2026-12-31"),
            None,
            Basis::Accrual,
            &figures,
            currency("GBP"),
        );

        assert_eq!(sheet.assets.total, gbp("900.00"));
        assert_eq!(sheet.equity.lines.last().unwrap().amount, gbp("650.00"));
        assert_eq!(sheet.liabilities_and_equity, sheet.assets.total);
    }

    #[test]
    fn a_parent_shows_its_childrens_total_and_children_are_indented() {
        let mut travel = figure("6400", AccountKind::Expense, "0");
        travel.name = "Travel".into();
        let mut trains = figure("6410", AccountKind::Expense, "40.00");
        trains.parent = Some("6400".into());
        let mut hotels = figure("6420", AccountKind::Expense, "60.00");
        hotels.parent = Some("6400".into());
        let period = Period {
            from: day("2026-01-01"),
            to: day("2026-01-31"),
        };

        let pl = profit_and_loss(
            period,
            None,
            Basis::Accrual,
            &[hotels, trains, travel],
            currency("GBP"),
        );

        let lines: Vec<(&str, u8, Money)> = pl
            .expenses
            .lines
            .iter()
            .map(|l| (l.code.as_str(), l.depth, l.amount))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("6400", 0, gbp("100.00")),
                ("6410", 1, gbp("40.00")),
                ("6420", 1, gbp("60.00"))
            ]
        );
        assert_eq!(pl.expenses.total, gbp("100.00"));
    }

    #[test]
    fn the_previous_period_of_a_month_is_the_month_before() {
        let february = Period {
            from: day("2026-02-01"),
            to: day("2026-02-28"),
        };

        assert_eq!(
            february.previous(),
            Period {
                from: day("2026-01-01"),
                to: day("2026-01-31")
            }
        );
    }

    #[test]
    fn the_previous_period_of_a_quarter_is_the_quarter_before() {
        let q2 = Period {
            from: day("2026-04-01"),
            to: day("2026-06-30"),
        };

        assert_eq!(q2.previous().from, day("2026-01-01"));
        assert_eq!(q2.previous().to, day("2026-03-31"));
    }

    #[test]
    fn the_year_to_date_compares_with_the_same_days_a_year_earlier() {
        let ytd = Period {
            from: day("2026-01-01"),
            to: day("2026-12-04"),
        };

        assert_eq!(ytd.previous().from, day("2025-01-01"));
        assert_eq!(ytd.previous().to, day("2025-12-04"));
    }

    #[test]
    fn the_previous_period_of_ten_days_is_the_ten_days_before() {
        let days = Period {
            from: day("2026-03-11"),
            to: day("2026-03-20"),
        };

        assert_eq!(days.previous().from, day("2026-03-01"));
        assert_eq!(days.previous().to, day("2026-03-10"));
    }
}
