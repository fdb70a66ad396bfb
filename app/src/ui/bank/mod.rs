//! `/bank`: import a bank statement (upload, preview, import) and work through its lines
//! (confirm a proposed match, book to an account, ignore), and reconcile the account.

mod file;
mod lines;
mod preview;
mod reconcile;

use crate::api::bank::list_bank_import_accounts;
use crate::ui::components::{load_error, Loading, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BankPage() -> impl IntoView {
    let accounts = Resource::new(|| (), |_| list_bank_import_accounts());
    // The first bank account ("Bank", 1000) until another is chosen.
    let chosen = RwSignal::new("1".to_string());
    let account_id = Memo::new(move |_| chosen.get().parse::<i64>().unwrap_or(1));
    view! {
        <Title text="Bank statements" />
        <PageHeader title="Bank statements" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => view! {
                        <section class="panel bank-choose">
                            <div class="field">
                                <label for="bank_account">"Bank account"</label>
                                <select id="bank_account" bind:value=chosen>
                                    {list.into_iter().map(|a| view! {
                                        <option value=a.id.to_string()>{format!("{} ({})", a.name, a.account_code)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </section>
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
        <preview::ImportPanel account_id />
        <lines::LinesPanel account_id />
        <reconcile::ReconcilePanel account_id />
    }
}
