//! Small pieces every page uses: amounts, status badges, page headers, loading and error
//! states, empty states and the pager.

use crate::api::AppError;
use crate::domain::money::group_thousands;
use crate::domain::{InvoiceStatus, Money};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

/// An amount with its currency: "1,234.50 GBP", in tabular digits.
#[component]
pub fn Amount(value: Money) -> impl IntoView {
    let class = if value.is_negative() {
        "amount negative"
    } else {
        "amount"
    };
    view! {
        <span class=class>
            {group_thousands(value.amount())}
            " "
            <span class="ccy">{value.currency().code().to_string()}</span>
        </span>
    }
}

/// The status in words and colour (never colour alone).
#[component]
pub fn StatusBadge(status: InvoiceStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.slug())>{status.label()}</span> }
}

/// The title row of a page, with its actions on the right (below it on phones).
#[component]
pub fn PageHeader(
    #[prop(into)] title: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <div class="page-actions">{children.map(|c| c())}</div>
        </header>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            "Loading…"
        </div>
    }
}

/// Sends the person to sign in, remembering the page they were on to return to it after.
#[component]
pub fn SignInRedirect() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let here = format!(
        "{}{}",
        location.pathname.get_untracked(),
        location.search.get_untracked()
    );
    let path = match here.as_str() {
        "/" | "" => "/login".to_string(),
        _ => format!("/login?next={}", encode_query(&here)),
    };
    view! { <Redirect path /> }
}

/// Where to go after signing in: the `next` page if it is one of ours, else the dashboard.
/// Only same-site paths are followed, so a crafted link cannot send someone elsewhere.
pub fn after_sign_in(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_string())
}

/// What a page shows when its data could not be loaded. A lapsed session goes to sign-in.
pub fn load_error(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorised => view! { <SignInRedirect /> }.into_any(),
        AppError::NotFound(what) => view! { <NotFound what=what /> }.into_any(),
        other => view! { <ErrorBanner message=other.to_string() retry=true /> }.into_any(),
    }
}

#[component]
pub fn NotFound(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h1>"Not found"</h1>
            <p>{format!("{what} was not found. It may have been deleted, or the link is mistyped.")}</p>
            <A href="/" attr:class="button secondary">"Go to the dashboard"</A>
        </div>
    }
}

/// Shown in place of a page whose code could not be fetched: the device is offline and has
/// not opened a page of this kind since Settle was last updated.
#[component]
pub fn PageUnavailable() -> impl IntoView {
    view! {
        <div class="empty-state" role="alert" data-testid="page-unavailable">
            <h1>"This page is not on this device yet"</h1>
            <p>
                "Its part of the app could not be fetched: the connection is down, and no page "
                "of this kind was opened on this device since Settle was last updated. It opens "
                "when the connection returns."
            </p>
            // A full load (rel="external"), not the router's: the page and its code afresh.
            <a href="" rel="external" class="button secondary">"Try again"</a>
            " "
            <A href="/" attr:class="button secondary">"Go to the dashboard"</A>
        </div>
    }
}

/// A problem that concerns the whole page or form, not one field.
#[component]
pub fn ErrorBanner(#[prop(into)] message: String, #[prop(optional)] retry: bool) -> impl IntoView {
    let live = super::live::use_live_version();
    view! {
        <div class="banner banner-error" role="alert">
            <p>{message}</p>
            {retry.then(|| view! {
                <button type="button" class="button secondary small" on:click=move |_| live.update(|v| *v += 1)>
                    "Try again"
                </button>
            })}
        </div>
    }
}

/// Shown instead of an empty table: what this place is for and how to start.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] text: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>{title}</h2>
            <p>{text}</p>
            {children.map(|c| c())}
        </div>
    }
}

/// "Previous · Page 2 of 5 · Next". `href` builds the link of a page number.
#[component]
pub fn Pager(
    page: u32,
    pages: u32,
    total: u64,
    href: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    if pages <= 1 {
        return view! { <p class="pager-summary">{count_text(total)}</p> }.into_any();
    }
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            {match previous {
                Some(link) => view! { <A href=link attr:class="button secondary small" attr:rel="prev">"← Previous"</A> }.into_any(),
                None => view! { <span class="button secondary small disabled" aria-disabled="true">"← Previous"</span> }.into_any(),
            }}
            <span class="pager-summary">{format!("Page {page} of {pages} · {}", count_text(total))}</span>
            {match next {
                Some(link) => view! { <A href=link attr:class="button secondary small" attr:rel="next">"Next →"</A> }.into_any(),
                None => view! { <span class="button secondary small disabled" aria-disabled="true">"Next →"</span> }.into_any(),
            }}
        </nav>
    }
    .into_any()
}

fn count_text(total: u64) -> String {
    if total == 1 {
        "1 result".to_string()
    } else {
        format!("{total} results")
    }
}

/// A day as people read it: "3 Mar 2026".
pub fn day(date: chrono::NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// Percent-encodes a query value.
pub fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::after_sign_in;

    #[test]
    fn sign_in_returns_only_to_pages_of_this_site() {
        let go = |next: &str| after_sign_in(Some(next.to_string()));

        assert_eq!(go("/invoices/7?x=1"), "/invoices/7?x=1");
        assert_eq!(go("//evil.example/"), "/");
        assert_eq!(go("https://evil.example/"), "/");
        assert_eq!(go("/\\evil.example"), "/");
        assert_eq!(after_sign_in(None), "/");
    }
}
