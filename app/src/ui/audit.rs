//! The audit log page: every recorded change, newest first, filtered by kind of document,
//! document, person and days; each change opens to show its fields before and after.

use crate::api::audit::{kind_label, list_audit, AuditEntry, AuditQuery, KINDS};
use crate::ui::components::{encode_query, load_error, EmptyState, Loading, PageHeader};
use crate::ui::invoices::ChangeList;
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The page's address for a query (and a cursor).
fn href(query: &AuditQuery) -> String {
    let fields = [
        ("kind", query.kind.clone()),
        ("doc", query.document.clone()),
        ("actor", query.actor.clone()),
        ("from", query.from.clone()),
        ("to", query.to.clone()),
        (
            "before",
            query.before.map(|b| b.to_string()).unwrap_or_default(),
        ),
    ];
    let parts: Vec<String> = fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query(v)))
        .collect();
    if parts.is_empty() {
        "/audit".into()
    } else {
        format!("/audit?{}", parts.join("&"))
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map();
    let live = use_live_version();
    let query = Memo::new(move |_| {
        let q = params.read();
        AuditQuery {
            kind: q.get("kind").unwrap_or_default(),
            document: q.get("doc").unwrap_or_default(),
            actor: q.get("actor").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            before: q.get("before").and_then(|b| b.parse().ok()),
        }
    });
    let page = Resource::new(move || (live.get(), query.get()), |(_, q)| list_audit(q));
    view! {
        <Title text="Audit log" />
        <PageHeader title="Audit log" />
        <p class="muted">"Every change to documents, settings and people: who, when, and what it was before and after. Nothing here can be edited or deleted."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                match page.await {
                    Ok(p) => view! {
                        <Filters query=q.clone() actors=p.actors />
                        {if p.entries.is_empty() {
                            view! { <EmptyState title="No changes found" text="Nothing recorded matches these filters." /> }.into_any()
                        } else {
                            view! {
                                <div class="audit-list">
                                    {p.entries.into_iter().map(|e| view! { <EntryCard entry=e /> }).collect_view()}
                                </div>
                            }.into_any()
                        }}
                        <nav class="pager" aria-label="Pages">
                            {q.before.is_some().then(|| view! {
                                <A href=href(&AuditQuery { before: None, ..q.clone() }) attr:class="button secondary small">"← Newest"</A>
                            })}
                            {p.next.map(|next| view! {
                                <A href=href(&AuditQuery { before: Some(next), ..q.clone() }) attr:class="button secondary small" attr:rel="next">"Older →"</A>
                            })}
                        </nav>
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// A plain GET form: applying the filters loads the page with them in its address.
#[component]
fn Filters(query: AuditQuery, actors: Vec<String>) -> impl IntoView {
    let kind = query.kind.clone();
    let actor = query.actor.clone();
    view! {
        <form method="get" action="/audit" class="panel audit-filters" aria-label="Filter the log">
            <div class="field">
                <label for="audit-kind">"Kind"</label>
                <select id="audit-kind" name="kind">
                    <option value="" selected=kind.is_empty()>"Everything"</option>
                    {KINDS.iter().map(|(value, label)| view! {
                        <option value=*value selected=kind == *value>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-doc">"Number, name or id"</label>
                <input id="audit-doc" name="doc" type="search" value=query.document autocomplete="off" />
            </div>
            <div class="field">
                <label for="audit-actor">"Who"</label>
                <select id="audit-actor" name="actor">
                    <option value="" selected=actor.is_empty()>"Anyone"</option>
                    {actors.into_iter().map(|a| {
                        let selected = a == actor;
                        view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-from">"From"</label>
                <input id="audit-from" name="from" type="date" value=query.from />
            </div>
            <div class="field">
                <label for="audit-to">"To"</label>
                <input id="audit-to" name="to" type="date" value=query.to />
            </div>
            <div class="audit-filter-actions">
                <button type="submit" class="button primary small">"Filter"</button>
                <A href="/audit" attr:class="button secondary small">"Clear"</A>
            </div>
        </form>
    }
}

#[component]
fn EntryCard(entry: AuditEntry) -> impl IntoView {
    let name = entry
        .entity_ref
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| format!("#{}", entry.entity_id));
    let subject = format!("{} {}", kind_label(&entry.kind), name);
    view! {
        <article class="panel audit-entry" data-testid="audit-entry">
            <header class="audit-head">
                <h2 class="audit-title">
                    {match entry.href {
                        Some(link) => view! { <A href=link>{subject}</A> }.into_any(),
                        None => view! { <span>{subject}</span> }.into_any(),
                    }}
                    " "
                    <span class="audit-action">{entry.action}</span>
                </h2>
                <p class="muted audit-meta">{format!("{} · {}", entry.when, entry.actor)}</p>
            </header>
            {(!entry.changes.is_empty()).then(|| view! { <ChangeList changes=entry.changes /> })}
        </article>
    }
}
