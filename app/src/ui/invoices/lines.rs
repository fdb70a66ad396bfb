//! The line items of the draft editor and the live preview of its totals, computed in the
//! browser with the same domain function the server uses when it saves and posts.

use crate::api::types::{AccountOption, LineForm};
use crate::api::AppError;
use crate::domain::items::Item;
use crate::domain::money::parse_decimal;
use crate::domain::totals::{line_net, validate_line};
use crate::domain::{
    document_totals, AccountCode, Currency, LineInput, LineTax, Money, Pricing, PricingError,
    TaxRate,
};
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
    /// The named rate chosen, by id.
    tax_rate_id: RwSignal<String>,
    revenue_account: RwSignal<String>,
    unit: RwSignal<String>,
}

/// The named rate a stored line was billed under: the one of that name and percentage, else
/// one in use at that percentage; `None` when no rate matches any more.
fn rate_for(form: &LineForm, rates: &[TaxRate]) -> Option<i64> {
    let percent = parse_decimal(&form.tax_rate, 2).ok()?;
    rates
        .iter()
        .find(|r| r.name == form.tax_name && r.rate == percent)
        .or_else(|| rates.iter().find(|r| !r.archived && r.rate == percent))
        .map(|r| r.id)
}

/// The rate a new line starts with: the first in use (the list puts the highest first).
pub fn default_rate(rates: &[TaxRate]) -> String {
    rates
        .iter()
        .find(|r| !r.archived)
        .map(|r| r.id.to_string())
        .unwrap_or_default()
}

impl LineRow {
    pub fn new(key: u64, form: LineForm, rates: &[TaxRate]) -> LineRow {
        let rate_id = match form.tax_rate_id.as_str() {
            "" => rate_for(&form, rates)
                .map(|id| id.to_string())
                .unwrap_or_default(),
            id => id.to_string(),
        };
        LineRow {
            key,
            description: RwSignal::new(form.description),
            quantity: RwSignal::new(form.quantity),
            unit_price: RwSignal::new(form.unit_price),
            discount_percent: RwSignal::new(form.discount_percent),
            tax_rate_id: RwSignal::new(rate_id),
            revenue_account: RwSignal::new(form.revenue_account),
            unit: RwSignal::new(form.unit),
        }
    }

    /// A fresh line that carries on from `previous` (same tax rate and account).
    pub fn after(
        key: u64,
        previous: Option<&LineRow>,
        default_account: &str,
        rates: &[TaxRate],
    ) -> LineRow {
        LineRow::new(
            key,
            LineForm {
                quantity: "1".into(),
                tax_rate_id: previous
                    .map(|p| p.tax_rate_id.get_untracked())
                    .unwrap_or_else(|| default_rate(rates)),
                revenue_account: previous.map_or_else(
                    || default_account.to_string(),
                    |p| p.revenue_account.get_untracked(),
                ),
                ..LineForm::default()
            },
            rates,
        )
    }

    pub fn to_form(self) -> LineForm {
        LineForm {
            description: self.description.get_untracked(),
            quantity: self.quantity.get_untracked(),
            unit_price: self.unit_price.get_untracked(),
            discount_percent: self.discount_percent.get_untracked(),
            tax_rate: String::new(),
            revenue_account: self.revenue_account.get_untracked(),
            tax_rate_id: self.tax_rate_id.get_untracked(),
            tax_name: String::new(),
            unit: self.unit.get_untracked(),
        }
    }

    /// Fills the line from a catalogue item; every field stays editable.
    fn pick(self, item: &Item) {
        self.description.set(item.line_description());
        self.unit.set(item.unit.clone());
        self.unit_price.set(item.unit_price.normalize().to_string());
        self.tax_rate_id.set(item.tax_rate_id.to_string());
        self.revenue_account.set(item.revenue_account.clone());
        if self.quantity.get_untracked().trim().is_empty() {
            self.quantity.set("1".into());
        }
    }

