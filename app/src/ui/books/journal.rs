//! Manual journal entries: the list, a form that refuses an entry that does not balance, each
//! entry with its postings and a reversal, and the period lock and year-end close.

use super::BooksNav;
use crate::api::books::{
    close_year, get_books_settings, get_journal_entry, list_journal, lock_books,
    post_journal_entry, reverse_journal_entry,
};
use crate::api::types::{BooksSettings, JournalEntryView, JournalForm};
use crate::api::AppError;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader, Pager};
use crate::ui::fields::{use_hydrated, FormError, SubmitButton, TextField};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn JournalPage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    });
    let entries = Resource::new(move || (live.get(), page.get()), |(_, p)| list_journal(p));
    // Not tied to live updates: refetching would rebuild the forms and drop what was typed.
    let settings = Resource::new(|| (), |_| get_books_settings());
    view! {
        <Title text="Journal" />
        <PageHeader title="Journal" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! { <NewEntryForm settings=s.clone() /> <LockPanel settings=s /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
        <h2 class="section-title">"Manual entries"</h2>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(p) if p.items.is_empty() => view! {
                        <EmptyState title="No manual entries" text="Opening balances, depreciation and owner drawings are recorded here." />
                    }.into_any(),
                    Ok(p) => {
                        let (page, pages, total) = (p.page, p.pages(), p.total);
                        view! {
                            <div class="entry-list">
                                {p.items.into_iter().map(|e| view! { <EntryCard entry=e /> }).collect_view()}
                            </div>
                            <Pager page pages total href=|p| format!("/books/journal?page={p}") />
                        }.into_any()
                    }
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// One entry and its postings; manual entries not yet reversed offer a reversal.
#[component]
fn EntryCard(entry: JournalEntryView) -> impl IntoView {
    let reverse = Action::new(|id: &i64| reverse_journal_entry(*id, String::new()));
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        if let Some(Err(e)) = reverse.value().get() {
            error.set(Some(e));
        }
    });
    let reversible =
        entry.source == "journal" && entry.reversed_by.is_none() && entry.reverses.is_none();
    let id = entry.id;
    // Reversing posts an entry that cannot be undone, so it takes a second, explicit press.
    let confirming = RwSignal::new(false);
    view! {
        <section class="panel entry-card" data-testid="journal-entry">
            <header class="entry-head">
                <div>
                    <h3><A href=format!("/books/journal/{id}")>{entry.memo.clone()}</A></h3>
                    <p class="muted">{format!("{} · entry {}", day(entry.date), entry.id)}
                        {entry.reverses.map(|r| format!(" · reverses entry {r}"))}
                        {entry.reversed_by.map(|r| format!(" · reversed by entry {r}"))}
                    </p>
                </div>
                {reversible.then(|| view! {
                    <div class="entry-actions">
                        <button type="button" class="button secondary small" hidden=move || confirming.get()
                            on:click=move |_| confirming.set(true)>"Reverse"</button>
                        <span hidden=move || !confirming.get()>
                            <button type="button" class="button danger small" on:click=move |_| { reverse.dispatch(id); }
                                disabled=move || reverse.pending().get()>"Post the reversal today"</button>
                            " "
                            <button type="button" class="button secondary small" on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </span>
                    </div>
                })}
            </header>
            <PostingsTable postings=entry.postings />
            <FormError errors=error />
        </section>
    }
}

