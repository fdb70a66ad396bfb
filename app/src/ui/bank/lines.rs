//! The imported lines of a bank account: confirm the proposed match of money received, book
//! a line to an account (a learnt rule proposes one), or set it aside.

use crate::api::bank::{book_bank_line, confirm_bank_line, ignore_bank_line, list_bank_lines};
use crate::api::bank_types::{BankLineView, BankLinesPage, MatchView};
use crate::api::AppError;
use crate::domain::bank_matching::Confidence;
use crate::domain::{CustomerId, InvoiceId};
use crate::ui::components::{day, load_error, Amount, EmptyState, ErrorBanner, Loading};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_router::components::A;

type Confirm = (i64, CustomerId, Vec<(InvoiceId, String)>);

/// The server calls a line's buttons make; one set for the whole list.
#[derive(Clone, Copy)]
struct LineActions {
    confirm: Action<Confirm, Result<crate::domain::PaymentId, AppError>>,
    book: Action<(i64, String), Result<i64, AppError>>,
    ignore: Action<(i64, bool), Result<(), AppError>>,
}

#[component]
pub fn LinesPanel(account_id: Memo<i64>) -> impl IntoView {
    let live = use_live_version();
    let done = RwSignal::new(0u32);
    let lines = Resource::new(
        move || (live.get(), done.get(), account_id.get()),
        |(_, _, id)| list_bank_lines(id),
    );
    let actions = LineActions {
        confirm: Action::new(|(line, customer, invoices): &Confirm| {
            confirm_bank_line(*line, *customer, invoices.clone())
        }),
        book: Action::new(|(line, account): &(i64, String)| book_bank_line(*line, account.clone())),
        ignore: Action::new(|(line, ignore): &(i64, bool)| ignore_bank_line(*line, *ignore)),
    };
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let outcomes = [
            actions.confirm.value().get().map(|r| r.map(|_| ())),
            actions.book.value().get().map(|r| r.map(|_| ())),
            actions.ignore.value().get(),
        ];
        error.set(
            outcomes
                .iter()
                .flatten()
                .find_map(|r| r.as_ref().err().map(|e| e.to_string())),
        );
        if outcomes.iter().flatten().any(Result::is_ok) {
            done.update(|n| *n += 1);
        }
    });
    view! {
        <section class="panel bank-lines-panel" aria-labelledby="lines-title">
            <h2 id="lines-title" class="section-title">"Imported lines"</h2>
            {move || error.get().map(|e| view! { <ErrorBanner message=e /> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(page) => view! { <LinesTable page actions /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LinesTable(page: BankLinesPage, actions: LineActions) -> impl IntoView {
    if page.lines.is_empty() {
        return view! {
            <EmptyState title="No lines yet"
                text="Import your bank's export above; Settle proposes which invoice each payment settles." />
        }
        .into_any();
    }
    let expense = page.expense_accounts;
    let income = page.income_accounts;
    view! {
        <div class="table-card">
            <table class="list bank-lines">
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Text"</th>
                        <th scope="col" class="num">"Amount"</th>
                        <th scope="col">"What it is"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.lines.into_iter().map(|line| {
                        let accounts = if line.amount.is_negative() { expense.clone() } else { income.clone() };
                        view! { <LineRow line accounts actions /> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn LineRow(
    line: BankLineView,
    accounts: Vec<(String, String)>,
    actions: LineActions,
) -> impl IntoView {
    let id = line.id;
    let state = line.state.clone();
    view! {
        <tr data-testid="bank-line" data-state=state.clone()>
            <td class="primary-cell">{day(line.date)}</td>
            <td data-label="Text" class="wide-cell bank-text">{line.text.clone()}</td>
            <td data-label="Amount" class="num wide-cell"><Amount value=line.amount /></td>
            <td data-label="What it is" class="wide-cell bank-actions">
                {match state.as_str() {
                    "matched" => view! {
                        <span class="badge badge-paid">"Payment recorded"</span>
                        " "
                        <A href="/payments">"See payments"</A>
                    }.into_any(),
                    "booked" => view! { <span class="badge badge-issued">"Booked"</span> }.into_any(),
                    "ignored" => view! {
                        <span class="badge badge-void">"Ignored"</span>
                        <button type="button" class="button ghost small"
                            on:click=move |_| { actions.ignore.dispatch((id, false)); }>"Take back"</button>
                    }.into_any(),
                    _ => view! { <Unsettled line accounts actions /> }.into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
fn Unsettled(
    line: BankLineView,
    accounts: Vec<(String, String)>,
    actions: LineActions,
) -> impl IntoView {
    let id = line.id;
    let preselected = line
        .rule
        .as_ref()
        .map(|(_, code)| code.clone())
        .or_else(|| accounts.first().map(|(c, _)| c.clone()))
        .unwrap_or_default();
    let account = RwSignal::new(preselected.clone());
    let busy = move || {
        actions.confirm.pending().get()
            || actions.book.pending().get()
            || actions.ignore.pending().get()
    };
    let verb = if line.amount.is_negative() {
        "Book as expense"
    } else {
        "Book as income"
    };
    view! {
        {line.proposals.into_iter().map(|m| view! { <Proposal id m actions busy /> }).collect_view()}
        {line.rule.map(|(pattern, code)| view! {
            <p class="hint">{format!("Rule: text contains “{pattern}” → {code}")}</p>
        })}
        <div class="inline-form bank-book">
            <label class="sr-only" for=format!("book-{id}")>"Account"</label>
            <select id=format!("book-{id}") bind:value=account>
                {accounts.into_iter().map(|(code, name)| {
                    let selected = code == preselected;
                    view! { <option value=code.clone() selected=selected>{format!("{code} {name}")}</option> }
                }).collect_view()}
            </select>
            <button type="button" class="button secondary small" disabled=busy
                on:click=move |_| { actions.book.dispatch((id, account.get_untracked())); }>{verb}</button>
            <button type="button" class="button ghost small" disabled=busy
                on:click=move |_| { actions.ignore.dispatch((id, true)); }>"Ignore"</button>
        </div>
    }
}

#[component]
fn Proposal(
    id: i64,
    m: MatchView,
    actions: LineActions,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let high = m.confidence == Confidence::High;
    let invoices: Vec<String> = m
        .invoices
        .iter()
        .map(|(_, number, amount)| format!("{number} ({})", amount.amount()))
        .collect();
    let allocations: Vec<(InvoiceId, String)> = m
        .invoices
        .iter()
        .map(|(id, _, amount)| (*id, amount.amount().to_string()))
        .collect();
    let customer = m.customer_id;
    let confidence = match m.confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    };
    view! {
        <div class="bank-proposal" class:proposal-high=high data-testid="proposal">
            <p>
                <strong>{m.customer_name.clone()}</strong>
                {format!(": {}", invoices.join(" + "))}
                {m.credit.is_positive().then(|| format!(", {} kept as credit", m.credit))}
            </p>
            <p class="hint">{format!("{confidence} confidence: {}", m.evidence)}</p>
            <button type="button" class=if high { "button primary small" } else { "button secondary small" }
                disabled=busy
                on:click=move |_| { actions.confirm.dispatch((id, customer, allocations.clone())); }>
                "Confirm payment"
            </button>
        </div>
    }
}
