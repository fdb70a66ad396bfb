//! The signed-in frame: the session gate, the top bar, the navigation (a sidebar on wide
//! screens, a tab bar at the bottom on phones) and the live-update stream.

use super::components::SignInRedirect;
use super::live::LiveUpdates;
use crate::api::auth::{get_session, sign_out};
use crate::api::types::SessionState;
use crate::api::AppError;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_navigate;

/// Every page but sign-in sits in this frame. The session is read before the first byte is
/// sent (a blocking resource), so a signed-out visitor gets a plain redirect to `/login`.
/// Pages are created outside the session's `Suspense` so each resource is created once
/// (on the server and in the browser alike) and hydrates from the server's data.
#[component]
pub fn AppLayout() -> impl IntoView {
    let session = Resource::new_blocking(|| (), |_| get_session());
    let outbox = super::outbox::provide_outbox();
    view! {
        <div class="app">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <A href="/" attr:class="brand" attr:aria-label="Settle, home">
                    <img src="/favicon.svg" alt="" width="28" height="28" />
                    <span class="brand-name">"Settle"</span>
                </A>
                <Suspense fallback=|| view! { <div class="who"></div> }>
                    {move || Suspend::new(async move {
                        match session.await {
                            Ok(SessionState { user: Some(user), .. }) => view! {
                                <A href="/account" attr:class="who" attr:title="Your account">
                                    <span class="business-name">{user.business_name}</span>
                                    <span class="user-email">{user.email}</span>
                                </A>
                                // Only the owner may change settings; nobody else is offered them.
                                // The log is for those who answer for the books (see api::audit).
                                {(user.role != "viewer").then(|| view! {
                                    <A href="/audit" attr:class="button ghost small settings-link">"Log"</A>
                                })}
                                {(user.role == "owner").then(|| view! {
                                    <A href="/settings" attr:class="button ghost small settings-link">"Settings"</A>
                                })}
                            }.into_any(),
                            Ok(_) | Err(AppError::Unauthorised) => view! { <SignInRedirect /> }.into_any(),
                            Err(_) => view! { <div class="who"></div> }.into_any(),
                        }
                    })}
                </Suspense>
                <SignOutButton />
            </header>
            <MainNav />
            <main id="main" class="content" tabindex="-1">
                <super::offline::OfflineBanner />
                <super::outbox::OutboxPanel outbox />
                <Outlet />
            </main>
            <LiveUpdates />
        </div>
    }
}

#[component]
fn MainNav() -> impl IntoView {
    view! {
        <nav class="main-nav" aria-label="Main">
            <A href="/" exact=true>
                <NavIcon path="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" />
                <span>"Dashboard"</span>
            </A>
            <A href="/invoices">
                <NavIcon path="M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7" />
                <span>"Invoices"</span>
            </A>
            <A href="/payments">
                <NavIcon path="M3 6h18v12H3zM3 10h18M7 15h4" />
                <span>"Payments"</span>
            </A>
            // Seven tabs do not fit a phone's bar: there the Payments page links to the bank.
            <A href="/bank" attr:class="wide-only">
                <NavIcon path="M3 10l9-6 9 6M5 10v8M10 10v8M14 10v8M19 10v8M3 21h18" />
                <span>"Bank"</span>
            </A>
            <A href="/expenses">
                <NavIcon path="M7 3h10v18l-2.5-1.5L12 21l-2.5-1.5L7 21zM10 8h4M10 12h4" />
                <span>"Expenses"</span>
            </A>
            <A href="/customers">
                <NavIcon path="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-6.5 8-6.5s8 2.5 8 6.5" />
                <span>"Customers"</span>
            </A>
            <A href="/books">
                <NavIcon path="M5 4h12a2 2 0 0 1 2 2v15H7a2 2 0 0 1-2-2zM5 17a2 2 0 0 1 2-2h12M9 8h6" />
                <span>"Books"</span>
            </A>
        </nav>
    }
}

#[component]
fn NavIcon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="nav-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}

/// Ends the session, forgets the offline copy of signed-in pages and goes to sign-in.
#[component]
fn SignOutButton() -> impl IntoView {
    let action = Action::new(|_: &()| sign_out());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if action.value().with(Option::is_some) {
            super::browser::clear_offline_cache();
            navigate("/login", Default::default());
        }
    });
    view! {
        <button
            type="button"
            class="button ghost small sign-out"
            disabled=move || action.pending().get()
            on:click=move |_| {
                action.dispatch(());
            }
        >
            "Sign out"
        </button>
    }
}
