//! The books: the trial balance as of a day, with a visible check that debits equal credits.

use crate::api::books::get_trial_balance;
use crate::api::types::TrialBalance;
use crate::domain::Money;
use crate::ui::components::{day, load_error, Amount, EmptyState, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TrialBalancePage() -> impl IntoView {
    let query = use_query_map();
    let live = use_live_version();
    let as_of = Memo::new(move |_| query.read().get("as_of").unwrap_or_default());
    let basis = Memo::new(move |_| query.read().get("basis").unwrap_or_default());
    let compare = Memo::new(move |_| query.read().get("compare").is_some_and(|c| c == "1"));
    // With a comparison, the same accounts as of the end of the previous year beside them.
    let balance = Resource::new(
        move || (live.get(), as_of.get(), basis.get(), compare.get()),
        |(_, as_of, basis, compare)| async move {
            let tb = get_trial_balance(as_of, basis.clone()).await?;
            let previous = if compare {
                let year_end = format!("{}-12-31", chrono::Datelike::year(&tb.as_of) - 1);
                Some(get_trial_balance(year_end, basis).await?)
            } else {
                None
            };
            Ok::<_, crate::api::AppError>((tb, previous))
        },
    );
    view! {
        <Title text="Trial balance" />
        <PageHeader title="Trial balance" />
        <super::BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match balance.await {
                    Ok((tb, previous)) => view! {
                        <AsOfPicker date=tb.as_of.to_string() cash=tb.basis == crate::domain::Basis::Cash compare=previous.is_some() />
                        <BalanceTable tb previous />
                        <LedgerExports />
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// The day the balances are taken at and the basis; a change reloads the figures.
#[component]
fn AsOfPicker(date: String, cash: bool, compare: bool) -> impl IntoView {
    let target = super::use_navigation_target();
    let (day, basis) = (
        RwSignal::new(date.clone()),
        RwSignal::new(if cash { "cash" } else { "accrual" }.to_string()),
    );
    let compared = RwSignal::new(compare);
    let go = move || {
        let mut url = format!("/books?as_of={}", day.get_untracked());
        if basis.get_untracked() == "cash" {
            url.push_str("&basis=cash");
        }
        if compared.get_untracked() {
            url.push_str("&compare=1");
        }
        target.set(Some(url));
    };
    let go = StoredValue::new(go);
    view! {
        <div class="toolbar report-controls">
            <div class="field inline-field">
                <label for="as_of">"As of"</label>
                <input id="as_of" type="date" value=date
                    on:change=move |ev| { day.set(event_target_value(&ev)); go.with_value(|g| g()); } />
            </div>
            <div class="field inline-field">
                <label for="basis">"Basis"</label>
                <select id="basis" on:change=move |ev| { basis.set(event_target_value(&ev)); go.with_value(|g| g()); }>
                    <option value="accrual" selected=!cash>"Accrual"</option>
                    <option value="cash" selected=cash>"Cash"</option>
                </select>
            </div>
            <div class="checkbox-field">
                <input id="compare" type="checkbox" checked=compare
                    on:change=move |ev| { compared.set(event_target_checked(&ev)); go.with_value(|g| g()); } />
                <label for="compare">"Compare with the end of the previous year"</label>
            </div>
        </div>
    }
}

#[component]
fn BalanceTable(tb: TrialBalance, previous: Option<TrialBalance>) -> impl IntoView {
    // The earlier balance of each account, debit-positive, when comparing.
    let earlier = |code: &str| {
        previous.as_ref().map(|p| {
            p.rows
                .iter()
                .find(|r| r.code == code)
                .map_or(Money::zero(tb.total_debit.currency()), |r| r.balance)
        })
    };
    let previous_day = previous.as_ref().map(|p| p.as_of);
    let basis = if tb.basis == crate::domain::Basis::Cash {
        "&basis=cash"
    } else {
        ""
    };
    // A balance leads to the account's register for the year so far, opening balance first.
    let year_start = chrono::Datelike::with_ordinal(&tb.as_of, 1).unwrap_or(tb.as_of);
    if tb.rows.is_empty() {
        return view! {
            <EmptyState title="Nothing posted yet"
                text="Issuing an invoice or recording a payment posts its journal entry here." />
        }
        .into_any();
    }
    let mut csv = vec![[
        "Code",
        "Account",
        "Kind",
        "Debit",
        "Credit",
        "Earlier balance",
    ]
    .map(String::from)
    .to_vec()];
    for row in &tb.rows {
        let (debit, credit) = if row.balance.is_negative() {
            (String::new(), super::plain(-row.balance))
        } else {
            (super::plain(row.balance), String::new())
        };
        csv.push(vec![
            row.code.clone(),
            row.name.clone(),
            row.kind.clone(),
            debit,
            credit,
            earlier(&row.code).map(super::plain).unwrap_or_default(),
        ]);
    }
    csv.push(vec![
        "".into(),
        "Total".into(),
        "".into(),
        super::plain(tb.total_debit),
        super::plain(tb.total_credit),
    ]);
    let csv_name = format!("trial-balance-{}.csv", tb.as_of);
    let balanced = tb.total_debit == tb.total_credit;
    let difference = tb.total_debit - tb.total_credit;
    view! {
        {if balanced {
            view! {
                <div class="banner banner-success" role="status" data-testid="trial-balance-check">
                    <p>
                        <span aria-hidden="true">"✓ "</span>
                        {format!("Balanced: debits equal credits as of {}.", day(tb.as_of))}
                    </p>
                </div>
            }.into_any()
        } else {
            view! {
                <div class="banner banner-error" role="alert" data-testid="trial-balance-check">
                    <p>"Out of balance by " <Amount value=difference.abs() /> ". Run "
                        <code>"settle check"</code> " and tell whoever maintains this installation."</p>
                </div>
            }.into_any()
        }}
        <p class="report-caption"><super::CsvLink file_name=csv_name rows=csv /></p>
        <div class="table-card">
            <table class="list trial-balance">
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col" class="num">"Debit"</th>
                        <th scope="col" class="num">"Credit"</th>
                        {previous_day.map(|d| view! { <th scope="col" class="num">{format!("Balance {}", day(d))}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {tb.rows.into_iter().map(|row| {
                        let debit = row.balance.is_positive().then_some(row.balance);
                        let credit = row.balance.is_negative().then(|| -row.balance);
                        let before = earlier(&row.code);
                        view! {
                            <tr>
                                <td class="primary-cell">
                                    <A href=format!("/books/accounts/{}?from={}&to={}{basis}", row.code, year_start, tb.as_of)>
                                        <span class="account-code">{row.code.clone()}</span>
                                        " "
                                        <span class="account-name">{row.name}</span>
                                    </A>
                                    <span class="kind-tag">{row.kind}</span>
                                </td>
                                <td data-label="Debit" class="num wide-cell">{amount_or_dash(debit, row.balance.is_zero())}</td>
                                <td data-label="Credit" class="num wide-cell">{amount_or_dash(credit, row.balance.is_zero())}</td>
                                {before.map(|b| view! { <td data-label="Earlier (debit +)" class="num wide-cell"><Amount value=b /></td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="grand">
                        <th scope="row">"Total"</th>
                        <td data-label="Total debit" class="num wide-cell" data-testid="total-debit"><Amount value=tb.total_debit /></td>
                        <td data-label="Total credit" class="num wide-cell" data-testid="total-credit"><Amount value=tb.total_credit /></td>
                        {previous_day.map(|_| view! { <td></td> })}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
    .into_any()
}

/// A column's amount; a zero balance shows a dash in both columns so the row is not blank.
fn amount_or_dash(amount: Option<Money>, zero: bool) -> impl IntoView {
    match amount {
        Some(m) => view! { <Amount value=m /> }.into_any(),
        None if zero => view! { <span class="muted">"—"</span> }.into_any(),
        None => ().into_any(),
    }
}

/// Downloads of the whole ledger, so the books are never locked in.
#[component]
fn LedgerExports() -> impl IntoView {
    view! {
        <section class="panel exports">
            <h2 class="section-title">"Export the whole ledger"</h2>
            <p class="muted">"Every journal entry, for an accountant's tools or a spreadsheet."</p>
            <div class="entry-actions start">
                <a class="button secondary small" href="/export/ledger.journal" download rel="external">"hledger / ledger journal"</a>
                <a class="button secondary small" href="/export/ledger.beancount" download rel="external">"Beancount"</a>
                <a class="button secondary small" href="/export/ledger.csv" download rel="external">"CSV of every line"</a>
            </div>
        </section>
    }
}
