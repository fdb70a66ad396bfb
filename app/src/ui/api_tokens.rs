//! `/settings/api-tokens`: the owner's or bookkeeper's own tokens for the HTTP API. A new
//! token's secret is shown once, to copy; the list shows when each was made and last used,
//! and revokes one at once.

use crate::api::api_tokens::{
    create_api_token, list_api_tokens, revoke_api_token, ApiToken, NewToken, TokenScope,
};
use crate::api::AppError;
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::fields::{use_hydrated, FormError, SubmitButton, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    // Its own version: the page is not rebuilt by anyone else's change.
    let version = RwSignal::new(0u32);
    let tokens = Resource::new(move || version.get(), |_| list_api_tokens());
    view! {
        <Title text="API tokens" />
        <PageHeader title="API tokens" />
        <p class="lead">
            "A token lets another program use your books through the HTTP API, as you. "
            "A read token can only look; a write token can also record invoices and payments. "
            "The API is described at " <a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a> "."
        </p>
        <CreateTokenForm version />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) => view! { <TokenList list version /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn CreateTokenForm(version: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("read".to_string());
    let errors = RwSignal::new(None::<AppError>);
    let made = RwSignal::new(None::<NewToken>);
    let action =
        Action::new(|(name, scope): &(String, TokenScope)| create_api_token(name.clone(), *scope));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(token)) => {
            made.set(Some(token));
            name.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        made.set(None);
        let chosen = TokenScope::parse(&scope.get_untracked()).unwrap_or(TokenScope::Read);
        action.dispatch((name.get_untracked(), chosen));
    };
    view! {
        <section class="panel">
            <h2 class="section-title">"Make a token"</h2>
            <form class="form" on:submit=submit novalidate>
                <fieldset class="inline-form" disabled=move || !hydrated.get()>
                    <TextField id="name" label="Name" value=name errors required=true
                        hint="What will use it, like \"accounting sync\"." />
                    <div class="field">
                        <label for="scope">"Scope"</label>
                        <select id="scope" bind:value=scope>
                            <option value="read">"Read: look only"</option>
                            <option value="write">"Write: also record and change"</option>
                        </select>
                    </div>
                    <FormError errors invalid_summary="No token was made; check the fields above." />
                    <SubmitButton label="Make token" pending=action.pending() class="button primary" />
                </fieldset>
            </form>
            {move || made.get().map(|token| {
                let secret = token.secret.clone();
                view! {
                    <div class="banner banner-success" role="status">
                        <label for="new-token">
                            {format!("Your new token \"{}\". Copy it now: it is not shown again.", token.token.name)}
                        </label>
                        <input id="new-token" class="copy-field" type="text" readonly=true
                            value=token.secret.clone() />
                        <button type="button" class="button secondary small copy-button"
                            on:click=move |_| crate::ui::browser::copy_text(&secret)>
                            "Copy"
                        </button>
                    </div>
                }
            })}
        </section>
    }
}

/// An RFC 3339 instant as a short UTC time for the list.
fn short_time(instant: &str) -> String {
    match instant.get(..16) {
        Some(minutes) => format!("{} UTC", minutes.replace('T', " ")),
        None => instant.to_string(),
    }
}

#[component]
fn TokenList(list: Vec<ApiToken>, version: RwSignal<u32>) -> impl IntoView {
    let errors = RwSignal::new(None::<AppError>);
    let revoke = Action::new(|id: &i64| revoke_api_token(*id));
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => version.update(|v| *v += 1),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    if list.is_empty() {
        return view! { <p class="empty">"You have no tokens yet."</p> }.into_any();
    }
    view! {
        <h2 class="section-title">"Your tokens"</h2>
        <div class="table-card">
            <table class="list api-tokens" data-testid="api-tokens">
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Scope"</th>
                    <th scope="col">"Made"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|t| {
                        let id = t.id;
                        let label = t.name.clone();
                        let live = t.revoked_at.is_none();
                        view! {
                            <tr>
                                <td class="primary-cell">{t.name.clone()}</td>
                                <td data-label="Scope">{t.scope.key()}</td>
                                <td data-label="Made">{short_time(&t.created_at)}</td>
                                <td data-label="Last used">
                                    {t.last_used_at.as_deref().map_or("never".to_string(), short_time)}
                                </td>
                                <td class="row-actions">
                                    {if live {
                                        view! {
                                            <button type="button" class="button ghost small"
                                                aria-label=format!("Revoke {label}")
                                                disabled=move || revoke.pending().get()
                                                on:click=move |_| { errors.set(None); revoke.dispatch(id); }>
                                                "Revoke"
                                            </button>
                                        }.into_any()
                                    } else {
                                        view! {
                                            <span class="muted">
                                                {format!("Revoked {}", t.revoked_at.as_deref().map(short_time).unwrap_or_default())}
                                            </span>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <FormError errors />
    }
    .into_any()
}
