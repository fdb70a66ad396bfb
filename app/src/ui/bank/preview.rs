//! Choosing a statement file, its preview (format, CSV settings to adjust, the balance check,
//! every line new or already imported, problems) and the import.

use crate::api::bank::{import_statement, preview_statement};
use crate::api::bank_types::{CsvSettings, ImportResult, StatementPreview, StatementUpload};
use crate::api::AppError;
use crate::ui::components::{day, Amount, ErrorBanner};
use leptos::prelude::*;

#[component]
pub fn ImportPanel(account_id: Memo<i64>) -> impl IntoView {
    let file = RwSignal::new(None::<(String, String)>);
    let settings = RwSignal::new(None::<CsvSettings>);
    let preview = Action::new(|u: &StatementUpload| preview_statement(u.clone()));
    let import = Action::new(|u: &StatementUpload| import_statement(u.clone()));
    let upload = move || {
        file.get_untracked().map(|(name, content)| StatementUpload {
            bank_account_id: account_id.get_untracked(),
            file_name: name,
            content_base64: content,
            csv: settings.get_untracked(),
        })
    };
    let send_preview = move || {
        if let Some(u) = upload() {
            preview.dispatch(u);
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(p)) = preview.value().get() {
            settings.set(p.csv.clone());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = import.value().get() {
            file.set(None);
            preview.value().set(None);
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        settings.set(None);
        import.value().set(None);
        #[cfg(feature = "hydrate")]
        super::file::read_chosen(event_target(&ev), move |name, content| {
            file.set(Some((name, content)));
            send_preview();
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_import = Callback::new(move |_: ()| {
        if let Some(u) = upload() {
            import.dispatch(u);
        }
    });
    let on_apply = Callback::new(move |_: ()| send_preview());
    view! {
        <section class="panel bank-import" aria-labelledby="import-title">
            <h2 id="import-title" class="section-title">"Import a statement"</h2>
            <div class="field">
                <label for="statement_file">"Statement file (CSV, OFX/QFX, camt.053 or MT940)"</label>
                <input id="statement_file" type="file" on:change=on_change
                    accept=".csv,.txt,.ofx,.qfx,.xml,.sta,.mt940,.940" />
            </div>
            {move || preview.pending().get().then(|| view! { <p class="muted" role="status">"Reading the file…"</p> })}
            {move || import.value().get().map(|r| view! { <ImportOutcome result=r /> })}
            {move || match preview.value().get() {
                Some(Ok(p)) => view! {
                    <PreviewView preview=p settings on_apply on_import
                        importing=import.pending() />
                }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner message=e.to_string() /> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn ImportOutcome(result: Result<ImportResult, AppError>) -> impl IntoView {
    match result {
        Ok(r) => view! {
            <div class="banner banner-success" role="status" data-testid="import-outcome">
                {format!("Imported {} new lines; {} were already imported.", r.imported, r.skipped)}
            </div>
        }
        .into_any(),
        Err(e) => view! { <ErrorBanner message=e.to_string() /> }.into_any(),
    }
}

#[component]
fn PreviewView(
    preview: StatementPreview,
    settings: RwSignal<Option<CsvSettings>>,
    on_apply: Callback<()>,
    on_import: Callback<()>,
    importing: Memo<bool>,
) -> impl IntoView {
    let refused = !preview.problems.is_empty();
    let new_lines = preview.new_lines;
    let label = match new_lines {
        1 => "Import 1 new line".to_string(),
        n => format!("Import {n} new lines"),
    };
    view! {
        <div class="bank-preview" data-testid="statement-preview">
            {(!preview.format.is_empty()).then(|| view! {
                <p class="facts-line">
                    <strong>{preview.format.clone()}</strong>
                    {format!(" · {} · {} new, {} already imported", preview.encoding, preview.new_lines, preview.known_lines)}
                </p>
            })}
            {preview.csv.is_some().then(|| view! { <CsvSettingsForm settings on_apply /> })}
            {preview.balances.iter().map(|b| {
                let class = if preview.balance_mismatch { "banner banner-warn" } else { "banner banner-info" };
                view! { <div class=class>{b.clone()}</div> }
            }).collect_view()}
            {preview.notices.iter().map(|n| view! { <div class="banner banner-warn">{n.clone()}</div> }).collect_view()}
            {refused.then(|| view! {
                <div class="banner banner-error" role="alert" data-testid="statement-problems">
                    <p><strong>"This file cannot be imported; nothing was saved:"</strong></p>
                    <ul class="plain-list">
                        {preview.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            {(!preview.lines.is_empty()).then(|| view! {
                <div class="table-card">
                    <table class="list bank-lines">
                        <thead>
                            <tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Text"</th>
                                <th scope="col" class="num">"Amount"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {preview.lines.iter().take(500).map(|l| view! {
                                <tr class:known=l.known>
                                    <td class="primary-cell">{day(l.date)}</td>
                                    <td data-label="Text" class="wide-cell">
                                        {l.text.clone()}
                                        {l.known.then(|| view! { <span class="badge badge-void">"already imported"</span> })}
                                    </td>
                                    <td data-label="Amount" class="num wide-cell"><Amount value=l.amount /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(preview.lines.len() > 500).then(|| view! {
                    <p class="muted">{format!("The first 500 of {} lines are shown.", preview.lines.len())}</p>
                })}
            })}
            <div class="form-actions">
                <button type="button" class="button primary" data-testid="import-button"
                    disabled=move || refused || new_lines == 0 || importing.get()
                    on:click=move |_| on_import.run(())>
                    {label}
                </button>
            </div>
        </div>
    }
}

/// The CSV settings the preview used, to correct and read the file again.
#[component]
fn CsvSettingsForm(
    settings: RwSignal<Option<CsvSettings>>,
    on_apply: Callback<()>,
) -> impl IntoView {
    let get = move |f: fn(&CsvSettings) -> String| {
        move || settings.with(|s| s.as_ref().map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut CsvSettings, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            settings.update(|s| {
                if let Some(s) = s {
                    f(s, value)
                }
            });
        }
    };
    view! {
        <details class="disclosure csv-settings">
            <summary>"CSV settings (saved for this bank account)"</summary>
            <div class="field-row">
                <div class="field">
                    <label for="csv_delimiter">"Delimiter"</label>
                    <input id="csv_delimiter" prop:value=get(|s| s.delimiter.clone())
                        on:input=set(|s, v| s.delimiter = v) />
                </div>
                <div class="field">
                    <label for="csv_decimal">"Decimal mark"</label>
                    <select id="csv_decimal" prop:value=get(|s| s.decimal.clone())
                        on:change=set(|s, v| s.decimal = v)>
                        <option value="point">"Point (1,234.56)"</option>
                        <option value="comma">"Comma (1.234,56)"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="csv_dates">"Dates"</label>
                    <select id="csv_dates" prop:value=get(|s| s.date_format.clone())
                        on:change=set(|s, v| s.date_format = v)>
                        <option value="ymd">"Year-month-day"</option>
                        <option value="dmy">"Day.month.year"</option>
                        <option value="mdy">"Month/day/year"</option>
                    </select>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="csv_date_column">"Date column"</label>
                    <input id="csv_date_column" prop:value=get(|s| s.date_column.clone())
                        on:input=set(|s, v| s.date_column = v) />
                </div>
                <div class="field">
                    <label for="csv_amount_column">"Amount column"</label>
                    <input id="csv_amount_column" prop:value=get(|s| s.amount_column.clone())
                        on:input=set(|s, v| s.amount_column = v) />
                </div>
                <div class="field">
                    <label for="csv_description">"Text columns"</label>
                    <input id="csv_description" prop:value=get(|s| s.description_columns.clone())
                        on:input=set(|s, v| s.description_columns = v) />
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="csv_debit">"Money out column"</label>
                    <input id="csv_debit" prop:value=get(|s| s.debit_column.clone())
                        on:input=set(|s, v| s.debit_column = v) />
                </div>
                <div class="field">
                    <label for="csv_credit">"Money in column"</label>
                    <input id="csv_credit" prop:value=get(|s| s.credit_column.clone())
                        on:input=set(|s, v| s.credit_column = v) />
                </div>
            </div>
            <button type="button" class="button secondary" on:click=move |_| on_apply.run(())>
                "Read the file again with these settings"
            </button>
        </details>
    }
}
