//! The line items of the draft editor and the live preview of its totals, computed in the
//! browser with the same domain function the server uses when it saves and posts.

use crate::api::types::{AccountOption, LineForm};
use crate::api::AppError;
use crate::domain::money::parse_decimal;
use crate::domain::totals::{line_net, validate_line};
use crate::domain::{invoice_totals, AccountCode, Currency, LineInput, TaxRounding};
use crate::ui::components::Amount;
use crate::ui::fields::{clear_field, FieldError};
use leptos::prelude::*;
use rust_decimal::Decimal;

/// One line being edited; each field is its own signal so typing redraws only that field.
#[derive(Clone, Copy)]
pub struct LineRow {
    key: u64,
    description: RwSignal<String>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount_percent: RwSignal<String>,
    tax_rate: RwSignal<String>,
    revenue_account: RwSignal<String>,
}

impl LineRow {
    pub fn new(key: u64, form: LineForm) -> LineRow {
        LineRow {
            key,
            description: RwSignal::new(form.description),
            quantity: RwSignal::new(form.quantity),
            unit_price: RwSignal::new(form.unit_price),
            discount_percent: RwSignal::new(form.discount_percent),
            tax_rate: RwSignal::new(form.tax_rate),
            revenue_account: RwSignal::new(form.revenue_account),
        }
    }

    /// A fresh line that carries on from `previous` (same tax rate and account).
    pub fn after(key: u64, previous: Option<&LineRow>, default_account: &str) -> LineRow {
        LineRow::new(
            key,
            LineForm {
                quantity: "1".into(),
                tax_rate: previous
                    .map(|p| p.tax_rate.get_untracked())
                    .unwrap_or_default(),
                revenue_account: previous.map_or_else(
                    || default_account.to_string(),
                    |p| p.revenue_account.get_untracked(),
                ),
                ..LineForm::default()
            },
        )
    }

    pub fn to_form(self) -> LineForm {
        LineForm {
            description: self.description.get_untracked(),
            quantity: self.quantity.get_untracked(),
            unit_price: self.unit_price.get_untracked(),
            discount_percent: self.discount_percent.get_untracked(),
            tax_rate: self.tax_rate.get_untracked(),
            revenue_account: self.revenue_account.get_untracked(),
        }
    }

    /// The line as the domain sees it, or `None` while some number is unfinished. A missing
    /// description does not stop the preview.
    fn to_input(self) -> Option<LineInput> {
        let optional = |text: String, places| {
            if text.trim().is_empty() {
                Ok(Decimal::ZERO)
            } else {
                parse_decimal(crate::api::parse::percent_text(&text), places)
            }
        };
        let line = LineInput {
            description: self.description.get(),
            quantity: parse_decimal(&self.quantity.get(), 4).ok()?,
            unit_price: parse_decimal(&self.unit_price.get(), 4).ok()?,
            discount_percent: optional(self.discount_percent.get(), 2).ok()?,
            tax_rate: optional(self.tax_rate.get(), 2).ok()?,
            revenue_account: AccountCode(self.revenue_account.get()),
        };
        validate_line(&line)
            .iter()
            .all(|(field, _)| *field == "description")
            .then_some(line)
    }
}

/// The lines, one card each on phones and one row each on wide screens.
#[component]
pub fn LineEditor(
    rows: RwSignal<Vec<LineRow>>,
    accounts: Vec<AccountOption>,
    currency: Currency,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let accounts = StoredValue::new(accounts);
    view! {
        <div class="line-editor">
            <div class="line-head" aria-hidden="true">
                <span>"Description"</span>
                <span class="num">"Quantity"</span>
                <span class="num">"Unit price"</span>
                <span class="num">"Disc. %"</span>
                <span class="num">"Tax %"</span>
                <span>"Account"</span>
                <span class="num">"Net"</span>
                <span></span>
            </div>
            <For each=move || rows.get() key=|row| row.key let:row>
                <LineFields row rows accounts currency errors />
            </For>
        </div>
    }
}

