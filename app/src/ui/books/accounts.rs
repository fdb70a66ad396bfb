//! The chart of accounts: every account by kind with today's balance and a link to its
//! register, a form to add one, and archiving for accounts no longer used.

use super::BooksNav;
use crate::api::accounts::{archive_account, list_accounts, save_account};
use crate::api::types::{AccountForm, AccountRow};
use crate::api::AppError;
use crate::domain::AccountKind;
use crate::ui::components::{load_error, Amount, Loading, PageHeader};
use crate::ui::fields::{use_hydrated, FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let live = use_live_version();
    let accounts = Resource::new(move || live.get(), |_| list_accounts());
    view! {
        <Title text="Chart of accounts" />
        <PageHeader title="Chart of accounts" />
        <BooksNav />
        <NewAccountForm />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(rows) => AccountKind::ALL.into_iter().map(|kind| {
                        let of_kind: Vec<AccountRow> = rows.iter().filter(|a| a.kind == kind).cloned().collect();
                        view! { <KindTable kind rows=of_kind /> }
                    }).collect_view().into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn KindTable(kind: AccountKind, rows: Vec<AccountRow>) -> impl IntoView {
    let sign = kind.natural_sign();
    view! {
        <h2 class="section-title">{format!("{} accounts", kind.label())}</h2>
        <div class="table-card">
            <table class="list accounts" data-testid=format!("accounts-{}", kind.as_str())>
                <thead><tr>
                    <th scope="col">"Account"</th>
                    <th scope="col" class="num">"Balance today"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|a| {
                        let balance = if sign < 0 { -a.balance } else { a.balance };
                        view! { <AccountLine a balance /> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AccountLine(a: AccountRow, balance: crate::domain::Money) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let archive =
        Action::new(|(code, archived): &(String, bool)| archive_account(code.clone(), *archived));
    Effect::new(move |_| {
        if let Some(Err(e)) = archive.value().get() {
            error.set(Some(e));
        }
    });
    let code = a.code.clone();
    let archived = a.archived;
    // Renaming and regrouping happen in place; code and kind never change once posted to.
    let editing = RwSignal::new(false);
    let name = RwSignal::new(a.name.clone());
    let parent = RwSignal::new(a.parent.clone().unwrap_or_default());
    let is_money = RwSignal::new(a.is_money);
    let save = Action::new(|form: &AccountForm| save_account(form.clone(), false));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => editing.set(false),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let (edit_code, edit_kind) = (a.code.clone(), a.kind.as_str().to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        save.dispatch(AccountForm {
            code: edit_code.clone(),
            name: name.get_untracked(),
            kind: edit_kind.clone(),
            parent: parent.get_untracked(),
            is_money: is_money.get_untracked(),
        });
    };
    let field = format!("edit-{}", a.code);
    view! {
        <tr class:muted=archived>
            <td class="primary-cell">
                <A href=format!("/books/accounts/{}", a.code)>
                    <span class="account-code">{a.code.clone()}</span> " " {a.name.clone()}
                </A>
                {a.parent.clone().map(|p| view! { <span class="muted">{format!(" · under {p}")}</span> })}
                {a.is_money.then(|| view! { <span class="kind-tag">"money"</span> })}
                {archived.then(|| view! { <span class="kind-tag">"archived"</span> })}
                <form class="form inline-form account-edit" hidden=move || !editing.get() on:submit=submit>
                    <div class="field">
                        <label for=format!("{field}-name")>"Name"</label>
                        <input id=format!("{field}-name") bind:value=name />
                    </div>
                    <div class="field">
                        <label for=format!("{field}-parent")>"Group under (code)"</label>
                        <input id=format!("{field}-parent") inputmode="numeric" bind:value=parent />
                    </div>
                    <div class="checkbox-field">
                        <input id=format!("{field}-money") type="checkbox" bind:checked=is_money />
                        <label for=format!("{field}-money")>"Money is paid from it"</label>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button primary small" disabled=move || save.pending().get()>"Save"</button>
                        <button type="button" class="button secondary small" on:click=move |_| editing.set(false)>"Cancel"</button>
                    </div>
                </form>
                <FormError errors=error also=&["code", "name", "parent", "is_money", "kind"] />
            </td>
            <td class="num" data-label="Balance today">
                {a.has_postings.then(|| view! { <Amount value=balance /> })}
            </td>
            <td class="actions-cell">
                <button type="button" class="button secondary small" hidden=move || editing.get()
                    on:click=move |_| editing.set(true)>"Edit"</button>
                " "
                {(!a.system).then(|| view! {
                    <button type="button" class="button secondary small"
                        on:click=move |_| { archive.dispatch((code.clone(), !archived)); }
                        disabled=move || archive.pending().get()>
                        {if archived { "Restore" } else { "Archive" }}
                    </button>
                })}
            </td>
        </tr>
    }
}

#[component]
fn NewAccountForm() -> impl IntoView {
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("expense".to_string());
    let parent = RwSignal::new(String::new());
    let is_money = RwSignal::new(false);
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(|form: &AccountForm| save_account(form.clone(), true));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            saved.set(true);
            code.set(String::new());
            name.set(String::new());
            parent.set(String::new());
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(false);
        action.dispatch(AccountForm {
            code: code.get_untracked(),
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            parent: parent.get_untracked(),
            is_money: is_money.get_untracked(),
        });
    };
    view! {
        <details class="panel disclosure">
            <summary>"Add an account"</summary>
            <form class="form" on:submit=submit novalidate>
                <fieldset disabled=move || !hydrated.get()>
                    <div class="field-row pair">
                        <TextField id="code" label="Code" value=code errors inputmode="numeric" required=true hint="Digits, e.g. 6150." />
                        <TextField id="name" label="Name" value=name errors required=true />
                    </div>
                    <div class="field-row pair">
                        <div class="field">
                            <label for="kind">"Kind"</label>
                            <select id="kind" bind:value=kind>
                                {AccountKind::ALL.into_iter().map(|k| view! {
                                    <option value=k.as_str() selected=k == AccountKind::Expense>{k.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <TextField id="parent" label="Group under (code)" value=parent errors inputmode="numeric"
                            hint="Optional: the code of an account of the same kind." />
                    </div>
                    <div class="checkbox-field">
                        <input id="is_money" type="checkbox" bind:checked=is_money />
                        <label for="is_money">"Money is paid from this account (bank, cash or card)"</label>
                    </div>
                    <FormError errors />
                    {move || saved.get().then(|| view! { <div class="banner banner-success" role="status"><p>"Account added."</p></div> })}
                    <div class="form-actions"><SubmitButton label="Add account" pending=action.pending() /></div>
                </fieldset>
            </form>
        </details>
    }
}