    /// The line as the domain sees it, or `None` while some number is unfinished. A missing
    /// description does not stop the preview.
    fn to_input(self, rates: &[TaxRate]) -> Option<LineInput> {
        let optional = |text: String, places| {
            if text.trim().is_empty() {
                Ok(Decimal::ZERO)
            } else {
                parse_decimal(crate::api::parse::percent_text(&text), places)
            }
        };
        let rate = self.tax_rate_id.with(|id| {
            let id: i64 = id.parse().ok()?;
            rates.iter().find(|r| r.id == id).cloned()
        })?;
        let line = LineInput {
            description: self.description.get(),
            quantity: parse_decimal(&self.quantity.get(), 4).ok()?,
            unit_price: parse_decimal(&self.unit_price.get(), 4).ok()?,
            discount_percent: optional(self.discount_percent.get(), 2).ok()?,
            tax_rate: rate.rate,
            revenue_account: AccountCode(self.revenue_account.get()),
            unit: self.unit.get(),
            tax: LineTax {
                category: Some(rate.category),
                ..LineTax::default()
            },
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
    rates: StoredValue<Vec<TaxRate>>,
    items: StoredValue<Vec<Item>>,
    currency: Currency,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let accounts = StoredValue::new(accounts);
    view! {
        <div class="line-editor">
            <div class="line-head" aria-hidden="true">
                <span>"Item"</span>
                <span>"Description"</span>
                <span class="num">"Qty"</span>
                <span>"Unit"</span>
                <span class="num">"Unit price"</span>
                <span class="num">"Disc. %"</span>
                <span>"Tax"</span>
                <span>"Account"</span>
                <span class="num">"Amount"</span>
                <span></span>
            </div>
            <For each=move || rows.get() key=|row| row.key let:row>
                <LineFields row rows accounts rates items currency errors />
            </For>
        </div>
    }
}

/// Picks a catalogue item for a line; the select goes back to "Pick an item" afterwards, so
/// the line's own fields are what counts.
#[component]
fn ItemPicker(row: LineRow, index: Memo<usize>, items: StoredValue<Vec<Item>>) -> impl IntoView {
    let picked = RwSignal::new(String::new());
    let on_change = move |_| {
        let id: Option<i64> = picked.get_untracked().parse().ok();
        if let Some(item) = items.with_value(|all| all.iter().find(|i| Some(i.id) == id).cloned()) {
            row.pick(&item);
        }
        picked.set(String::new());
    };
    view! {
        <div class="field line-field line-item">
            <label for=move || format!("line-{}-item", index.get())>"Item"</label>
            <select
                id=move || format!("line-{}-item", index.get())
                aria-label=move || format!("Item (line {})", index.get() + 1)
                bind:value=picked
                on:change=on_change
            >
                <option value="">{if items.with_value(Vec::is_empty) { "No items" } else { "Pick…" }}</option>
                {items.get_value().into_iter().map(|i| {
                    view! { <option value=i.id.to_string()>{i.name.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The named tax rate of a line. Archived rates are listed only for a line billed under one,
/// so it still shows what it was.
#[component]
fn RateSelect(
    row: LineRow,
    index: Memo<usize>,
    rates: StoredValue<Vec<TaxRate>>,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let initial = row.tax_rate_id.get_untracked();
    let error = Signal::derive(move || {
        errors.with(|e| {
            e.as_ref()?
                .field(&format!("lines.{}.tax_rate_id", index.get()))
        })
    });
    view! {
        <div class="field line-field line-tax" class:invalid=move || error.with(Option::is_some)>
            <label for=move || format!("line-{}-tax_rate_id", index.get())>"Tax rate"</label>
            <select
                id=move || format!("line-{}-tax_rate_id", index.get())
                aria-label=move || format!("Tax rate (line {})", index.get() + 1)
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                bind:value=row.tax_rate_id
            >
                <option value="" selected=initial.is_empty()>"Choose…"</option>
                {rates.get_value().into_iter()
                    .filter(|r| !r.archived || r.id.to_string() == initial)
                    .map(|r| {
                        let id = r.id.to_string();
                        let selected = id == initial;
                        // The percentage first, so a narrow select still shows it.
                        let text = format!("{}% {}", r.rate.normalize(), r.name);
                        view! { <option value=id selected=selected>{text}</option> }
                    }).collect_view()}
            </select>
            <FieldError id=Signal::derive(move || format!("line-{}-tax_rate_id-error", index.get())) error />
        </div>
    }
}

#[component]
fn LineFields(
    row: LineRow,
    rows: RwSignal<Vec<LineRow>>,
    accounts: StoredValue<Vec<AccountOption>>,
    rates: StoredValue<Vec<TaxRate>>,
    items: StoredValue<Vec<Item>>,
    currency: Currency,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let index =
        Memo::new(move |_| rows.with(|all| all.iter().position(|r| r.key == row.key).unwrap_or(0)));
    let number = move || index.get() + 1;
    let net = move || {
        rates
            .with_value(|r| row.to_input(r))
            .map(|line| line_net(&line, currency))
    };
    let remove = move |_| {
        // Messages are filed by line number, which shifts when a line goes.
        errors.set(None);
        rows.update(|all| all.retain(|r| r.key != row.key));
    };
    view! {
        <div class="line-row" role="group" aria-label=move || format!("Line {}", number())>
            <ItemPicker row index items />
            <LineInputField row_index=index name="description" label="Description" value=row.description errors />
            <LineInputField row_index=index name="quantity" label="Quantity" value=row.quantity errors decimal=true />
            <LineInputField row_index=index name="unit" label="Unit" value=row.unit errors />
            <LineInputField row_index=index name="unit_price" label="Unit price" value=row.unit_price errors decimal=true />
            <LineInputField row_index=index name="discount_percent" label="Discount %" value=row.discount_percent errors decimal=true />
            <RateSelect row index rates errors />
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
                <span class="line-net-label">"Amount "</span>
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

/// Subtotal, document discount, net, tax per rate and total of the lines as typed, priced
/// as the server will price them; unfinished lines are left out.
#[component]
pub fn TotalsPreview(
    rows: RwSignal<Vec<LineRow>>,
    rates: StoredValue<Vec<TaxRate>>,
    currency: Currency,
    pricing: Signal<Option<Pricing>>,
) -> impl IntoView {
    let totals = Memo::new(move |_| {
        let lines: Vec<LineInput> = rates.with_value(|r| {
            rows.get()
                .into_iter()
                .filter_map(|row| row.to_input(r))
                .collect()
        });
        let pricing = pricing.get().unwrap_or_default();
        document_totals(&lines, currency, pricing)
    });
    let figure = move |pick: fn(&crate::domain::InvoiceTotals) -> Money| {
        move || match totals.get() {
            Ok(t) => view! { <Amount value=pick(&t) /> }.into_any(),
            Err(_) => view! { <span class="muted">"—"</span> }.into_any(),
        }
    };
    let problem = move || totals.get().err().map(|e: PricingError| e.to_string());
    let discounted = move || totals.get().is_ok_and(|t| !t.discount.is_zero());
    view! {
        <div class="totals-preview">
        <dl class="totals preview" aria-live="polite" aria-label="Totals preview">
            <Show when=discounted>
                <div><dt>"Subtotal"</dt><dd data-testid="preview-subtotal">{figure(|t| Money::sum(t.net.currency(), t.line_amounts.iter().copied()))}</dd></div>
                <div><dt>"Discount"</dt><dd data-testid="preview-discount">{figure(|t| -t.discount)}</dd></div>
            </Show>
            <div><dt>"Net"</dt><dd data-testid="preview-net">{figure(|t| t.net)}</dd></div>
            {move || totals.get().map(|t| t.taxes).unwrap_or_default().into_iter().map(|t| view! {
                <div class="tax-row">
                    <dt>{format!("Tax {}%", t.rate.normalize())}</dt>
                    <dd><Amount value=t.tax /></dd>
                </div>
            }).collect_view()}
            <div class="grand">
                <dt>"Total"</dt>
                <dd data-testid="preview-total">{figure(|t| t.gross)}</dd>
            </div>
        </dl>
        {move || problem().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </div>
    }
}
