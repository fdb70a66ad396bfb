//! `/items`: the catalogue of products and services a line can be filled from. Search, add,
//! change and archive; a table on wide screens, cards on phones.

use crate::api::invoices::get_document_defaults;
use crate::api::items::{archive_item, list_items, save_item, ItemForm};
use crate::api::types::{AccountOption, DocumentDefaults};
use crate::api::AppError;
use crate::domain::items::Item;
use crate::domain::TaxRate;
use crate::ui::components::{load_error, EmptyState, Loading, PageHeader};
use crate::ui::fields::{field_error, FieldError, FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;

/// The item form's fields, shared by the list's "Edit" buttons.
#[derive(Clone, Copy)]
struct ItemFields {
    editing: RwSignal<Option<i64>>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    unit: RwSignal<String>,
    unit_price: RwSignal<String>,
    tax_rate_id: RwSignal<String>,
    revenue_account: RwSignal<String>,
}

impl ItemFields {
    fn new() -> ItemFields {
        ItemFields {
            editing: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            unit_price: RwSignal::new(String::new()),
            tax_rate_id: RwSignal::new(String::new()),
            revenue_account: RwSignal::new(String::new()),
        }
    }

    fn fill(self, id: Option<i64>, form: ItemForm) {
        self.editing.set(id);
        self.name.set(form.name);
        self.description.set(form.description);
        self.unit.set(form.unit);
        self.unit_price.set(form.unit_price);
        self.tax_rate_id.set(form.tax_rate_id);
        self.revenue_account.set(form.revenue_account);
    }

    fn form(self) -> ItemForm {
        ItemForm {
            name: self.name.get_untracked(),
            description: self.description.get_untracked(),
            unit: self.unit.get_untracked(),
            unit_price: self.unit_price.get_untracked(),
            tax_rate_id: self.tax_rate_id.get_untracked(),
            revenue_account: self.revenue_account.get_untracked(),
        }
    }
}

#[component]
pub fn ItemsPage() -> impl IntoView {
    let live = use_live_version();
    let search = RwSignal::new(String::new());
    let with_archived = RwSignal::new(false);
    let items = Resource::new(
        move || (live.get(), search.get(), with_archived.get()),
        |(_, search, archived)| list_items(search, archived),
    );
    let defaults = Resource::new(|| (), |_| get_document_defaults());
    let fields = ItemFields::new();
    view! {
        <Title text="Items" />
        <PageHeader title="Items" />
        <div class="toolbar">
            <div class="field search">
                <label for="item-search" class="sr-only">"Search items"</label>
                <input id="item-search" type="search" placeholder="Search by name or description"
                    autocomplete="off" bind:value=search />
            </div>
            <div class="checkbox-field">
                <input type="checkbox" id="with_archived" bind:checked=with_archived />
                <label for="with_archived">"Show archived"</label>
            </div>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match (items.await, defaults.await) {
                    (Ok(list), Ok(d)) => view! {
                        <ItemList list rates=d.tax_rates.clone() fields searching=!search.get_untracked().is_empty() />
                    }.into_any(),
                    (Err(e), _) | (_, Err(e)) => load_error(e),
                }
            })}
        </Transition>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match defaults.await {
                    Ok(d) => view! { <ItemEditor defaults=d fields /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

/// A price with at least two decimals: 45.5 shows as "45.50".
fn price_text(price: rust_decimal::Decimal) -> String {
    let mut price = price.normalize();
    if price.scale() < 2 {
        price.rescale(2);
    }
    crate::domain::money::group_thousands(price)
}

fn rate_label(rates: &[TaxRate], id: i64) -> String {
    rates
        .iter()
        .find(|r| r.id == id)
        .map(TaxRate::label)
        .unwrap_or_default()
}

#[component]
fn ItemList(
    list: Vec<Item>,
    rates: Vec<TaxRate>,
    fields: ItemFields,
    searching: bool,
) -> impl IntoView {
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let archive = Action::new(|(id, archived): &(i64, bool)| archive_item(*id, *archived));
    Effect::new(move |_| match archive.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    if list.is_empty() {
        let text = if searching {
            "No item matches the search."
        } else {
            "Add the products and services you sell; a line picks one to fill its description, unit, price, tax rate and account."
        };
        return view! { <EmptyState title="No items" text=text /> }.into_any();
    }
    view! {
        <div class="table-card">
            <table class="list items">
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Unit"</th>
                    <th scope="col" class="num">"Unit price"</th>
                    <th scope="col">"Tax"</th>
                    <th scope="col">"Account"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|item| {
                        let (id, archived) = (item.id, item.archived);
                        let form = ItemForm::of(&item);
                        let name = item.name.clone();
                        view! {
                            <tr>
                                <td class="primary-cell">
                                    {item.name.clone()}{archived.then_some(" (archived)")}
                                    <span class="muted sub-line">{item.description.clone()}</span>
                                </td>
                                <td data-label="Unit">{item.unit.clone()}</td>
                                <td data-label="Unit price" class="num">{price_text(item.unit_price)}</td>
                                <td data-label="Tax">{rate_label(&rates, item.tax_rate_id)}</td>
                                <td data-label="Account">{item.revenue_account.clone()}</td>
                                <td class="row-actions">
                                    <button type="button" class="button ghost small"
                                        aria-label=format!("Edit {name}")
                                        on:click=move |_| fields.fill(Some(id), form.clone())>"Edit"</button>
                                    <button type="button" class="button ghost small"
                                        aria-label=format!("{} {}", if archived { "Restore" } else { "Archive" }, item.name)
                                        disabled=move || archive.pending().get()
                                        on:click=move |_| { errors.set(None); archive.dispatch((id, !archived)); }>
                                        {if archived { "Restore" } else { "Archive" }}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <FormError errors />
    }
    .into_any()
}

#[component]
fn ItemEditor(defaults: DocumentDefaults, fields: ItemFields) -> impl IntoView {
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let rates: Vec<TaxRate> = defaults
        .tax_rates
        .into_iter()
        .filter(|r| !r.archived)
        .collect();
    let accounts = defaults.revenue_accounts;
    let blank = {
        let rate = rates.first().map(|r| r.id.to_string()).unwrap_or_default();
        let account = accounts
            .iter()
            .find(|a| a.code == "4000")
            .or(accounts.first())
            .map(|a| a.code.clone())
            .unwrap_or_default();
        ItemForm {
            tax_rate_id: rate,
            revenue_account: account,
            ..ItemForm::default()
        }
    };
    let blank = StoredValue::new(blank);
    fields.fill(None, blank.get_value());
    let action = Action::new(|(id, form): &(Option<i64>, ItemForm)| save_item(*id, form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            fields.fill(None, blank.get_value());
            live.update(|v| *v += 1);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch((fields.editing.get_untracked(), fields.form()));
    };
    let heading = move || match fields.editing.get() {
        Some(_) => "Change the item",
        None => "Add an item",
    };
    view! {
        <form class="form panel" on:submit=submit novalidate aria-labelledby="item-form-heading">
            <h2 id="item-form-heading">{heading}</h2>
            <div class="field-row pair">
                <TextField id="name" label="Name" value=fields.name errors required=true />
                <TextField id="unit" label="Unit" value=fields.unit errors hint="Optional: hour, day, piece…" />
            </div>
            <TextField id="description" label="Description on invoices" value=fields.description errors
                hint="Optional; the name when empty." />
            <div class="field-row pair">
                <TextField id="unit_price" label="Unit price" value=fields.unit_price errors inputmode="decimal" required=true />
                <Choice id="tax_rate_id" label="Tax rate" value=fields.tax_rate_id errors
                    options=rates.iter().map(|r| (r.id.to_string(), r.label())).collect() />
            </div>
            <Choice id="revenue_account" label="Revenue account" value=fields.revenue_account errors
                options=accounts.iter().map(|a: &AccountOption| (a.code.clone(), format!("{} · {}", a.code, a.name))).collect() />
            <FormError errors />
            <div class="form-actions">
                <Show when=move || fields.editing.get().is_some()>
                    <button type="button" class="button secondary"
                        on:click=move |_| { errors.set(None); fields.fill(None, blank.get_value()); }>"Cancel"</button>
                </Show>
                <SubmitButton label="Save item" pending=action.pending() />
            </div>
        </form>
    }
}

/// A labelled select whose error shows beside it.
#[component]
pub fn Choice(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Option<AppError>>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let error = field_error(errors, id);
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <select id=id bind:value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")>
                {options.into_iter().map(|(v, text)| {
                    let selected = value.get_untracked() == v;
                    view! { <option value=v selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <FieldError id=format!("{id}-error") error />
        </div>
    }
}
