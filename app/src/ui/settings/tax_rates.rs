//! `/settings/tax-rates`: the named rates a line chooses from. Changing or archiving a rate
//! changes no line already written: each line keeps the rate it was billed at.

use crate::api::tax_rates::{archive_tax_rate, list_tax_rates, save_tax_rate, TaxRateForm};
use crate::api::AppError;
use crate::domain::{TaxCategory, TaxRate};
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::fields::{FormError, SubmitButton, TextField};
use crate::ui::items::Choice;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[derive(Clone, Copy)]
struct RateFields {
    editing: RwSignal<Option<i64>>,
    name: RwSignal<String>,
    rate: RwSignal<String>,
    category: RwSignal<String>,
    exemption_reason: RwSignal<String>,
}

impl RateFields {
    fn fill(self, rate: Option<&TaxRate>) {
        self.editing.set(rate.map(|r| r.id));
        self.name
            .set(rate.map(|r| r.name.clone()).unwrap_or_default());
        self.rate.set(
            rate.map(|r| r.rate.normalize().to_string())
                .unwrap_or_default(),
        );
        self.category.set(
            rate.map_or(TaxCategory::Standard, |r| r.category)
                .slug()
                .into(),
        );
        self.exemption_reason
            .set(rate.map(|r| r.exemption_reason.clone()).unwrap_or_default());
    }
}

#[component]
pub fn TaxRatesPage() -> impl IntoView {
    let live = use_live_version();
    let rates = Resource::new(move || live.get(), |_| list_tax_rates());
    let fields = RateFields {
        editing: RwSignal::new(None),
        name: RwSignal::new(String::new()),
        rate: RwSignal::new(String::new()),
        category: RwSignal::new("standard".into()),
        exemption_reason: RwSignal::new(String::new()),
    };
    view! {
        <Title text="Tax rates" />
        <PageHeader title="Tax rates">
            <A href="/settings" attr:class="button ghost">"Settings"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match rates.await {
                    Ok(list) => view! { <RateList list fields /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
        <RateEditor fields />
    }
}

#[component]
fn RateList(list: Vec<TaxRate>, fields: RateFields) -> impl IntoView {
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let archive = Action::new(|(id, archived): &(i64, bool)| archive_tax_rate(*id, *archived));
    Effect::new(move |_| match archive.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    view! {
        <div class="table-card">
            <table class="list tax-rates">
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col" class="num">"Rate"</th>
                    <th scope="col">"Category"</th>
                    <th scope="col">"Exemption reason"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|r| {
                        let (id, archived) = (r.id, r.archived);
                        let label = r.label();
                        let stored = r.clone();
                        view! {
                            <tr>
                                <td class="primary-cell">{r.name.clone()}{archived.then_some(" (archived)")}</td>
                                <td data-label="Rate" class="num">{format!("{}%", r.rate.normalize())}</td>
                                <td data-label="Category">{r.category.label()}</td>
                                <td data-label="Exemption reason" class="wide-cell">{r.exemption_reason.clone()}</td>
                                <td class="row-actions">
                                    <button type="button" class="button ghost small"
                                        aria-label=format!("Edit {label}")
                                        on:click=move |_| fields.fill(Some(&stored))>"Edit"</button>
                                    <button type="button" class="button ghost small"
                                        aria-label=format!("{} {label}", if archived { "Restore" } else { "Archive" })
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
}

#[component]
fn RateEditor(fields: RateFields) -> impl IntoView {
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let action =
        Action::new(|(id, form): &(Option<i64>, TaxRateForm)| save_tax_rate(*id, form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            fields.fill(None);
            live.update(|v| *v += 1);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        let form = TaxRateForm {
            name: fields.name.get_untracked(),
            rate: fields.rate.get_untracked(),
            category: fields.category.get_untracked(),
            exemption_reason: fields.exemption_reason.get_untracked(),
        };
        action.dispatch((fields.editing.get_untracked(), form));
    };
    let categories = TaxCategory::ALL
        .map(|c| (c.slug().to_string(), c.label().to_string()))
        .to_vec();
    view! {
        <form class="form panel" on:submit=submit novalidate aria-labelledby="rate-form-heading">
            <h2 id="rate-form-heading">{move || if fields.editing.get().is_some() { "Change the rate" } else { "Add a tax rate" }}</h2>
            <p class="hint">"Invoices already written keep the rate they were billed at."</p>
            <div class="field-row pair">
                <TextField id="name" label="Name" value=fields.name errors required=true />
                <TextField id="rate" label="Rate %" value=fields.rate errors inputmode="decimal" required=true />
            </div>
            <Choice id="category" label="Category" value=fields.category errors options=categories />
            <Show when=move || fields.category.with(|c| c == "exempt")>
                <TextField id="exemption_reason" label="Exemption reason" value=fields.exemption_reason errors
                    hint="Printed on the invoice and in the e-invoice, e.g. the law that exempts it." />
            </Show>
            <FormError errors />
            <div class="form-actions">
                <Show when=move || fields.editing.get().is_some()>
                    <button type="button" class="button secondary"
                        on:click=move |_| { errors.set(None); fields.fill(None); }>"Cancel"</button>
                </Show>
                <SubmitButton label="Save rate" pending=action.pending() />
            </div>
        </form>
    }
}
