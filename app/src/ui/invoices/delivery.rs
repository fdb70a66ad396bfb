//! Getting an issued invoice to the customer: its private link (create, copy, revoke, and
//! whether the customer has opened it), emailing it, and the log of emails sent.

use crate::api::email::{
    email_invoice, get_invoice_email, list_invoice_deliveries, DeliveryView, EmailDraft, EmailForm,
};
use crate::api::invoice_links::{create_invoice_link, get_invoice_link, revoke_invoice_link};
use crate::api::AppError;
use crate::domain::InvoiceId;
use crate::ui::fields::{FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use crate::ui::settings::TextArea;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum LinkChange {
    Create,
    Revoke,
}

/// The invoice's private link: the address to send the customer, or a button to make one.
#[component]
pub fn PrivateLink(id: InvoiceId) -> impl IntoView {
    let live = use_live_version();
    // Not keyed on the live version (the invoice page rebuilds this part on every change).
    let link = Resource::new(|| (), move |_| get_invoice_link(id));
    let errors = RwSignal::new(None::<AppError>);
    let change = Action::new(move |what: &LinkChange| {
        let what = *what;
        async move {
            match what {
                LinkChange::Create => create_invoice_link(id).await.map(|_| ()),
                LinkChange::Revoke => revoke_invoice_link(id).await,
            }
        }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    // The page's own origin is known only in the browser; the server renders the path alone.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(crate::ui::browser::origin()));
    let busy = move || change.pending().get();
    let run = move |what: LinkChange| {
        errors.set(None);
        change.dispatch(what);
    };
    view! {
        <section class="panel delivery no-print" aria-labelledby="private-link-heading">
            <h2 id="private-link-heading">"Private link"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(Some(link)) => {
                            let path = link.path.clone();
                            let address = move || format!("{}{}", origin.get(), path);
                            view! {
                                <p class="muted">
                                    "Anyone with this address sees this invoice, its balance and how to pay, and nothing else. Revoke it to stop it working."
                                </p>
                                <div class="delivery-link">
                                    <input type="text" readonly aria-label="Private link address" prop:value=address />
                                    <a class="button secondary" href=link.path.clone() target="_blank" rel="external noreferrer">"Open"</a>
                                    <button type="button" class="button danger-outline" disabled=busy
                                        on:click=move |_| run(LinkChange::Revoke)>"Revoke link"</button>
                                </div>
                                <p data-testid="link-views">{link.viewed_note.clone()}</p>
                            }.into_any()
                        }
                        Ok(None) => view! {
                            <p class="muted">
                                "Give the customer an address where they can see this invoice, its balance and how to pay, without signing in."
                            </p>
                            <div>
                                <button type="button" class="button secondary" disabled=busy
                                    on:click=move |_| run(LinkChange::Create)>"Create private link"</button>
                            </div>
                        }.into_any(),
                        Err(e) => crate::ui::components::load_error(e),
                    }
                })}
            </Transition>
            <FormError errors />
        </section>
    }
}

/// "Email invoice": a form prefilled for the customer, sent with the PDF attached (and the
/// private link, when there is one); below it, every email sent or tried.
#[component]
pub fn EmailInvoice(id: InvoiceId) -> impl IntoView {
    let live = use_live_version();
    let open = RwSignal::new(false);
    let sent_to = RwSignal::new(None::<String>);
    let log = Resource::new(|| (), move |_| list_invoice_deliveries(id));
    view! {
        <section class="panel delivery no-print" aria-labelledby="email-heading">
            <h2 id="email-heading">"Email"</h2>
            {move || sent_to.get().map(|to| view! {
                <p class="banner banner-success" role="status">{format!("Sent to {to}.")}</p>
            })}
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <div>
                        <button type="button" class="button secondary"
                            on:click=move |_| { sent_to.set(None); open.set(true); }>"Email invoice"</button>
                    </div>
                }
            >
                <EmailForm id on_sent=Callback::new(move |to: String| {
                    open.set(false);
                    sent_to.set(Some(to));
                    live.update(|v| *v += 1);
                }) on_cancel=Callback::new(move |_| open.set(false)) />
            </Show>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = log.await.unwrap_or_default();
                    (!rows.is_empty()).then(|| view! { <DeliveryLog rows /> })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EmailForm(id: InvoiceId, on_sent: Callback<String>, on_cancel: Callback<()>) -> impl IntoView {
    let draft = Resource::new(|| (), move |_| get_invoice_email(id));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(draft) if !draft.configured => view! {
                        <p class="banner banner-info" role="status">
                            "Sending email is not set up yet: the owner fills in the mail server under "
                            <a href="/settings">"Settings"</a>"."
                        </p>
                    }.into_any(),
                    Ok(draft) => view! { <EmailFields id draft on_sent on_cancel /> }.into_any(),
                    Err(e) => crate::ui::components::load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmailFields(
    id: InvoiceId,
    draft: EmailDraft,
    on_sent: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let to = RwSignal::new(draft.to.clone());
    let subject = RwSignal::new(draft.subject.clone());
    let message = RwSignal::new(draft.message.clone());
    let errors = RwSignal::new(None::<AppError>);
    let send = Action::new(|form: &EmailForm| email_invoice(form.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(())) => on_sent.run(to.get_untracked()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        send.dispatch(EmailForm {
            invoice_id: id,
            to: to.get_untracked(),
            subject: subject.get_untracked(),
            message: message.get_untracked(),
        });
    };
    let hint = if draft.has_link {
        "The PDF is attached, and the private link is added below the message."
    } else {
        "The PDF is attached. Create a private link first to add it below the message."
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <TextField id="email-to" label="To" value=to errors kind="email" required=true />
            <TextField id="email-subject" label="Subject" value=subject errors required=true />
            <TextArea id="email-message" label="Message" value=message errors rows=8 hint />
            <FormError errors also=&["to", "subject", "message"] />
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                <SubmitButton label="Send email" pending=send.pending() />
            </div>
        </form>
    }
}

#[component]
fn DeliveryLog(rows: Vec<DeliveryView>) -> impl IntoView {
    view! {
        <table class="list delivery-log">
            <caption class="eyebrow">"Sent from Settle"</caption>
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"To"</th>
                    <th scope="col">"Subject"</th>
                    <th scope="col">"Outcome"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td class="primary-cell">{row.sent_at}</td>
                        <td data-label="To" class="wide-cell">{row.recipient}</td>
                        <td data-label="Subject" class="wide-cell">{row.subject}</td>
                        <td data-label="Outcome" class="wide-cell">
                            {if row.sent {
                                view! { <span class="badge badge-paid">"sent"</span> }.into_any()
                            } else {
                                view! {
                                    <span class="badge badge-overdue">"failed"</span>
                                    <span class="delivery-error">{row.error}</span>
                                }.into_any()
                            }}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
