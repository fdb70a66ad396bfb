//! The books: financial statements, the trial balance, account registers behind every figure,
//! manual journal entries, the period lock and the year-end close; aging, tax and cash flow.

mod accounts;
mod aging;
mod cash_flow;
mod flow_chart;
mod journal;
mod ledger;
mod movements;
mod register;
mod statements;
mod tax;
mod tax_documents;
mod trend;
mod trial_balance;

pub use accounts::AccountsPage;
pub use aging::AgingPage;
pub use cash_flow::CashFlowPage;
pub use journal::{JournalEntryPage, JournalPage};
pub use ledger::GeneralLedgerPage;
pub use movements::MoneyMovementsPage;
pub use register::RegisterPage;
pub use statements::{BalanceSheetPage, ProfitLossPage};
pub use tax::TaxSummaryPage;
pub use tax_documents::TaxDocumentsPage;
pub use trial_balance::TrialBalancePage;

use crate::domain::money::group_thousands;
use crate::domain::Money;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The books' pages: (address, name).
const BOOKS_PAGES: [(&str, &str); 9] = [
    ("/books", "Trial balance"),
    ("/books/profit-loss", "Profit and loss"),
    ("/books/balance-sheet", "Balance sheet"),
    ("/books/ledger", "General ledger"),
    ("/books/journal", "Journal"),
    ("/books/accounts", "Accounts"),
    ("/books/aging", "Aging"),
    ("/books/tax", "Tax"),
    ("/books/cash-flow", "Cash flow"),
];

/// The tabs between the books' pages; on a phone, one menu instead of rows of tabs.
#[component]
pub fn BooksNav() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let navigate = use_navigate();
    // The page a sub-page (an account's register, an entry, the documents behind a tax
    // figure) belongs to: the longest books page its address starts with.
    let current = move || {
        let path = location.pathname.get();
        BOOKS_PAGES
            .iter()
            .map(|(href, _)| *href)
            .filter(|href| path == *href || path.starts_with(&format!("{href}/")))
            .max_by_key(|href| href.len())
            .unwrap_or_default()
    };
    view! {
        <nav class="tabs books-nav" aria-label="Books">
            {BOOKS_PAGES.into_iter().map(|(href, name)| view! {
                <A href=href exact=true attr:class="tab">{name}</A>
            }).collect_view()}
        </nav>
        <div class="field books-menu">
            <label for="books-page" class="sr-only">"Books page"</label>
            <select id="books-page" on:change=move |ev| navigate(&event_target_value(&ev), Default::default())>
                {BOOKS_PAGES.into_iter().map(|(href, name)| view! {
                    <option value=href selected=move || current() == href>{name}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Setting this signal goes to that address. Event handlers set it instead of holding the
/// router's navigate function, which may not be kept in values shared across threads while
/// the page renders on the server; the effect that navigates runs only in the browser.
pub fn use_navigation_target() -> RwSignal<Option<String>> {
    let navigate = use_navigate();
    let target = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(url) = target.get() {
            navigate(&url, Default::default());
        }
    });
    target
}

/// A report's settings as they stand in the address: period, basis, comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    pub basis: String,
    pub compare: bool,
}

impl ReportQuery {
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.from.is_empty() {
            parts.push(format!("from={}", self.from));
        }
        if !self.to.is_empty() {
            parts.push(format!("to={}", self.to));
        }
        if self.basis == "cash" {
            parts.push("basis=cash".to_string());
        }
        if self.compare {
            parts.push("compare=1".to_string());
        }
        parts.join("&")
    }
}

/// Reads the report settings from the address, for a resource to depend on.
pub fn use_report_query() -> Memo<ReportQuery> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        ReportQuery {
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            basis: q.get("basis").unwrap_or_default(),
            compare: q.get("compare").is_some_and(|v| v == "1"),
        }
    })
}

/// From, to, basis and comparison; each change puts the new settings in the address.
#[component]
pub fn ReportControls(
    #[prop(into)] path: String,
    from: String,
    to: String,
    current: Memo<ReportQuery>,
    #[prop(optional)] show_compare: bool,
    /// A report taken at one day (the balance sheet): only "As of", compared with the end of
    /// the previous year.
    #[prop(optional)]
    as_of: bool,
) -> impl IntoView {
    let target = use_navigation_target();
    let go = move |change: &dyn Fn(&mut ReportQuery)| {
        let mut q = current.get_untracked();
        change(&mut q);
        let qs = q.query_string();
        let url = if qs.is_empty() {
            path.clone()
        } else {
            format!("{path}?{qs}")
        };
        target.set(Some(url));
    };
    let go = StoredValue::new(go);
    let cash = current.get_untracked().basis == "cash";
    let compare = current.get_untracked().compare;
    view! {
        <div class="toolbar report-controls">
            <div class="field inline-field" hidden=as_of>
                <label for="from">"From"</label>
                <input id="from" type="date" value=from
                    on:change=move |ev| { let v = event_target_value(&ev); go.with_value(|g| g(&|q| q.from = v.clone())) } />
            </div>
            <div class="field inline-field">
                <label for="to">{if as_of { "As of" } else { "To" }}</label>
                <input id="to" type="date" value=to
                    on:change=move |ev| { let v = event_target_value(&ev); go.with_value(|g| g(&|q| q.to = v.clone())) } />
            </div>
            <div class="field inline-field">
                <label for="basis">"Basis"</label>
                <select id="basis" on:change=move |ev| { let v = event_target_value(&ev); go.with_value(|g| g(&|q| q.basis = v.clone())) }>
                    <option value="accrual" selected=!cash>"Accrual"</option>
                    <option value="cash" selected=cash>"Cash"</option>
                </select>
            </div>
            {show_compare.then(|| view! {
                <div class="checkbox-field">
                    <input id="compare" type="checkbox" checked=compare
                        on:change=move |ev| { let v = event_target_checked(&ev); go.with_value(|g| g(&|q| q.compare = v)) } />
                    <label for="compare">{if as_of { "Compare with the end of the previous year" } else { "Compare with an earlier period" }}</label>
                </div>
            })}
        </div>
    }
}

/// A CSV download built from rows already on the page, so the file says exactly what the
/// screen says. Cells that a spreadsheet would run as a formula are quoted as text.
#[component]
pub fn CsvLink(file_name: String, rows: Vec<Vec<String>>) -> impl IntoView {
    let csv: String = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let href = format!(
        "data:text/csv;charset=utf-8,{}",
        crate::ui::components::encode_query(&csv)
    );
    view! { <a class="button secondary small" href=href download=file_name>"Download CSV"</a> }
}

pub fn csv_cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '@'])
        || (text.starts_with('-') && text.parse::<f64>().is_err());
    let text = if risky {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A plain decimal for CSV cells: no grouping, no currency.
pub fn plain(m: Money) -> String {
    m.amount().to_string()
}

/// A figure in a statement, linked to the postings behind it.
#[component]
pub fn FigureLink(code: String, amount: Money, query: String) -> impl IntoView {
    let class = if amount.is_negative() {
        "amount negative"
    } else {
        "amount"
    };
    if code.is_empty() {
        return view! { <span class=class>{group_thousands(amount.amount())}</span> }.into_any();
    }
    let href = format!("/books/accounts/{code}?{query}");
    view! {
        <A href=href attr:class=format!("{class} figure-link") attr:title="Show the postings behind this figure">
            {group_thousands(amount.amount())}
        </A>
    }
    .into_any()
}
