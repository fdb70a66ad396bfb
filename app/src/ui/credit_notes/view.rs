//! One credit note as a document: its number, the invoice it credits, why, and what it takes
//! back per tax rate and revenue account.

use crate::api::credit_notes::{get_credit_note, CreditNoteDetail};
use crate::domain::CreditNoteId;
use crate::ui::components::{day, load_error, Amount, Loading};
use crate::ui::invoices::percent;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CreditNotePage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(CreditNoteId)
    });
    let note = Resource::new(
        move || (live.get(), id.get()),
        |(_, id)| async move {
            match id {
                Some(id) => get_credit_note(id).await,
                None => Err(crate::api::AppError::NotFound("The credit note".into())),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match note.await {
                    Ok(detail) => view! { <CreditNoteDocument detail /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn CreditNoteDocument(detail: CreditNoteDetail) -> impl IntoView {
    let s = detail.summary.clone();
    let title = format!("Credit note {}", s.number);
    let rows: Vec<_> = detail
        .composition
        .rates
        .iter()
        .flat_map(|r| {
            r.nets
                .iter()
                .map(move |(account, net)| (r.rate, account.0.clone(), *net))
        })
        .collect();
    view! {
        <Title text=title.clone() />
        <header class="page-header">
            <h1>{title}</h1>
            <div class="page-actions no-print">
                <A href=format!("/invoices/{}", s.invoice_id) attr:class="button secondary">"Open the invoice"</A>
                <a class="button ghost" href=format!("/credit-notes/{}/ubl", s.id) rel="external" download
                    title="UBL 2.1 credit note (Peppol BIS Billing 3.0, EN 16931)">"E-credit note (UBL)"</a>
            </div>
        </header>
        <article class="panel invoice-doc" aria-label="Credit note">
            <div class="doc-top">
                <div class="doc-party">
                    <h2 class="eyebrow">"Credited to"</h2>
                    <p class="party-name">
                        <A href=format!("/customers/{}", s.customer_id)>{s.customer_name.clone()}</A>
                    </p>
                </div>
                <dl class="doc-meta">
                    <div><dt>"Credit note number"</dt><dd>{s.number.clone()}</dd></div>
                    <div><dt>"Date"</dt><dd>{day(s.date)}</dd></div>
                    <div>
                        <dt>"Credits invoice"</dt>
                        <dd><A href=format!("/invoices/{}", s.invoice_id)>{s.invoice_number.clone()}</A></dd>
                    </div>
                </dl>
            </div>
            <div class="doc-notes"><h2 class="eyebrow">"Reason"</h2><p>{s.reason.clone()}</p></div>
            <table class="list lines-table">
                <thead>
                    <tr>
                        <th scope="col">"Revenue account"</th>
                        <th scope="col" class="num">"Tax rate"</th>
                        <th scope="col" class="num">"Net"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().filter(|(_, _, net)| !net.is_zero()).map(|(rate, account, net)| view! {
                        <tr>
                            <td class="primary-cell">{account}</td>
                            <td data-label="Tax rate" class="num">{percent(rate)}</td>
                            <td data-label="Net" class="num wide-cell"><Amount value=net /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="totals">
                <div><dt>"Net"</dt><dd><Amount value=s.net /></dd></div>
                {detail.composition.rates.iter().filter(|r| !r.gross().is_zero()).map(|r| view! {
                    <div class="tax-row">
                        <dt>{format!("Tax {} on {}", percent(r.rate), r.net())}</dt>
                        <dd><Amount value=r.tax /></dd>
                    </div>
                }).collect_view()}
                <div class="grand"><dt>"Credited"</dt><dd data-testid="credit-total"><Amount value=s.total /></dd></div>
                <div><dt>"Invoice total"</dt><dd><Amount value=detail.invoice_total /></dd></div>
                <div class="due"><dt>"Still due on the invoice"</dt><dd><Amount value=detail.invoice_open /></dd></div>
            </dl>
        </article>
    }
}
