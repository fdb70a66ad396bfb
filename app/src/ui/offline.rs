//! The offline banner. When the device is offline, or the service worker had to show a saved
//! copy because the server could not be reached, every page says so, and how old what it
//! shows is. When the connection returns the banner goes and the pages refetch.

use leptos::prelude::*;

/// The banner's words for a connection state; `None` while everything is live.
fn banner_text(offline: bool, saved_at: Option<String>) -> Option<String> {
    let age = saved_at.map(|at| format!(" Showing what was saved {at}."));
    match (offline, age) {
        (false, None) => None,
        (true, age) => Some(format!(
            "You are offline.{} Changes are not saved until the connection returns.",
            age.unwrap_or_default()
        )),
        (false, Some(age)) => Some(format!(
            "Settle cannot be reached.{age} Changes are not saved until it answers again."
        )),
    }
}

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let offline = RwSignal::new(false);
    let saved_at = RwSignal::new(None::<String>);
    // After hydration, so the first render matches the server's (which knows nothing of it).
    #[cfg(feature = "hydrate")]
    {
        let live = super::live::use_live_version();
        // When the page last moved to another address: only a page just moved to reloads
        // itself from a saved copy, never one with a form being filled in.
        let path = leptos_router::hooks::use_location().pathname;
        let moved_at = RwSignal::new(0.0f64);
        Effect::new(move |_| {
            path.track();
            moved_at.set(js_sys::Date::now());
        });
        Effect::new(move |_| listen(offline, saved_at, live, moved_at));
    }
    move || {
        banner_text(offline.get(), saved_at.get()).map(|text| {
            view! {
                <div class="offline-banner" role="status" data-testid="offline-banner">
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                        <path d="M2 8.5a15 15 0 0 1 20 0M5.5 12a10 10 0 0 1 13 0M9 15.5a5 5 0 0 1 6 0M12 19h.01M3 3l18 18"
                            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                    </svg>
                    <span>{text}</span>
                </div>
            }
        })
    }
}

/// Follows the browser's online and offline events and the service worker's messages.
#[cfg(feature = "hydrate")]
fn listen(
    offline: RwSignal<bool>,
    saved_at: RwSignal<Option<String>>,
    live: RwSignal<u64>,
    moved_at: RwSignal<f64>,
) {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_line = js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"onLine".into()))
        .ok()
        .and_then(|v| v.as_bool());
    offline.set(on_line == Some(false));
    let on_online = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        offline.set(false);
        // Whatever changed while away: every page refetches.
        live.update(|v| *v += 1);
    });
    let on_offline = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        offline.set(true);
        super::browser::post_to_service_worker("status");
    });
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("offline", on_offline.as_ref().unchecked_ref());
    // The page lives as long as the document; so do these small handlers.
    on_online.forget();
    on_offline.forget();

    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let field = |name: &str| {
                js_sys::Reflect::get(&data, &JsValue::from_str(name))
                    .ok()
                    .and_then(|v| v.as_string())
            };
            match field("type").as_deref() {
                Some("stale") => saved_at.set(field("savedAt").map(|at| local_time(&at))),
                Some("fresh") => saved_at.set(None),
                // Only when the connection is known to be gone, and the page has just moved.
                Some("missing")
                    if (offline.get_untracked() || saved_at.with_untracked(Option::is_some))
                        && js_sys::Date::now() - moved_at.get_untracked() < 5_000.0 =>
                {
                    reload_from_saved_copy()
                }
                _ => {}
            }
        });
    super::browser::on_service_worker_message(on_message.as_ref().unchecked_ref());
    on_message.forget();
    // A copy may have been shown before this page was listening: ask.
    super::browser::post_to_service_worker("status");
}

/// Reloads the page, which the service worker answers from its saved copy (or with a page
/// saying none was saved), unless this very page was reloaded so in the last 15 seconds.
#[cfg(feature = "hydrate")]
fn reload_from_saved_copy() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let Ok(href) = location.href() else {
        return;
    };
    let now = js_sys::Date::now();
    let key = format!("settle-offline-reload:{href}");
    let storage = window.session_storage().ok().flatten();
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|v| v.parse::<f64>().ok());
    if last.is_some_and(|at| now - at < 15_000.0) {
        return;
    }
    if let Some(storage) = storage {
        let _ = storage.set_item(&key, &now.to_string());
    }
    let _ = location.reload();
}

/// "at 14:02 on 5 Dec 2026", in the device's time zone and language.
#[cfg(feature = "hydrate")]
fn local_time(iso: &str) -> String {
    use wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return String::from("earlier");
    }
    let time = date.to_locale_time_string_with_options("default", &short("timeStyle"));
    let day = date.to_locale_date_string("default", &short("dateStyle"));
    format!("at {} on {}", String::from(time), String::from(day))
}

#[cfg(feature = "hydrate")]
fn short(style: &str) -> wasm_bindgen::JsValue {
    let options = js_sys::Object::new();
    let value = if style == "dateStyle" {
        "medium"
    } else {
        "short"
    };
    let _ = js_sys::Reflect::set(&options, &style.into(), &value.into());
    options.into()
}

#[cfg(test)]
mod tests {
    use super::banner_text;

    #[test]
    fn the_banner_says_offline_and_how_old_the_copy_is() {
        assert_eq!(banner_text(false, None), None);
        let offline = banner_text(true, Some("at 14:02 on 5 Dec 2026".into())).unwrap();
        assert!(offline.starts_with("You are offline. Showing what was saved at 14:02"));
        let unreachable = banner_text(false, Some("at 09:00 on 1 Dec 2026".into())).unwrap();
        assert!(unreachable.starts_with("Settle cannot be reached."));
        assert!(banner_text(true, None)
            .unwrap()
            .contains("Changes are not saved"));
    }
}
