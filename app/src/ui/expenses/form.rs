//! The expense form: who was paid, when, from which account (or a bill with a due date), and
//! one or more splits across expense accounts with their input tax rate.

use super::receipt::ReceiptField;
use crate::api::expenses::{get_expense_options, record_expense};
use crate::api::types::{ExpenseForm, ExpenseOptions};
use crate::api::AppError;
use crate::ui::browser::request_key;
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::fields::{
    field_error, use_hydrated, FieldError, FormError, SubmitButton, TextField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewExpensePage() -> impl IntoView {
    let options = Resource::new(|| (), |_| get_expense_options());
    view! {
        <Title text="Record expense" />
        <PageHeader title="Record an expense or bill" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(o) => view! { <ExpenseFormView options=o /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

type Split = (
    RwSignal<String>,
    RwSignal<String>,
    RwSignal<String>,
    RwSignal<String>,
);

const SPLITS: usize = 6;

#[component]
fn ExpenseFormView(options: ExpenseOptions) -> impl IntoView {
    let key = StoredValue::new(request_key());
    let vendor = RwSignal::new(String::new());
    let date = RwSignal::new(options.today.to_string());
    let first_money = options
        .money_accounts
        .first()
        .map(|a| a.code.clone())
        .unwrap_or_default();
    let paid_from = RwSignal::new(first_money);
    let due_date = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let memo = RwSignal::new(String::new());
    let inclusive = RwSignal::new(true);
    let receipt = RwSignal::new(None::<i64>);
    let uploading = RwSignal::new(false);
    let splits: Vec<Split> = (0..SPLITS)
        .map(|_| {
            (
                RwSignal::new(String::new()),
                RwSignal::new(String::new()),
                RwSignal::new(String::new()),
                RwSignal::new("20".to_string()),
            )
        })
        .collect();
    let splits = StoredValue::new(splits);
    let shown = RwSignal::new(1usize);
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(|form: &ExpenseForm| record_expense(form.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(id)) => navigate(&format!("/expenses/{id}"), Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let is_bill = Memo::new(move |_| paid_from.get().is_empty());
    // A bill usually falls due thirty days after its date; start from that.
    Effect::new(move |_| {
        if is_bill.get() && due_date.get_untracked().is_empty() {
            if let Ok(day) = chrono::NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d") {
                due_date.set((day + chrono::Days::new(30)).to_string());
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if uploading.get_untracked() {
            errors.set(Some(AppError::invalid(
                "receipt_id",
                "wait until the receipt has uploaded",
            )));
            return;
        }
        errors.set(None);
        let typed = splits.with_value(|s| {
            s.iter()
                .map(|(a, d, m, r)| {
                    (
                        a.get_untracked(),
                        d.get_untracked(),
                        m.get_untracked(),
                        r.get_untracked(),
                    )
                })
                .collect()
        });
        action.dispatch(ExpenseForm {
            vendor: vendor.get_untracked(),
            date: date.get_untracked(),
            paid_from: paid_from.get_untracked(),
            due_date: due_date.get_untracked(),
            reference: reference.get_untracked(),
            memo: memo.get_untracked(),
            tax_inclusive: inclusive.get_untracked(),
            splits: typed,
            receipt_id: receipt.get_untracked(),
            idempotency_key: key.get_value(),
        });
    };
    let paid_error = field_error(errors, "paid_from");
    let money_accounts = options.money_accounts.clone();
    let expense_accounts = options.expense_accounts.clone();
    view! {
        <form class="form expense-form" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <section class="panel">
                    <div class="field-row pair">
                        <TextField id="vendor" label="Paid to" value=vendor errors required=true autocomplete="organization"
                            hint="The shop or supplier; new names are remembered." />
                        <TextField id="date" label="Date" kind="date" value=date errors required=true />
                    </div>
                    <div class="field-row pair">
                        <div class="field" class:invalid=move || paid_error.with(Option::is_some)>
                            <label for="paid_from">"Paid from"</label>
                            <select id="paid_from" bind:value=paid_from>
                                {money_accounts.into_iter().enumerate().map(|(i, a)| view! {
                                    <option value=a.code.clone() selected=i == 0>{format!("{} {}", a.code, a.name)}</option>
                                }).collect_view()}
                                <option value="">"Not paid yet: a bill to pay later"</option>
                            </select>
                            <FieldError id="paid_from-error" error=paid_error />
                        </div>
                        <Show when=move || is_bill.get()>
                            <TextField id="due_date" label="Due date" kind="date" value=due_date errors required=true />
                        </Show>
                    </div>
                    <div class="field-row pair">
                        <TextField id="reference" label="Reference" value=reference errors autocomplete="off"
                            hint="The receipt or bill number." />
                        <TextField id="memo" label="Memo" value=memo errors />
                    </div>
                    <ReceiptField receipt errors uploading />
                </section>
                <section class="panel">
                    <h2 class="section-title">"What was bought"</h2>
                    <div class="checkbox-field">
                        <input id="tax_inclusive" type="checkbox" bind:checked=inclusive />
                        <label for="tax_inclusive">"Amounts include tax (as on the receipt)"</label>
                    </div>
                    <FieldError id="splits-error" error=field_error(errors, "splits") />
                    {splits.get_value().into_iter().enumerate().map(|(i, (account, description, amount, rate))| {
                        let accounts = expense_accounts.clone();
                        let amount_id = format!("splits.{i}.amount");
                        let rate_id = format!("splits.{i}.tax_rate");
                        let amount_error = field_error(errors, amount_id.clone());
                        let account_error = field_error(errors, format!("splits.{i}.account"));
                        let rate_error = field_error(errors, rate_id.clone());
                        view! {
                            <div class="split-row" data-testid="split" hidden=move || { i >= shown.get() }>
                                <div class="field" class:invalid=move || account_error.with(Option::is_some)>
                                    <label for=format!("splits.{i}.account")>{format!("Account (line {})", i + 1)}</label>
                                    <select id=format!("splits.{i}.account") bind:value=account>
                                        <option value="">"Choose…"</option>
                                        {accounts.into_iter().map(|a| view! { <option value=a.code.clone()>{format!("{} {}", a.code, a.name)}</option> }).collect_view()}
                                    </select>
                                    <FieldError id=format!("splits.{i}.account-error") error=account_error />
                                </div>
                                <div class="field">
                                    <label for=format!("splits.{i}.description")>{format!("Description (line {})", i + 1)}</label>
                                    <input id=format!("splits.{i}.description") bind:value=description />
                                </div>
                                <div class="field" class:invalid=move || amount_error.with(Option::is_some)>
                                    <label for=amount_id.clone()>{format!("Amount (line {})", i + 1)}</label>
                                    <input id=amount_id inputmode="decimal" bind:value=amount />
                                    <FieldError id=format!("splits.{i}.amount-error") error=amount_error />
                                </div>
                                <div class="field narrow" class:invalid=move || rate_error.with(Option::is_some)>
                                    <label for=rate_id.clone()>{format!("Tax % (line {})", i + 1)}</label>
                                    <input id=rate_id inputmode="decimal" bind:value=rate />
                                    <FieldError id=format!("splits.{i}.tax_rate-error") error=rate_error />
                                </div>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" class="button secondary small" hidden=move || { shown.get() >= SPLITS }
                        on:click=move |_| shown.update(|n| *n = (*n + 1).min(SPLITS))>"Split across another account"</button>
                </section>
                <FormError errors also=&["idempotency_key"] />
                <div class="form-actions">
                    <SubmitButton label="Record" pending=action.pending() />
                </div>
            </fieldset>
        </form>
    }
}