#[component]
fn LineFields(
    row: LineRow,
    rows: RwSignal<Vec<LineRow>>,
    accounts: StoredValue<Vec<AccountOption>>,
    currency: Currency,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let index =
        Memo::new(move |_| rows.with(|all| all.iter().position(|r| r.key == row.key).unwrap_or(0)));
    let number = move || index.get() + 1;
    let net = move || row.to_input().map(|line| line_net(&line, currency));
    let remove = move |_| {
        // Messages are filed by line number, which shifts when a line goes.
        errors.set(None);
        rows.update(|all| all.retain(|r| r.key != row.key));
    };
    view! {
        <div class="line-row" role="group" aria-label=move || format!("Line {}", number())>
            <LineInputField row_index=index name="description" label="Description" value=row.description errors />
            <LineInputField row_index=index name="quantity" label="Quantity" value=row.quantity errors decimal=true />
            <LineInputField row_index=index name="unit_price" label="Unit price" value=row.unit_price errors decimal=true />
            <LineInputField row_index=index name="discount_percent" label="Discount %" value=row.discount_percent errors decimal=true />
            <LineInputField row_index=index name="tax_rate" label="Tax rate %" value=row.tax_rate errors decimal=true />
            <div class="field line-field line-account">
                <label for=move || format!("line-{}-revenue_account", index.get())>"Account"</label>
                <select
                    id=move || format!("line-{}-revenue_account", index.get())
                    aria-label=move || format!("Revenue account (line {})", number())
                    bind:value=row.revenue_account
                >
                    {accounts.get_value().into_iter().map(|a| {
                        let selected = row.revenue_account.get_untracked() == a.code;
                        view! { <option value=a.code.clone() selected=selected>{format!("{} · {}", a.code, a.name)}</option> }
                    }).collect_view()}
                </select>
                <FieldError id=Signal::derive(move || format!("line-{}-revenue_account-error", index.get()))
                    error=Signal::derive(move || errors.with(|e| e.as_ref()?.field(&format!("lines.{}.revenue_account", index.get())))) />
            </div>
            <div class="line-net num" aria-live="polite">
                <span class="line-net-label">"Net "</span>
                {move || match net() {
                    Some(amount) => view! { <Amount value=amount /> }.into_any(),
                    None => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </div>
            <button type="button" class="button ghost small remove-line" on:click=remove
                aria-label=move || format!("Remove line {}", number())>
                <span aria-hidden="true">"✕"</span>
                <span class="remove-text">"Remove"</span>
            </button>
        </div>
    }
}

/// One input of a line. Its id is `line-{index}-{name}` (index from 0) and its accessible
/// name says which line it belongs to: "Quantity (line 1)".
#[component]
fn LineInputField(
    row_index: Memo<usize>,
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Option<AppError>>,
    #[prop(optional)] decimal: bool,
) -> impl IntoView {
    let id = move || format!("line-{}-{name}", row_index.get());
    let error = Signal::derive(move || {
        errors.with(|e| {
            e.as_ref()?
                .field(&format!("lines.{}.{name}", row_index.get()))
        })
    });
    view! {
        <div class=format!("field line-field line-{name}") class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <input
                id=id
                type="text"
                inputmode=decimal.then_some("decimal")
                class:num=decimal
                autocomplete="off"
                aria-label=move || format!("{label} (line {})", row_index.get() + 1)
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:input=move |_| clear_field(errors, &format!("lines.{}.{name}", row_index.get_untracked()))
                bind:value=value
            />
            <FieldError id=Signal::derive(move || format!("line-{}-{name}-error", row_index.get())) error />
        </div>
    }
}

/// Net, tax per rate and total of the lines as typed; unfinished lines are left out.
#[component]
pub fn TotalsPreview(
    rows: RwSignal<Vec<LineRow>>,
    currency: Currency,
    rounding: TaxRounding,
) -> impl IntoView {
    let totals = Memo::new(move |_| {
        let lines: Vec<LineInput> = rows
            .get()
            .into_iter()
            .filter_map(LineRow::to_input)
            .collect();
        invoice_totals(&lines, currency, rounding)
    });
    view! {
        <dl class="totals preview" aria-live="polite" aria-label="Totals preview">
            <div><dt>"Net"</dt><dd>{move || view! { <Amount value=totals.get().net /> }}</dd></div>
            {move || totals.get().taxes.into_iter().map(|t| view! {
                <div class="tax-row">
                    <dt>{format!("Tax {}%", t.rate.normalize())}</dt>
                    <dd><Amount value=t.tax /></dd>
                </div>
            }).collect_view()}
            <div class="grand">
                <dt>"Total"</dt>
                <dd data-testid="preview-total">{move || view! { <Amount value=totals.get().gross /> }}</dd>
            </div>
        </dl>
    }
}
