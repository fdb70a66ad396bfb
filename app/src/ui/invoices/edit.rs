//! The draft editor: a new invoice, or a draft being changed. "Save draft" stores it;
//! "Save and issue" stores it and then issues it.

use super::lines::{LineEditor, LineRow, TotalsPreview};
use crate::api::invoices::{get_document_defaults, get_invoice, issue_invoice, save_draft};
use crate::api::types::{DocumentDefaults, DraftForm, LineForm};
use crate::api::AppError;
use crate::domain::{CustomerId, DocumentDiscount, InvoiceId, InvoiceStatus, PriceEntry, Pricing};
use crate::ui::components::{load_error, EmptyState, Loading, PageHeader};
use crate::ui::fields::{
    clear_field, field_error, use_hydrated, FieldError, FormError, SubmitButton, TextField,
};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn NewInvoicePage() -> impl IntoView {
    let query = use_query_map();
    let customer = query
        .read_untracked()
        .get("customer")
        .and_then(|c| c.parse().ok())
        .map(CustomerId);
    let defaults = Resource::new(|| (), |_| get_document_defaults());
    view! {
        <Title text="New invoice" />
        <PageHeader title="New invoice" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match defaults.await {
                    Ok(defaults) => {
                        let initial = new_draft(&defaults, customer);
                        view! { <DraftEditor defaults initial kind=EditorKind::Invoice /> }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

/// What the editor writes: an invoice draft or a quote (whose second date is the day it is
/// valid until, and which is sent rather than issued).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EditorKind {
    Invoice,
    Quote,
}

/// Saves the form as `kind`, then issues or sends it when asked; the document's id.
async fn save_document(
    kind: EditorKind,
    form: DraftForm,
    then: bool,
) -> Result<InvoiceId, (Option<InvoiceId>, AppError)> {
    use crate::api::quotes::{save_quote, send_quote};
    match kind {
        EditorKind::Invoice => {
            let id = save_draft(form).await.map_err(|e| (None, e))?;
            if then {
                issue_invoice(id).await.map_err(|e| (Some(id), e))?;
            }
            Ok(id)
        }
        EditorKind::Quote => {
            let id = InvoiceId(save_quote(form).await.map_err(|e| (None, e))?);
            if then {
                send_quote(id.0).await.map_err(|e| (Some(id), e))?;
            }
            Ok(id)
        }
    }
}

/// A new document's form: today, the customer's terms, one line.
pub fn new_draft(defaults: &DocumentDefaults, customer: Option<CustomerId>) -> DraftForm {
    let customer = customer.filter(|id| defaults.customers.iter().any(|c| c.id == *id));
    let account = default_account(defaults);
    DraftForm {
        id: None,
        customer_id: customer,
        issue_date: defaults.today.to_string(),
        due_date: due_for(defaults, customer, &defaults.today.to_string())
            .unwrap_or_else(|| defaults.today.to_string()),
        currency: defaults.currency.code().to_string(),
        notes: String::new(),
        lines: vec![LineForm {
            quantity: "1".into(),
            revenue_account: account,
            tax_rate_id: super::lines::default_rate(&defaults.tax_rates),
            ..LineForm::default()
        }],
        discount_kind: "none".into(),
        ..DraftForm::default()
    }
}

fn default_account(defaults: &DocumentDefaults) -> String {
    let accounts = &defaults.revenue_accounts;
    accounts
        .iter()
        .find(|a| a.code == "4000")
        .or(accounts.first())
        .map(|a| a.code.clone())
        .unwrap_or_default()
}

/// The due date a customer's payment terms give for an issue date.
fn due_for(
    defaults: &DocumentDefaults,
    customer: Option<CustomerId>,
    issue: &str,
) -> Option<String> {
    let terms = defaults
        .customers
        .iter()
        .find(|c| Some(c.id) == customer)?
        .payment_terms_days;
    let issue = NaiveDate::parse_from_str(issue.trim(), "%Y-%m-%d").ok()?;
    Some(
        issue
            .checked_add_days(Days::new(u64::from(terms)))?
            .to_string(),
    )
}

#[component]
pub fn EditInvoicePage() -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
        .map(InvoiceId);
    let data = Resource::new(
        || (),
        move |_| async move {
            let id = id.ok_or(AppError::NotFound("The invoice".into()))?;
            Ok::<_, AppError>((get_document_defaults().await?, get_invoice(id).await?))
        },
    );
    view! {
        <Title text="Edit draft" />
        <PageHeader title="Edit draft" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((defaults, detail)) if detail.summary.status == InvoiceStatus::Draft => {
                        view! { <DraftEditor defaults initial=detail.to_form() kind=EditorKind::Invoice /> }.into_any()
                    }
                    Ok((_, detail)) => view! {
                        <EmptyState title="This invoice is issued"
                            text="Issued invoices cannot be changed; void it and issue a new one instead.">
                            <A href=format!("/invoices/{}", detail.summary.id) attr:class="button secondary">"Back to the invoice"</A>
                        </EmptyState>
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DraftEditor(
    defaults: DocumentDefaults,
    initial: DraftForm,
    kind: EditorKind,
) -> impl IntoView {
    let defaults = StoredValue::new(defaults);
    let draft_id = RwSignal::new(initial.id);
    let customer = RwSignal::new(
        initial
            .customer_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let issue_date = RwSignal::new(initial.issue_date.clone());
    let due_date = RwSignal::new(initial.due_date.clone());
    let currency = RwSignal::new(initial.currency.clone());
    let notes = RwSignal::new(initial.notes.clone());
    let rates = StoredValue::new(defaults.with_value(|d| d.tax_rates.clone()));
    let items = StoredValue::new(defaults.with_value(|d| d.items.clone()));
    let rows = RwSignal::new(rates.with_value(|r| {
        initial
            .lines
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, l)| LineRow::new(i as u64, l, r))
            .collect::<Vec<_>>()
    }));
    let inclusive = RwSignal::new(initial.prices_include_tax);
    let discount_kind = RwSignal::new(match initial.discount_kind.as_str() {
        "" => "none".to_string(),
        kind => kind.to_string(),
    });
    let discount = RwSignal::new(initial.discount.clone());
    let rounding = defaults.with_value(|d| d.tax_rounding);
    let money = defaults.with_value(|d| d.currency);
    let pricing = Signal::derive(move || {
        document_pricing(
            inclusive.get(),
            &discount_kind.get(),
            &discount.get(),
            rounding,
            money,
        )
    });
    let next_key = StoredValue::new(initial.lines.len() as u64);
    // The due date follows the customer's terms until someone types a date of their own.
    let due_touched = RwSignal::new(
        initial.id.is_some()
            && defaults.with_value(|d| due_for(d, initial.customer_id, &initial.issue_date))
                != Some(initial.due_date),
    );
    Effect::new(move |previous: Option<(String, String)>| {
        let now = (customer.get(), issue_date.get());
        if previous.is_some_and(|p| p != now) && !due_touched.get_untracked() {
            let id = now.0.parse().ok().map(CustomerId);
            if let Some(due) = defaults.with_value(|d| due_for(d, id, &now.1)) {
                due_date.set(due);
            }
        }
        now
    });
    let errors = RwSignal::new(None::<AppError>);
    let then_issue = RwSignal::new(false);
    // A new invoice draft's key: sent again (a lost answer, the offline queue) it makes no
    // second draft.
    let request = StoredValue::new(if kind == EditorKind::Invoice && initial.id.is_none() {
        crate::ui::browser::request_key()
    } else {
        String::new()
    });
    let outbox = crate::ui::outbox::use_outbox();
    let queued = RwSignal::new(None::<String>);
    let sent = StoredValue::new(None::<DraftForm>);
    let save = Action::new(move |(form, issue): &(DraftForm, bool)| {
        sent.set_value(Some(form.clone()));
        save_document(kind, form.clone(), *issue)
    });
    let navigate = use_navigate();
    let base = match kind {
        EditorKind::Invoice => "/invoices",
        EditorKind::Quote => "/quotes",
    };
    Effect::new(move |_| match save.value().get() {
        Some(Ok(id)) => navigate(&format!("{base}/{id}"), Default::default()),
        // Offline: a new invoice draft waits on the device and is sent when the connection
        // returns (issuing waits for the person, once it is saved).
        Some(Err((None, AppError::Transport(_))))
            if outbox.is_some() && !request.with_value(String::is_empty) =>
        {
            if let (Some(outbox), Some(form)) = (outbox, sent.get_value()) {
                let customer = defaults.with_value(|d| {
                    d.customers
                        .iter()
                        .find(|c| Some(c.id) == form.customer_id)
                        .map(|c| c.name.clone())
                        .unwrap_or_default()
                });
                let label = format!("Draft invoice for {customer}");
                outbox.enqueue_draft(form, label.clone());
                queued.set(Some(label));
            }
        }
        Some(Err((saved, e))) => {
            // A draft that was saved before issuing failed must not be saved again as new.
            if saved.is_some() {
                draft_id.set(saved);
            }
            errors.set(Some(e));
        }
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        let form = DraftForm {
            id: draft_id.get_untracked(),
            customer_id: customer.get_untracked().parse().ok().map(CustomerId),
            issue_date: issue_date.get_untracked(),
            due_date: due_date.get_untracked(),
            currency: currency.get_untracked(),
            notes: notes.get_untracked(),
            lines: rows
                .get_untracked()
                .into_iter()
                .map(LineRow::to_form)
                .collect(),
            prices_include_tax: inclusive.get_untracked(),
            discount_kind: discount_kind.get_untracked(),
            discount: discount.get_untracked(),
            request_key: request.get_value(),
        };
        queued.set(None);
        save.dispatch((form, then_issue.get_untracked()));
    };
    let add_line = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let account = defaults.with_value(default_account);
        rows.update(|all| {
            let row = rates.with_value(|r| LineRow::after(key, all.last(), &account, r));
            all.push(row);
        });
    };
    view! {
        <form class="form draft-editor" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <section class="panel">
                    <div class="field-grid">
                        <CustomerSelect value=customer defaults errors />
                        <div class="field-row pair">
                            <TextField id="issue_date" label="Issue date" kind="date" value=issue_date
                                errors required=true />
                            <div on:input=move |_| due_touched.set(true)>
                                <TextField id="due_date" label=if kind == EditorKind::Quote { "Valid until" } else { "Due date" } kind="date" value=due_date
                                    errors required=true />
                            </div>
                        </div>
                        <TextField id="currency" label="Currency" value=currency readonly=true
                            errors />
                    </div>
                </section>
                <section class="panel" aria-labelledby="lines-heading">
                    <h2 id="lines-heading">"Lines"</h2>
                    <LineEditor rows accounts=defaults.with_value(|d| d.revenue_accounts.clone()) rates items currency=money errors />
                    <button type="button" class="button secondary" on:click=add_line>
                        <span aria-hidden="true">"+ "</span>
                        "Add line"
                    </button>
                    <div class="editor-footer">
                        <div class="field notes">
                            <label for="notes">"Notes"</label>
                            <textarea id="notes" rows="3" bind:value=notes placeholder="Payment details, thanks, purchase order…">
                                {crate::ui::fields::rcdata_text(&initial.notes)}
                            </textarea>
                        </div>
                        <div class="pricing-column">
                            <PricingFields inclusive discount_kind discount errors />
                            <TotalsPreview rows rates currency=money pricing />
                        </div>
                    </div>
                </section>
                <FormError errors also=&["lines"] />
                {move || queued.get().map(|label| view! {
                    <p class="banner banner-warn" role="status" data-testid="draft-queued">
                        {format!("You are offline. {label} is kept on this device and will be saved when the connection returns; you can issue it then.")}
                    </p>
                })}
                <div class="form-actions sticky-actions">
                    <SubmitButton label="Save draft" pending=save.pending() class="button secondary"
                        on_click=Callback::new(move |_| then_issue.set(false)) />
                    <SubmitButton label=if kind == EditorKind::Quote { "Save and send" } else { "Save and issue" } pending=save.pending()
                        on_click=Callback::new(move |_| then_issue.set(true)) />
                </div>
            </fieldset>
        </form>
    }
}

#[component]
fn CustomerSelect(
    value: RwSignal<String>,
    defaults: StoredValue<DocumentDefaults>,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let error = field_error(errors, "customer_id");
    let customers = defaults.with_value(|d| d.customers.clone());
    let none = customers.is_empty();
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for="customer_id">"Customer"</label>
            <select id="customer_id" bind:value=value on:change=move |_| clear_field(errors, "customer_id")
                aria-invalid=move || error.with(Option::is_some).then_some("true")>
                <option value="" selected=value.get_untracked().is_empty()>"Select a customer…"</option>
                {customers.into_iter().map(|c| {
                    let id = c.id.to_string();
                    let selected = value.get_untracked() == id;
                    view! { <option value=id selected=selected>{c.name}</option> }
                }).collect_view()}
            </select>
            {none.then(|| view! {
                <p class="hint">"No customers yet. " <A href="/customers/new">"Add a customer"</A> " first."</p>
            })}
            <FieldError id="customer_id-error" error />
        </div>
    }
}

/// The pricing as typed, or `None` while the discount is unfinished.
fn document_pricing(
    inclusive: bool,
    kind: &str,
    value: &str,
    rounding: crate::domain::TaxRounding,
    currency: crate::domain::Currency,
) -> Option<Pricing> {
    let number = |places| {
        crate::domain::money::parse_decimal(crate::api::parse::percent_text(value), places).ok()
    };
    let discount = match kind {
        "percent" => DocumentDiscount::Percent(number(2)?),
        "amount" => DocumentDiscount::Amount(number(currency.minor_units())?),
        _ => DocumentDiscount::None,
    };
    Some(Pricing {
        entry: if inclusive {
            PriceEntry::TaxInclusive
        } else {
            PriceEntry::TaxExclusive
        },
        discount,
        rounding,
    })
}

/// Whether prices include tax, and the discount on the whole invoice.
#[component]
fn PricingFields(
    inclusive: RwSignal<bool>,
    discount_kind: RwSignal<String>,
    discount: RwSignal<String>,
    errors: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let error = field_error(errors, "discount");
    let initial_kind = discount_kind.get_untracked();
    view! {
        <div class="pricing-fields">
            <div class="checkbox-field">
                <input type="checkbox" id="prices_include_tax" bind:checked=inclusive />
                <label for="prices_include_tax">"Prices include tax"</label>
            </div>
            <div class="field-row pair">
                <div class="field">
                    <label for="discount_kind">"Invoice discount"</label>
                    <select id="discount_kind" bind:value=discount_kind
                        on:change=move |_| clear_field(errors, "discount")>
                        {[("none", "None"), ("percent", "Percentage"), ("amount", "Amount")]
                            .into_iter()
                            .map(|(value, label)| view! {
                                <option value=value selected=initial_kind == value>{label}</option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field" class:invalid=move || error.with(Option::is_some)
                    class:hidden=move || discount_kind.with(|k| k == "none")>
                    <label for="discount">{move || if discount_kind.with(|k| k == "percent") { "Discount %" } else { "Discount amount" }}</label>
                    <input id="discount" type="text" inputmode="decimal" class="num" autocomplete="off"
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        on:input=move |_| clear_field(errors, "discount")
                        bind:value=discount />
                    <FieldError id="discount-error" error />
                </div>
            </div>
        </div>
    }
}
