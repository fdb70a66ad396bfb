//! One expense or bill: its splits, tax and receipt, the entry it posted, and for a bill
//! what is still owed with a form to pay it.

use super::kind_label;
use crate::api::expenses::{get_expense, get_expense_options, pay_bill, void_expense};
use crate::api::types::ExpenseDetail;
use crate::api::AppError;
use crate::ui::browser::request_key;
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::fields::{FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ExpensePage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let expense = Resource::new(move || (live.get(), id.get()), |(_, id)| get_expense(id));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match expense.await {
                    Ok(e) => view! { <ExpenseView e /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExpenseView(e: ExpenseDetail) -> impl IntoView {
    let s = e.summary.clone();
    let title = format!("{} · {}", s.vendor, day(s.date));
    let void = s.void_entry_id;
    let open = s.is_bill && !s.open.is_zero() && void.is_none();
    view! {
        <Title text=title.clone() />
        <PageHeader title=title>
            <A href=format!("/vendors/{}", s.vendor_id) attr:class="button secondary">"Vendor"</A>
            <A href="/expenses" attr:class="button secondary">"All expenses"</A>
        </PageHeader>
        {void.map(|entry| view! {
            <div class="banner banner-warn" role="status" data-testid="expense-void">
                <p>{format!("Void: reversed by entry {entry}, dated {}, so it counts in no report. ", day(s.date))}
                    <A href=format!("/books/journal/{entry}")>"See the reversal"</A></p>
            </div>
        })}
        <section class="panel">
            <dl class="facts">
                <div><dt>"Kind"</dt><dd data-testid="expense-kind">{kind_label(&s)}</dd></div>
                <div><dt>"Vendor"</dt><dd><A href=format!("/vendors/{}", s.vendor_id)>{s.vendor.clone()}</A></dd></div>
                {e.paid_from.clone().map(|p| view! { <div><dt>"Paid from"</dt><dd>{p}</dd></div> })}
                {s.due_date.map(|d| view! { <div><dt>"Due"</dt><dd>{day(d)}</dd></div> })}
                {(!e.reference.is_empty()).then(|| view! { <div><dt>"Reference"</dt><dd>{e.reference.clone()}</dd></div> })}
                {(!s.memo.is_empty()).then(|| view! { <div><dt>"Memo"</dt><dd>{s.memo.clone()}</dd></div> })}
                {e.receipt_id.map(|id| view! {
                    <div><dt>"Receipt"</dt><dd>
                        <a href=format!("/receipts/{id}") rel="external" target="_blank" data-testid="receipt-link">
                            {e.receipt_name.clone().unwrap_or_else(|| "receipt".into())}
                        </a>
                    </dd></div>
                })}
                <div><dt>"Posted as"</dt><dd><A href=format!("/books/journal/{}", e.entry_id)>{format!("Journal entry {}", e.entry_id)}</A></dd></div>
            </dl>
        </section>
        {receipt_preview(&e)}
        <div class="table-card">
            <table class="list expense-lines">
                <thead><tr>
                    <th scope="col">"Account"</th>
                    <th scope="col" class="num">"Tax rate"</th>
                    <th scope="col" class="num">"Net"</th>
                    <th scope="col" class="num">"Tax"</th>
                </tr></thead>
                <tbody>
                    {e.lines.into_iter().map(|l| view! {
                        <tr>
                            <td class="primary-cell"><span class="account-code">{l.account}</span> " " {l.account_name}
                                {(!l.description.is_empty()).then(|| view! { <span class="muted">" · " {l.description.clone()}</span> })}</td>
                            <td class="num" data-label="Tax rate">{format!("{}%", l.tax_rate)}</td>
                            <td class="num" data-label="Net"><Amount value=l.net /></td>
                            <td class="num" data-label="Tax"><Amount value=l.tax /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="subtotal"><th scope="row" colspan="2">"Net"</th><td class="num" colspan="2" data-label="Net"><Amount value=e.net /></td></tr>
                    <tr class="subtotal"><th scope="row" colspan="2">"Input tax"</th><td class="num" colspan="2" data-label="Input tax" data-testid="input-tax"><Amount value=e.tax /></td></tr>
                    <tr class="grand"><th scope="row" colspan="2">"Total"</th><td class="num" colspan="2" data-label="Total" data-testid="expense-total"><Amount value=s.total /></td></tr>
                </tfoot>
            </table>
        </div>
        {(!e.payments.is_empty()).then(|| view! {
            <h2 class="section-title">"Payments"</h2>
            <ul class="plain-list">
                {e.payments.iter().map(|(d, from, amount)| view! {
                    <li>{format!("{} from {} · ", day(*d), from)}<Amount value=*amount />
                        {void.is_some().then_some(" · reversed with the bill")}</li>
                }).collect_view()}
            </ul>
        })}
        {open.then(|| view! { <PayBill bill=s.id open=s.open /> })}
        {void.is_none().then(|| view! { <VoidExpense id=s.id is_bill=s.is_bill date=s.date payments=e.payments.len() /> })}
    }
}

/// Voiding takes a second, explicit press: it posts a reversal that cannot be undone.
#[component]
fn VoidExpense(id: i64, is_bill: bool, date: chrono::NaiveDate, payments: usize) -> impl IntoView {
    let what = if is_bill { "bill" } else { "expense" };
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(move |r: &String| void_expense(id, payments > 0, r.clone()));
    Effect::new(move |_| {
        if let Some(Err(e)) = action.value().get() {
            errors.set(Some(e));
        }
    });
    let explain = format!(
        "Voiding posts the exact reversal of this {what}, dated its own day ({}), so it drops          out of every report of that period; the record stays, marked void. It is refused once          the books are locked for that day.",
        day(date)
    );
    let with_payments = match payments {
        0 => String::new(),
        1 => " Its payment is reversed too, on the day it was made: the money goes back to the account it was paid from.".to_string(),
        n => format!(" Its {n} payments are reversed too, each on the day it was made: the money goes back to the accounts they were paid from."),
    };
    let button = match payments {
        0 => format!("Void this {what}"),
        1 => "Void the bill and its payment".to_string(),
        n => format!("Void the bill and its {n} payments"),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch(reason.get_untracked());
    };
    view! {
        <section class="panel void-panel" aria-labelledby="void-heading">
            <h2 class="section-title" id="void-heading">{format!("Void this {what}")}</h2>
            <p class="muted">{explain}{with_payments}</p>
            <button type="button" class="button secondary" hidden=move || confirming.get()
                on:click=move |_| confirming.set(true)>"Void…"</button>
            <form class="form" on:submit=submit novalidate hidden=move || !confirming.get()>
                <TextField id="reason" label="Reason (optional)" value=reason errors />
                <FormError errors />
                <div class="form-actions">
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>{button}</button>
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn PayBill(bill: i64, open: crate::domain::Money) -> impl IntoView {
    let options = Resource::new(|| (), |_| get_expense_options());
    let key = StoredValue::new(request_key());
    let amount = RwSignal::new(open.amount().to_string());
    let paid_on = RwSignal::new(String::new());
    let paid_from = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(move |(a, d, f): &(String, String, String)| {
        pay_bill(bill, a.clone(), d.clone(), f.clone(), key.get_value())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => key.set_value(request_key()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch((
            amount.get_untracked(),
            paid_on.get_untracked(),
            paid_from.get_untracked(),
        ));
    };
    view! {
        <section class="panel">
            <h2 class="section-title">"Pay this bill"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let o = options.await.ok();
                    if let Some(o) = &o {
                        if paid_on.get_untracked().is_empty() {
                            paid_on.set(o.today.to_string());
                        }
                        if paid_from.get_untracked().is_empty() {
                            paid_from.set(o.money_accounts.first().map(|a| a.code.clone()).unwrap_or_default());
                        }
                    }
                    let accounts = o.map(|o| o.money_accounts).unwrap_or_default();
                    view! {
                        <form class="form" on:submit=submit novalidate>
                            <div class="field-row pair">
                                <TextField id="amount" label="Amount" value=amount errors inputmode="decimal" required=true />
                                <TextField id="paid_on" label="Paid on" kind="date" value=paid_on errors required=true />
                            </div>
                            <div class="field">
                                <label for="paid_from">"Paid from"</label>
                                <select id="paid_from" bind:value=paid_from>
                                    {accounts.into_iter().map(|a| view! { <option value=a.code.clone()>{format!("{} {}", a.code, a.name)}</option> }).collect_view()}
                                </select>
                            </div>
                            <FormError errors also=&["paid_from"] />
                            <div class="form-actions"><SubmitButton label="Record bill payment" pending=action.pending() /></div>
                        </form>
                    }
                })}
            </Transition>
        </section>
    }
}

/// A picture of an image receipt; PDFs open from their link instead.
fn receipt_preview(e: &ExpenseDetail) -> Option<impl IntoView> {
    let id = e.receipt_id?;
    let is_image = e.receipt_type.as_deref()?.starts_with("image/");
    is_image.then(|| {
        view! {
            <figure class="receipt-preview panel">
                <img src=format!("/receipts/{id}") alt=format!("Receipt {}", e.receipt_name.clone().unwrap_or_default())
                    loading="lazy" />
            </figure>
        }
    })
}