#[component]
fn PostingsTable(postings: Vec<(String, String, crate::domain::Money)>) -> impl IntoView {
    view! {
        <table class="list postings">
            <thead><tr><th scope="col">"Account"</th><th scope="col" class="num">"Debit"</th><th scope="col" class="num">"Credit"</th></tr></thead>
            <tbody>
                {postings.into_iter().map(|(code, name, amount)| view! {
                    <tr>
                        <td class="primary-cell"><span class="account-code">{code}</span> " " {name}</td>
                        <td class="num" data-label="Debit">{amount.is_positive().then(|| view! { <Amount value=amount /> })}</td>
                        <td class="num" data-label="Credit">{amount.is_negative().then(|| view! { <Amount value=-amount /> })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Any journal entry on its own page, reached from a register line.
#[component]
pub fn JournalEntryPage() -> impl IntoView {
    let params = use_params_map();
    let live = use_live_version();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let entry = Resource::new(
        move || (live.get(), id.get()),
        |(_, id)| get_journal_entry(id),
    );
    view! {
        <Title text="Journal entry" />
        <PageHeader title="Journal entry" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(e) => view! { <EntryCard entry=e /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

const BLANK_LINES: usize = 4;

#[component]
fn NewEntryForm(settings: BooksSettings) -> impl IntoView {
    let date = RwSignal::new(settings.today.to_string());
    let memo = RwSignal::new(String::new());
    let lines: Vec<(RwSignal<String>, RwSignal<String>, RwSignal<String>)> = (0..BLANK_LINES)
        .map(|_| {
            (
                RwSignal::new(String::new()),
                RwSignal::new(String::new()),
                RwSignal::new(String::new()),
            )
        })
        .collect();
    let lines = StoredValue::new(lines);
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<i64>);
    let action = Action::new(|form: &JournalForm| post_journal_entry(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(id)) => {
            saved.set(Some(id));
            memo.set(String::new());
            lines.with_value(|ls| {
                ls.iter().for_each(|(a, d, c)| {
                    a.set(String::new());
                    d.set(String::new());
                    c.set(String::new());
                })
            });
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(None);
        let typed = lines.with_value(|ls| {
            ls.iter()
                .map(|(a, d, c)| (a.get_untracked(), d.get_untracked(), c.get_untracked()))
                .collect()
        });
        action.dispatch(JournalForm {
            date: date.get_untracked(),
            memo: memo.get_untracked(),
            lines: typed,
        });
    };
    let accounts = settings.accounts.clone();
    view! {
        <details class="panel disclosure">
            <summary>"New manual entry"</summary>
            <form class="form journal-form" on:submit=submit novalidate>
                <fieldset disabled=move || !hydrated.get()>
                    <div class="field-row pair">
                        <TextField id="date" label="Date" kind="date" value=date errors required=true />
                        <TextField id="memo" label="Memo" value=memo errors required=true hint="What the entry is for, e.g. “Opening balance”." />
                    </div>
                    <table class="list journal-lines">
                        <thead><tr><th scope="col">"Account"</th><th scope="col" class="num">"Debit"</th><th scope="col" class="num">"Credit"</th></tr></thead>
                        <tbody>
                            {lines.get_value().into_iter().enumerate().map(|(i, (account, debit, credit))| {
                                let accounts = accounts.clone();
                                view! {
                                    <tr>
                                        <td data-label="Account">
                                            <select id=format!("lines.{i}.account") aria-label=format!("Account, line {}", i + 1) bind:value=account>
                                                <option value="">"Choose…"</option>
                                                {accounts.into_iter().map(|a| view! {
                                                    <option value=a.code.clone()>{format!("{} {} ({})", a.code, a.name, a.kind.label())}</option>
                                                }).collect_view()}
                                            </select>
                                        </td>
                                        <td class="num" data-label="Debit">
                                            <input id=format!("lines.{i}.debit") aria-label=format!("Debit, line {}", i + 1) inputmode="decimal" bind:value=debit />
                                        </td>
                                        <td class="num" data-label="Credit">
                                            <input id=format!("lines.{i}.credit") aria-label=format!("Credit, line {}", i + 1) inputmode="decimal" bind:value=credit />
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <FormError errors also=&["lines"] />
                    {move || saved.get().map(|id| view! {
                        <div class="banner banner-success" role="status"><p>{format!("Entry {id} posted.")}</p></div>
                    })}
                    <div class="form-actions">
                        <SubmitButton label="Post entry" pending=action.pending() />
                    </div>
                </fieldset>
            </form>
        </details>
    }
}

/// The lock date and the year-end close (owner only; others get the server's refusal).
#[component]
fn LockPanel(settings: BooksSettings) -> impl IntoView {
    let lock_date = RwSignal::new(
        settings
            .lock_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let year_end = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let lock = Action::new(|d: &String| lock_books(d.clone()));
    let close = Action::new(|d: &String| close_year(d.clone()));
    let done = RwSignal::new(None::<String>);
    Effect::new(move |_| match lock.value().get() {
        Some(Ok(())) => done.set(Some("The books are locked.".into())),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match close.value().get() {
        Some(Ok(_)) => done.set(Some(
            "The year is closed and its result moved to retained earnings.".into(),
        )),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let current = match settings.lock_date {
        Some(d) => format!(
            "Locked up to and including {}: nothing can be posted on or before that day.",
            day(d)
        ),
        None => "The books are not locked.".to_string(),
    };
    view! {
        <details class="panel disclosure">
            <summary>"Lock the books and close a year"</summary>
            <p data-testid="lock-status">{current}</p>
            <form class="form inline-form" on:submit=move |ev| { ev.prevent_default(); errors.set(None); lock.dispatch(lock_date.get_untracked()); }>
                <TextField id="lock_date" label="Lock up to" kind="date" value=lock_date errors
                    hint="A lock can move later, never earlier." />
                <div class="form-actions"><SubmitButton label="Lock" pending=lock.pending() /></div>
            </form>
            <form class="form inline-form" on:submit=move |ev| { ev.prevent_default(); errors.set(None); close.dispatch(year_end.get_untracked()); }>
                <TextField id="year_end" label="Close the year ending" kind="date" value=year_end errors
                    hint="Moves the year's profit or loss to retained earnings and locks the books up to that day." />
                <div class="form-actions"><SubmitButton label="Close year" pending=close.pending() /></div>
            </form>
            <FormError errors also=&["lock_date", "year_end"] />
            {move || done.get().map(|m| view! { <div class="banner banner-success" role="status"><p>{m}</p></div> })}
        </details>
    }
}
