//! `/settings/bank-accounts`: the accounts money arrives in, each its own ledger account;
//! open a new one (name and optional IBAN) or archive one no longer used.

use crate::api::bank_accounts::{archive_bank_account, create_bank_account, list_bank_accounts};
use crate::api::types::BankAccount;
use crate::api::AppError;
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::fields::{FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn BankAccountsPage() -> impl IntoView {
    let live = use_live_version();
    let accounts = Resource::new(move || live.get(), |_| list_bank_accounts());
    view! {
        <Title text="Bank accounts" />
        <PageHeader title="Bank accounts">
            <A href="/settings" attr:class="button ghost">"Settings"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => view! { <BankAccountList list /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
        <NewBankAccount />
    }
}

#[component]
fn BankAccountList(list: Vec<BankAccount>) -> impl IntoView {
    let live = use_live_version();
    let errors = RwSignal::new(None::<AppError>);
    let archive = Action::new(|id: &i64| archive_bank_account(*id));
    Effect::new(move |_| match archive.value().get() {
        Some(Ok(())) => live.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let open = list.iter().filter(|b| !b.archived).count();
    view! {
        <div class="table-card">
            <table class="list bank-accounts">
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Ledger account"</th>
                    <th scope="col">"IBAN"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|b| {
                        let id = b.id;
                        view! {
                            <tr>
                                <td class="primary-cell">{b.name.clone()}{b.archived.then_some(" (archived)")}</td>
                                <td data-label="Ledger account" class="wide-cell">
                                    <A href=format!("/books/accounts/{}", b.account_code)>{b.account_code.clone()}</A>
                                </td>
                                <td data-label="IBAN" class="wide-cell">{b.iban.clone()}</td>
                                <td class="wide-cell">
                                    {(!b.archived && open > 1).then(|| view! {
                                        <button type="button" class="button ghost small"
                                            disabled=move || archive.pending().get()
                                            on:click=move |_| { errors.set(None); archive.dispatch(id); }>
                                            {format!("Archive {}", b.name)}
                                        </button>
                                    })}
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
fn NewBankAccount() -> impl IntoView {
    let live = use_live_version();
    let name = RwSignal::new(String::new());
    let iban = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(|(name, iban): &(String, String)| {
        create_bank_account(name.clone(), iban.clone())
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            iban.set(String::new());
            live.update(|v| *v += 1);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch((name.get_untracked(), iban.get_untracked()));
    };
    view! {
        <form class="form panel" on:submit=submit novalidate aria-labelledby="new-bank-account">
            <h2 id="new-bank-account">"Add a bank account"</h2>
            <div class="field-row pair">
                <TextField id="name" label="Name" value=name errors required=true
                    hint="As you call it, e.g. \"Card takings\"." />
                <TextField id="iban" label="IBAN" value=iban errors autocomplete="off" hint="Optional." />
            </div>
            <FormError errors />
            <div class="form-actions">
                <SubmitButton label="Add bank account" pending=action.pending() />
            </div>
        </form>
    }
}
