//! The reconciliation panel: the bank's closing balance against the books at a date, what is
//! not reconciled on either side, and marking the lines reconciled.

use crate::api::bank::{get_reconciliation, reconcile_bank_account};
use crate::api::bank_types::ReconciliationView;
use crate::ui::components::{day, load_error, Amount, ErrorBanner, Loading};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_router::components::A;

/// How many book entries without a statement line the page lists.
const BOOK_ONLY_SHOWN: usize = 100;
#[component]
pub fn ReconcilePanel(account_id: Memo<i64>) -> impl IntoView {
    let live = use_live_version();
    let as_of = RwSignal::new(String::new());
    let reconcile =
        Action::new(|(id, date): &(i64, String)| reconcile_bank_account(*id, date.clone()));
    let view_data = Resource::new(
        move || {
            (
                live.get(),
                account_id.get(),
                as_of.get(),
                reconcile.version().get(),
            )
        },
        |(_, id, date, _)| get_reconciliation(id, date),
    );
    view! {
        <section class="panel bank-reconcile" aria-labelledby="reconcile-title">
            <h2 id="reconcile-title" class="section-title">"Reconcile"</h2>
            <div class="field">
                <label for="reconcile_as_of">"Balances at (empty: today)"</label>
                <input id="reconcile_as_of" type="date" bind:value=as_of />
            </div>
            {move || reconcile.value().get().map(|r| match r {
                Ok(n) => view! { <div class="banner banner-success" role="status">{format!("{n} lines reconciled and locked.")}</div> }.into_any(),
                Err(e) => view! { <ErrorBanner message=e.to_string() /> }.into_any(),
            })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(v) => view! { <Figures v /> }.into_any(),
                        Err(e) => load_error(e),
                    }
                })}
            </Transition>
            <div class="form-actions">
                <button type="button" class="button secondary" disabled=move || reconcile.pending().get()
                    on:click=move |_| { reconcile.dispatch((account_id.get_untracked(), as_of.get_untracked())); }>
                    "Mark reconciled"
                </button>
            </div>
        </section>
    }
}

#[component]
fn Figures(v: ReconciliationView) -> impl IntoView {
    let agrees = v.difference.is_some_and(|d| d.is_zero());
    view! {
        <dl class="facts" data-testid="reconciliation">
            <div>
                <dt>{match v.statement_date { Some(d) => format!("Statement balance ({})", day(d)), None => "Statement balance".into() }}</dt>
                <dd>{match v.statement_balance { Some(m) => view! { <Amount value=m /> }.into_any(), None => "no statement states one yet".into_any() }}</dd>
            </div>
            <div>
                <dt>{format!("Book balance ({})", day(v.as_of))}</dt>
                <dd><Amount value=v.book_balance /></dd>
            </div>
            <div>
                <dt>"Difference"</dt>
                <dd class:strong=!agrees>{match v.difference { Some(d) => view! { <Amount value=d /> }.into_any(), None => "–".into_any() }}</dd>
            </div>
            <div>
                <dt>"Lines still to settle"</dt>
                <dd>{format!("{} ({})", v.unsettled_lines, v.unsettled_amount)}</dd>
            </div>
            <div>
                <dt>"Reconciled through"</dt>
                <dd>{v.reconciled_through.map(day).unwrap_or_else(|| "never".into())}</dd>
            </div>
        </dl>
        {(!v.book_only.is_empty()).then(|| {
            // Folded away: before a first import, every entry of the account is here.
            let count = v.book_only.len();
            let hidden = count.saturating_sub(BOOK_ONLY_SHOWN);
            view! {
                <details class="book-only">
                    <summary>{format!("In the books, not on any imported statement ({count})")}</summary>
                    <ul class="plain-list">
                        {v.book_only.into_iter().take(BOOK_ONLY_SHOWN).map(|b| view! {
                            <li>
                                <A href=format!("/books/journal/{}", b.entry_id)>{format!("{} {}", day(b.date), b.memo)}</A>
                                " "
                                <Amount value=b.amount />
                            </li>
                        }).collect_view()}
                    </ul>
                    {(hidden > 0).then(|| view! {
                        <p class="muted">{format!("and {hidden} more; the account's register lists them all.")}</p>
                    })}
                </details>
            }
        })}
    }
}
