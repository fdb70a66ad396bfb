//! Payments and new draft invoices written while offline. One whose request cannot reach the
//! server is kept on the device (in local storage) with its key (a payment's idempotency key,
//! a draft's request key) and shown as "waiting to sync"; when the connection returns it is
//! sent again with the same key, so the server records it exactly once even if the first
//! request did arrive. One the server refuses (the invoice was paid or voided meanwhile, the
//! customer archived) stays listed with the reason until the person discards it: nothing is
//! dropped silently or sent twice.

use crate::api::types::{DraftForm, PaymentForm};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The local storage key of the queue.
#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "settle-outbox";

/// One payment or new draft invoice kept on the device: exactly one of `form` and `draft`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    /// A payment (queues written before drafts could wait hold only these).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<PaymentForm>,
    /// A new draft invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<DraftForm>,
    /// "120.00 GBP from Harbor Cafe", "Draft invoice for Harbor Cafe", for the list.
    pub label: String,
    /// Set when the server refused it: its reason.
    pub refused: Option<String>,
}

/// The queue and what the last sync did, shared by the layout and the payment form.
#[derive(Clone, Copy)]
pub struct Outbox {
    items: RwSignal<Vec<Queued>>,
    /// Labels of payments the last sync recorded, for a short confirmation.
    synced: RwSignal<Vec<String>>,
    syncing: RwSignal<bool>,
}

/// Makes the outbox available to every page; called once, in the layout.
pub fn provide_outbox() -> Outbox {
    let outbox = Outbox {
        items: RwSignal::new(Vec::new()),
        synced: RwSignal::new(Vec::new()),
        syncing: RwSignal::new(false),
    };
    provide_context(outbox);
    outbox
}

pub fn use_outbox() -> Option<Outbox> {
    use_context::<Outbox>()
}

impl Queued {
    /// The key it is sent with, which also tells it apart in the queue.
    fn key(&self) -> &str {
        match (&self.form, &self.draft) {
            (Some(form), _) => &form.idempotency_key,
            (None, Some(draft)) => &draft.request_key,
            (None, None) => "",
        }
    }
}

impl Outbox {
    /// Keeps a payment that could not be sent. The same key twice is kept once.
    pub fn enqueue(self, form: PaymentForm, label: String) {
        self.change(|items| {
            if !items.iter().any(|q| q.key() == form.idempotency_key) {
                items.push(Queued {
                    form: Some(form),
                    draft: None,
                    label,
                    refused: None,
                });
            }
        });
    }

    /// Keeps a new draft invoice that could not be sent; saving it again offline keeps the
    /// latest version under the same key.
    pub fn enqueue_draft(self, draft: DraftForm, label: String) {
        self.change(|items| {
            items.retain(|q| q.key() != draft.request_key);
            items.push(Queued {
                form: None,
                draft: Some(draft),
                label,
                refused: None,
            });
        });
    }

    fn discard(self, key: &str) {
        self.change(|items| items.retain(|q| q.key() != key));
    }

    /// Changes the queue as this device holds it now: another tab may have added to it since
    /// this page last read it, and its additions must not be written over.
    fn change(self, work: impl FnOnce(&mut Vec<Queued>)) {
        #[cfg(feature = "hydrate")]
        self.load();
        self.items.update(work);
        self.save();
    }

    #[cfg(feature = "hydrate")]
    fn save(self) {
        if let Some(storage) = storage() {
            let text = serde_json::to_string(&self.items.get_untracked()).unwrap_or_default();
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
    }

    #[cfg(not(feature = "hydrate"))]
    fn save(self) {}

    #[cfg(feature = "hydrate")]
    fn load(self) {
        let items: Vec<Queued> = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        self.items.set(items);
    }

    /// Sends every waiting payment, one after the other, with its own key. Stops at the first
    /// that cannot reach the server (still offline); a refusal is kept with its reason.
    #[cfg(feature = "hydrate")]
    async fn sync(self, live: RwSignal<u64>) {
        if self.syncing.get_untracked() {
            return;
        }
        self.syncing.set(true);
        let waiting: Vec<Queued> = self
            .items
            .get_untracked()
            .into_iter()
            .filter(|q| q.refused.is_none())
            .collect();
        let mut recorded = Vec::new();
        for queued in waiting {
            let key = queued.key().to_string();
            let label = queued.label.clone();
            match send_queued(queued).await.unwrap_or(Sent::Unreachable) {
                Sent::Recorded => {
                    self.discard(&key);
                    recorded.push(label);
                }
                Sent::Unreachable => break,
                Sent::Refused(why) => {
                    self.change(|items| {
                        if let Some(q) = items.iter_mut().find(|q| q.key() == key) {
                            q.refused = Some(why);
                        }
                    });
                }
            }
        }
        if !recorded.is_empty() {
            self.synced.set(recorded);
            live.update(|v| *v += 1);
        }
        self.syncing.set(false);
    }
}

/// What became of one queued payment or draft when it was sent.
#[cfg(feature = "hydrate")]
enum Sent {
    Recorded,
    /// The server could not be reached: still offline.
    Unreachable,
    /// Refused, with what to tell the person.
    Refused(String),
}

/// Sends one queued payment or draft with its own key and, when the server refuses it, works
/// out why. Its code (the server calls, and reading the invoices behind an explanation) is a
/// wasm piece of its own, fetched the first time something waits to be sent.
///
/// `fallible`: sync runs exactly when the connection comes and goes, so the piece may not be
/// fetchable; that is "still offline", never a panic.
#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(
    outbox_sender,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    return_wrapper(let sending = _; { Ok(sending?.await) } -> Result<Sent, leptos::wasm_split::SplitLoaderError>)
)]
fn send_queued(queued: Queued) -> Result<Sending, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(send(queued)))
}

