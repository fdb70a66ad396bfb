//! Recurring invoices: the list of schedules, one schedule with the invoices it made (pause,
//! resume), and the form that repeats an invoice.

use crate::api::recurring::{
    create_recurring, get_recurring, list_recurring, set_recurring_paused,
};
use crate::api::types::{RecurringDetail, RecurringForm, RecurringSummary};
use crate::api::AppError;
use crate::domain::InvoiceId;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader};
use crate::ui::fields::{clear_field, field_error, FieldError, FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn RecurringPage() -> impl IntoView {
    let live = use_live_version();
    let list = Resource::new(move || live.get(), |_| list_recurring());
    view! {
        <Title text="Recurring invoices" />
        <PageHeader title="Recurring invoices">
            <A href="/invoices" attr:class="button secondary">"Invoices"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! {
                        <EmptyState title="No recurring invoices yet"
                            text="Open an invoice and choose “Repeat…” to send it again every week, month or year." />
                    }.into_any(),
                    Ok(items) => view! { <RecurringTable items /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn RecurringTable(items: Vec<RecurringSummary>) -> impl IntoView {
    view! {
        <p class="report-caption">"The server makes each invoice on its day, in the business's time zone; after a restart it makes any it missed, once."</p>
        <div class="table-card">
            <table class="list" data-testid="recurring-list">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Schedule"</th>
                        <th scope="col">"Next"</th>
                        <th scope="col" class="num">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|r| view! {
                        <tr>
                            <td class="primary-cell"><A href=format!("/recurring/{}", r.id)>{r.name}</A></td>
                            <td data-label="Customer">{r.customer_name}</td>
                            <td data-label="Schedule">{r.schedule}</td>
                            <td data-label="Next">{next_text(r.next, r.paused)}</td>
                            <td class="num" data-label="Amount"><Amount value=r.amount /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn next_text(next: Option<chrono::NaiveDate>, paused: bool) -> String {
    match (paused, next) {
        (true, _) => "Paused".into(),
        (false, Some(d)) => day(d),
        (false, None) => "Finished".into(),
    }
}

#[component]
pub fn RecurringDetailPage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let detail = Resource::new(move || (live.get(), id.get()), |(_, id)| get_recurring(id));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <RecurringView d /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn RecurringView(d: RecurringDetail) -> impl IntoView {
    let live = use_live_version();
    let s = d.summary.clone();
    let id = s.id;
    let paused = s.paused;
    let errors = RwSignal::new(None::<AppError>);
    let toggle = Action::new(move |pause: &bool| set_recurring_paused(id, *pause));
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let empty = d.runs.is_empty();
    view! {
        <Title text=s.name.clone() />
        <PageHeader title=s.name.clone()>
            <A href="/recurring" attr:class="button secondary">"All recurring"</A>
        </PageHeader>
        <section class="panel">
            <dl class="facts" data-testid="recurring-facts">
                <div><dt>"Customer"</dt><dd><A href=format!("/customers/{}", s.customer_id.0)>{s.customer_name.clone()}</A></dd></div>
                <div><dt>"Schedule"</dt><dd>{s.schedule.clone()}</dd></div>
                <div><dt>"From"</dt><dd>{day(s.start)}{s.end.map(|e| format!(" to {}", day(e)))}</dd></div>
                <div><dt>"Next invoice"</dt><dd data-testid="recurring-next">{next_text(s.next, s.paused)}</dd></div>
                <div><dt>"Amount"</dt><dd><Amount value=s.amount /></dd></div>
                <div><dt>"Due"</dt><dd>{format!("{} days after each invoice's date", s.terms_days)}</dd></div>
                <div><dt>"Each invoice is"</dt><dd>{if s.auto_issue { "issued at once" } else { "left as a draft to check and issue" }}</dd></div>
                <div><dt>"Lines"</dt><dd>{d.lines.join(", ")}</dd></div>
            </dl>
            <div class="action-bar">
                <button type="button" class="button secondary" disabled=move || toggle.pending().get()
                    on:click=move |_| { errors.set(None); toggle.dispatch(!paused); }>
                    {if paused { "Resume" } else { "Pause" }}
                </button>
                <div class="action-errors"><FormError errors /></div>
            </div>
            {paused.then(|| view! { <p class="muted">"Paused: nothing is made. Resuming starts from that day; the weeks or months in between are skipped."</p> })}
        </section>
        <section class="panel">
            <h2 class="section-title">"Invoices made"</h2>
            {empty.then(|| view! { <p class="empty-note">"None yet."</p> })}
            <ul class="plain-list" data-testid="recurring-runs" hidden=empty>
                {d.runs.into_iter().map(|r| view! {
                    <li>
                        {day(r.run_on)} " · "
                        {match (r.invoice, r.number) {
                            (Some(i), Some(n)) => view! { <A href=format!("/invoices/{}", i.0)>{n}</A> }.into_any(),
                            (Some(i), None) => view! { <A href=format!("/invoices/{}", i.0)>"Draft"</A> }.into_any(),
                            (None, _) => view! { <span class="muted">"Draft deleted"</span> }.into_any(),
                        }}
                        {(!r.note.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", r.note)}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Repeat an invoice: `/recurring/new?invoice=ID`.
#[component]
pub fn NewRecurringPage() -> impl IntoView {
    let query = use_query_map();
    let invoice = query
        .read_untracked()
        .get("invoice")
        .and_then(|v| v.parse::<i64>().ok())
        .map(InvoiceId);
    let today = chrono::Utc::now().date_naive();
    let name = RwSignal::new(String::new());
    let frequency = RwSignal::new("monthly".to_string());
    let day_of_month = RwSignal::new(chrono::Datelike::day(&today).to_string());
    let start = RwSignal::new(today.to_string());
    let end = RwSignal::new(String::new());
    let auto_issue = RwSignal::new(true);
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(move |form: &RecurringForm| create_recurring(form.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(id)) => navigate(&format!("/recurring/{id}"), Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch(RecurringForm {
            invoice_id: invoice,
            name: name.get_untracked(),
            frequency: frequency.get_untracked(),
            day_of_month: day_of_month.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
            auto_issue: auto_issue.get_untracked(),
        });
    };
    let frequency_error = field_error(errors, "frequency");
    view! {
        <Title text="Repeat an invoice" />
        <PageHeader title="Repeat an invoice" />
        <section class="panel">
            <p class="muted">
                "Each new invoice copies this one's customer, lines and notes, is dated on its day and falls due
                 as many days later as this one did."
                {invoice.map(|i| view! { " " <A href=format!("/invoices/{}", i.0)>"Back to the invoice"</A> })}
            </p>
            <form class="form" on:submit=submit novalidate>
                <TextField id="name" label="Name" value=name errors required=true hint="For example “Monthly retainer”." />
                <div class="field-row">
                    <div class="field">
                        <label for="frequency">"Repeat"</label>
                        <select id="frequency" bind:value=frequency on:change=move |_| clear_field(errors, "frequency")>
                            <option value="weekly">"Every week"</option>
                            <option value="monthly" selected=true>"Every month"</option>
                            <option value="yearly">"Every year"</option>
                        </select>
                        <FieldError id="frequency-error" error=frequency_error />
                    </div>
                    <Show when=move || frequency.get() == "monthly">
                        <TextField id="day_of_month" label="On day" value=day_of_month errors inputmode="numeric"
                            hint="1 to 31; 31 means the month's last day." />
                    </Show>
                </div>
                <div class="field-row">
                    <TextField id="start" label="First invoice on" value=start errors kind="date" required=true />
                    <TextField id="end" label="Last invoice on (optional)" value=end errors kind="date" />
                </div>
                <div class="checkbox-field">
                    <input id="auto_issue" type="checkbox" bind:checked=auto_issue />
                    <label for="auto_issue">"Issue each invoice at once (otherwise it waits as a draft)"</label>
                </div>
                <FormError errors />
                <div class="form-actions"><SubmitButton label="Start repeating" pending=action.pending() /></div>
            </form>
        </section>
    }
}
