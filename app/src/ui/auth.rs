//! Signing in, and creating the owner account on a fresh installation.

use super::components::{after_sign_in, load_error, Loading};
use super::fields::{use_hydrated, FormError, SubmitButton, TextField};
use crate::api::auth::{create_owner, get_session, sign_in};
use crate::api::types::SessionState;
use crate::api::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = Resource::new_blocking(|| (), |_| get_session());
    let next = StoredValue::new(next_page());
    view! {
        <Title text="Sign in" />
        <div class="auth-page">
            <main class="auth-card">
                <div class="auth-brand">
                    <img src="/favicon.svg" alt="" width="40" height="40" />
                    <span>"Settle"</span>
                </div>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match session.await {
                            Ok(SessionState { user: Some(_), .. }) => view! { <Redirect path=next.get_value() /> }.into_any(),
                            Ok(SessionState { needs_owner: true, .. }) => view! { <OwnerForm /> }.into_any(),
                            Ok(_) => view! { <SignInForm /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
            </main>
            <p class="auth-footer">"Invoices, payments and books in one place."</p>
        </div>
    }
}

/// Where a finished sign-in goes: the dashboard, with the session freshly read.
/// The page to open after signing in (see `after_sign_in`).
fn next_page() -> String {
    let query = leptos_router::hooks::use_query_map();
    after_sign_in(query.read_untracked().get("next"))
}

fn go_home_on_success(
    errors: RwSignal<Option<AppError>>,
    result: impl Fn() -> Option<Result<(), AppError>> + 'static,
) {
    let navigate = use_navigate();
    let next = next_page();
    Effect::new(move |_| match result() {
        Some(Ok(())) => navigate(&next, Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
}

#[component]
fn SignInForm() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(|(email, password): &(String, String)| {
        sign_in(email.clone(), password.clone())
    });
    go_home_on_success(errors, move || action.value().get());
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        // What an earlier session left for offline reading is not for whoever signs in now.
        super::browser::clear_offline_cache();
        action.dispatch((email.get_untracked(), password.get_untracked()));
    };
    view! {
        <h1>"Sign in"</h1>
        <form class="form" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <TextField id="email" label="Email" value=email kind="email" autocomplete="username"
                    errors required=true />
                <TextField id="password" label="Password" value=password kind="password"
                    autocomplete="current-password" errors required=true />
                <FormError errors invalid_summary="You are not signed in; check the email and password." />
                <SubmitButton label="Sign in" pending=action.pending() class="button primary wide" />
            </fieldset>
        </form>
    }
}

#[component]
fn OwnerForm() -> impl IntoView {
    let business_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(|(name, email, password): &(String, String, String)| {
        create_owner(name.clone(), email.clone(), password.clone())
    });
    go_home_on_success(errors, move || action.value().get());
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch((
            business_name.get_untracked(),
            email.get_untracked(),
            password.get_untracked(),
        ));
    };
    view! {
        <h1>"Welcome to Settle"</h1>
        <p class="lead">"This is a new installation. Create the owner account to start."</p>
        <form class="form" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <TextField id="business_name" label="Business name" value=business_name
                    autocomplete="organization" errors required=true />
                <TextField id="email" label="Email" value=email kind="email" autocomplete="username"
                    errors required=true />
                <TextField id="password" label="Password" value=password kind="password"
                    autocomplete="new-password" hint="At least 10 characters." errors
                    required=true />
                <FormError errors invalid_summary="The owner account was not created; check the fields above." />
                <SubmitButton label="Create owner account" pending=action.pending() class="button primary wide" />
            </fieldset>
        </form>
    }
}