/// The sending itself, as `send_queued` hands it back.
#[cfg(feature = "hydrate")]
type Sending = std::pin::Pin<Box<dyn std::future::Future<Output = Sent>>>;

#[cfg(feature = "hydrate")]
async fn send(queued: Queued) -> Sent {
    use crate::api::AppError;
    let sent = match (&queued.form, &queued.draft) {
        (Some(form), _) => crate::api::payments::record_payment(form.clone())
            .await
            .map(|_| ()),
        (None, Some(draft)) => crate::api::invoices::save_draft(draft.clone())
            .await
            .map(|_| ()),
        (None, None) => Ok(()),
    };
    match sent {
        Ok(()) => Sent::Recorded,
        Err(AppError::Transport(_)) => Sent::Unreachable,
        Err(refused) => Sent::Refused(match &queued.form {
            Some(form) => explain(form, &refused).await,
            None => refusal_text(&[], &refused.to_string()),
        }),
    }
}

/// What became of an invoice the payment was for, when that is why it was refused: the
/// person reads "invoice INV-2026-0007 was voided meanwhile", not only the server's rule.
#[cfg(any(feature = "hydrate", test))]
fn what_happened(number: &str, status: crate::domain::InvoiceStatus) -> Option<String> {
    use crate::domain::InvoiceStatus;
    let happened = match status {
        InvoiceStatus::Void => "was voided meanwhile",
        InvoiceStatus::Paid => "was paid in full meanwhile",
        InvoiceStatus::Credited => "was settled by a credit note meanwhile",
        InvoiceStatus::WrittenOff => "was written off meanwhile",
        _ => return None,
    };
    Some(format!("invoice {number} {happened}"))
}

/// The reason shown for a refused payment: what happened to the invoices it was for, if
/// anything did, then the server's own words.
#[cfg(feature = "hydrate")]
async fn explain(form: &PaymentForm, refused: &crate::api::AppError) -> String {
    let mut happened = Vec::new();
    for (invoice, _) in &form.allocations {
        if let Ok(detail) = crate::api::invoices::get_invoice(*invoice).await {
            let number = detail
                .summary
                .number
                .clone()
                .unwrap_or_else(|| format!("#{}", invoice.0));
            happened.extend(what_happened(&number, detail.summary.status));
        }
    }
    refusal_text(&happened, &refused.to_string())
}

#[cfg(any(feature = "hydrate", test))]
fn refusal_text(happened: &[String], server: &str) -> String {
    if happened.is_empty() {
        format!("The server refused it: {server}")
    } else {
        let mut text = happened.join("; ");
        if let Some(first) = text.get(..1) {
            text = first.to_uppercase() + &text[1..];
        }
        format!("{text}, so nothing was recorded (the server said: {server})")
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The list of payments kept on this device, above every page while there are any.
#[component]
pub fn OutboxPanel(outbox: Outbox) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let live = super::live::use_live_version();
        // After hydration: the server renders no queue (it cannot see this device's).
        Effect::new(move |_| {
            outbox.load();
            start_syncing(outbox, live);
        });
    }
    view! {
        {move || {
            let items = outbox.items.get();
            (!items.is_empty()).then(|| {
                let heading = heading(&items);
                let waiting = items.iter().filter(|q| q.refused.is_none()).count();
                let heading = if outbox.syncing.get() && waiting > 0 {
                    format!("{heading} (sending…)")
                } else {
                    heading
                };
                view! {
                    <section class="outbox panel" aria-live="polite" data-testid="outbox">
                        <h2>{heading}</h2>
                        <ul>
                            {items.into_iter().map(|q| view! { <QueuedRow queued=q outbox /> }).collect_view()}
                        </ul>
                    </section>
                }
            })
        }}
        {move || {
            let synced = outbox.synced.get();
            (!synced.is_empty()).then(|| view! {
                <div class="banner banner-success outbox-synced" role="status" data-testid="outbox-synced">
                    <p>{format!("Synced: {} recorded.", synced.join("; "))}</p>
                    <button type="button" class="button secondary small" on:click=move |_| outbox.synced.set(Vec::new())>
                        "Dismiss"
                    </button>
                </div>
            })
        }}
    }
}

/// "1 payment waiting to sync", "2 payments and 1 draft invoice waiting to sync", or, when
/// nothing waits, what was not recorded.
fn heading(items: &[Queued]) -> String {
    let count = |drafts: bool| {
        items
            .iter()
            .filter(|q| q.refused.is_none() && q.draft.is_some() == drafts)
            .count()
    };
    let (payments, drafts) = (count(false), count(true));
    let mut parts = Vec::new();
    match payments {
        0 => {}
        1 => parts.push("1 payment".to_string()),
        n => parts.push(format!("{n} payments")),
    }
    match drafts {
        0 => {}
        1 => parts.push("1 draft invoice".to_string()),
        n => parts.push(format!("{n} draft invoices")),
    }
    if parts.is_empty() {
        if items.iter().all(|q| q.draft.is_none()) {
            "Payments not recorded".to_string()
        } else {
            "Not recorded".to_string()
        }
    } else {
        format!("{} waiting to sync", parts.join(" and "))
    }
}

#[component]
fn QueuedRow(queued: Queued, outbox: Outbox) -> impl IntoView {
    let key = queued.key().to_string();
    let state = match &queued.refused {
        None => {
            view! { <span class="badge badge-partially-paid">"Waiting to sync"</span> }.into_any()
        }
        Some(_) => view! { <span class="badge badge-overdue">"Not recorded"</span> }.into_any(),
    };
    let refused = queued.refused.clone();
    view! {
        <li class="outbox-item">
            <div class="outbox-line">
                <strong>{queued.label}</strong>
                {state}
            </div>
            {refused.map(|why| {
                let key = key.clone();
                view! {
                    <p class="outbox-reason">{why}</p>
                    <button type="button" class="button secondary small"
                        on:click=move |_| outbox.discard(&key)>
                        "Discard"
                    </button>
                }
            })}
        </li>
    }
}

/// Syncs now, whenever the browser comes back online, and every 20 seconds while payments
/// wait (a server that was down answers again without any online event).
#[cfg(feature = "hydrate")]
fn start_syncing(outbox: Outbox, live: RwSignal<u64>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let kick = move || {
        if outbox
            .items
            .with_untracked(|items| items.iter().any(|q| q.refused.is_none()))
        {
            leptos::task::spawn_local(outbox.sync(live));
        }
    };
    kick();
    let Some(window) = web_sys::window() else {
        return;
    };
    // Another tab queued, sent or discarded a payment: show the queue as it is now.
    let on_storage =
        Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |event: wasm_bindgen::JsValue| {
            let key = js_sys::Reflect::get(&event, &"key".into())
                .ok()
                .and_then(|k| k.as_string());
            if key.as_deref() == Some(STORAGE_KEY) {
                outbox.load();
            }
        });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
    let on_online = Closure::<dyn FnMut()>::new(kick);
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        on_online.as_ref().unchecked_ref(),
        20_000,
    );
    // Both live as long as the page does.
    on_online.forget();
}

#[cfg(test)]
mod tests {
    use super::{heading, refusal_text, what_happened, Queued};
    use crate::domain::InvoiceStatus;

    #[test]
    fn the_heading_counts_what_waits_by_kind() {
        let payment = |refused: Option<&str>| Queued {
            form: Some(Default::default()),
            draft: None,
            label: String::new(),
            refused: refused.map(str::to_string),
        };
        let draft = Queued {
            form: None,
            draft: Some(Default::default()),
            label: String::new(),
            refused: None,
        };
        assert_eq!(heading(&[payment(None)]), "1 payment waiting to sync");
        assert_eq!(
            heading(&[payment(None), payment(None), draft.clone()]),
            "2 payments and 1 draft invoice waiting to sync"
        );
        assert_eq!(heading(&[payment(Some("no"))]), "Payments not recorded");
    }

    #[test]
    fn a_stored_queue_from_before_drafts_still_reads() {
        let old = r#"[{"form":{"customer_id":1,"amount":"10.00","received_on":"2026-03-02","method":"BankTransfer","reference":"","allocations":[],"keep_excess_as_credit":false,"idempotency_key":"k1"},"label":"10.00 GBP","refused":null}]"#;
        let items: Vec<Queued> = serde_json::from_str(old).unwrap();
        assert_eq!(items[0].key(), "k1");
        assert!(items[0].draft.is_none());
    }

    #[test]
    fn a_refusal_says_what_became_of_the_invoice() {
        assert_eq!(
            what_happened("INV-2026-0007", InvoiceStatus::Void).as_deref(),
            Some("invoice INV-2026-0007 was voided meanwhile")
        );
        assert_eq!(
            what_happened("INV-2026-0008", InvoiceStatus::Paid).as_deref(),
            Some("invoice INV-2026-0008 was paid in full meanwhile")
        );
        assert_eq!(what_happened("INV-1", InvoiceStatus::PartiallyPaid), None);
        assert_eq!(
            refusal_text(&["invoice INV-1 was voided meanwhile".into()], "not open"),
            "Invoice INV-1 was voided meanwhile, so nothing was recorded (the server said: not open)"
        );
        assert_eq!(
            refusal_text(&[], "only 0.00 is open"),
            "The server refused it: only 0.00 is open"
        );
    }
}
