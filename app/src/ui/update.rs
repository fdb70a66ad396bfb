//! New builds. The server names the build it serves (in `<meta name="settle-build">` of every
//! page, and the `x-settle-build` header of `/sw.js`, whose source carries it too). The page
//! registers the service worker for its own build; when the server later serves another one
//! (checked when the live stream reconnects, when the device comes back online, when the page
//! is shown again and every few minutes) the new worker installs beside the old one and
//! waits. The page then says "A new version of Settle is ready" with a Reload button: only
//! when the person presses it does the new worker take over, and the page reloads once, so
//! a form being filled in is never lost and no page runs old wasm under a new worker unasked.
//! A page loaded after the deploy already runs the new build: it lets the waiting worker take
//! over at once, and other pages still on the old build are told as above.

use leptos::prelude::*;

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = RwSignal::new(false);
    let reloading = RwSignal::new(false);
    // After hydration: the server's page knows of no newer build.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| imp::start(ready));
    move || {
        ready.get().then(|| {
            view! {
                <div class="update-banner" role="status" data-testid="update-banner">
                    <span>"A new version of Settle is ready."</span>
                    <button
                        type="button"
                        class="button primary small"
                        disabled=move || reloading.get()
                        on:click=move |_| {
                            reloading.set(true);
                            #[cfg(feature = "hydrate")]
                            imp::apply();
                        }
                    >
                        "Reload"
                    </button>
                </div>
            }
        })
    }
}

/// Asks the server which build it serves now; a different one starts the new worker's
/// install. Cheap and throttled: call it whenever the server may have been replaced.
#[cfg(feature = "hydrate")]
pub fn check_for_update() {
    imp::check();
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::super::browser::call_method;
    use js_sys::Reflect;
    use leptos::prelude::*;
    use std::cell::RefCell;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    struct State {
        /// The build this page runs.
        build: String,
        ready: RwSignal<bool>,
        registration: Option<JsValue>,
        /// A worker controlled this page: a change of worker is then a new build's.
        had_controller: bool,
        /// The person asked for the new build: the change of worker reloads the page.
        applying: bool,
        /// This page let a worker of its own build take over: nothing to reload.
        adopting: bool,
        reloaded: bool,
        last_check: f64,
    }

    thread_local! {
        static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
    }

    /// Checks at most this often (milliseconds), whatever asks.
    const MIN_CHECK_GAP: f64 = 5_000.0;
    /// And at least this often while the page is open.
    const CHECK_EVERY_MS: i32 = 5 * 60 * 1000;

    fn with<R>(work: impl FnOnce(&mut State) -> R) -> Option<R> {
        STATE.with(|state| state.borrow_mut().as_mut().map(work))
    }

    fn get(target: &JsValue, name: &str) -> Option<JsValue> {
        Reflect::get(target, &name.into())
            .ok()
            .filter(|v| !v.is_null() && !v.is_undefined())
    }

    fn container() -> Option<JsValue> {
        let window = web_sys::window()?;
        let navigator = get(&window, "navigator")?;
        get(&navigator, "serviceWorker")
    }

    /// Adds an event listener that lives as long as the page.
    fn listen(target: &JsValue, event: &str, handler: impl FnMut(JsValue) + 'static) {
        let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
        if let Some(add) =
            get(target, "addEventListener").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = add.call2(target, &event.into(), closure.as_ref());
        }
        closure.forget();
    }

    fn message(kind: &str) -> JsValue {
        let message = js_sys::Object::new();
        let _ = Reflect::set(&message, &"type".into(), &kind.into());
        message.into()
    }

    fn page_build() -> String {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("meta[name=settle-build]").ok().flatten())
            .and_then(|meta| meta.get_attribute("content"))
            .unwrap_or_default()
    }

    pub fn start(ready: RwSignal<bool>) {
        let build = page_build();
        let container = container();
        let had_controller = container
            .as_ref()
            .and_then(|c| get(c, "controller"))
            .is_some();
        STATE.with(|state| {
            *state.borrow_mut() = Some(State {
                build: build.clone(),
                ready,
                registration: None,
                had_controller,
                applying: false,
                adopting: false,
                reloaded: false,
                last_check: 0.0,
            })
        });
        if let Some(container) = &container {
            listen(container, "message", |event| {
                let Some(data) = get(&event, "data") else {
                    return;
                };
                let field = |name: &str| get(&data, name).and_then(|v| v.as_string());
                if field("type").as_deref() == Some("build") {
                    on_build(field("build").unwrap_or_default());
                }
            });
            listen(container, "controllerchange", |_| on_controller_change());
            let url = if build.is_empty() {
                String::from("/sw.js")
            } else {
                format!("/sw.js?v={build}")
            };
            register(container, &url);
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let window: JsValue = window.into();
        listen(&window, "online", |_| check());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            listen(&document.into(), "visibilitychange", |_| check());
        }
        let every = Closure::<dyn FnMut()>::new(check);
        if let Some(window) = web_sys::window() {
            let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
                every.as_ref().unchecked_ref(),
                CHECK_EVERY_MS,
            );
        }
        every.forget();
    }

    fn register(container: &JsValue, url: &str) {
        let Some(promise) = call_method(container, "register", &url.into())
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        else {
            return;
        };
        let done = Closure::<dyn FnMut(JsValue)>::new(watch);
        // A refused registration (private window, blocked by policy) is not worth an error.
        let refused = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = promise.then2(&done, &refused);
        done.forget();
        refused.forget();
    }

    fn watch(registration: JsValue) {
        let first = with(|state| {
            let first = state.registration.is_none();
            state.registration = Some(registration.clone());
            first
        })
        .unwrap_or(false);
        if first {
            let source = registration.clone();
            listen(&registration, "updatefound", move |_| {
                let Some(worker) = get(&source, "installing") else {
                    return;
                };
                let installing = worker.clone();
                listen(&worker, "statechange", move |_| {
                    if get(&installing, "state")
                        .and_then(|s| s.as_string())
                        .as_deref()
                        == Some("installed")
                    {
                        look();
                    }
                });
            });
        }
        look();
    }

    fn waiting() -> Option<JsValue> {
        let registration = with(|state| state.registration.clone()).flatten()?;
        get(&registration, "waiting")
    }

    /// A worker waiting while another controls this page: ask it which build it brings.
    fn look() {
        if container().and_then(|c| get(&c, "controller")).is_none() {
            return;
        }
        if let Some(waiting) = waiting() {
            let _ = call_method(&waiting, "postMessage", &message("build"));
        }
    }

    fn on_build(build: String) {
        let Some((mine, ready)) = with(|state| (state.build.clone(), state.ready)) else {
            return;
        };
        if !mine.is_empty() && build == mine {
            // This page already runs the waiting worker's build (it was loaded after the
            // deploy): let that worker take over; pages on the old build are told.
            with(|state| state.adopting = true);
            if let Some(waiting) = waiting() {
                let _ = call_method(&waiting, "postMessage", &message("skip-waiting"));
            }
        } else {
            ready.set(true);
        }
    }

    fn on_controller_change() {
        let Some((applying, adopting, had_controller, ready)) = with(|state| {
            let seen = (
                state.applying,
                state.adopting,
                state.had_controller,
                state.ready,
            );
            state.had_controller = true;
            state.adopting = false;
            seen
        }) else {
            return;
        };
        if applying {
            reload_once();
        } else if had_controller && !adopting {
            // Another page brought the new build in: this one, still on the old, says so.
            ready.set(true);
        }
    }

    /// The person pressed Reload: the waiting worker takes over, then the page reloads once.
    pub fn apply() {
        with(|state| state.applying = true);
        match waiting() {
            Some(waiting) => {
                let _ = call_method(&waiting, "postMessage", &message("skip-waiting"));
                // Should the change of worker never be announced, reload all the same.
                let fallback = Closure::<dyn FnMut()>::new(reload_once);
                if let Some(window) = web_sys::window() {
                    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                        fallback.as_ref().unchecked_ref(),
                        5_000,
                    );
                }
                fallback.forget();
            }
            None => reload_once(),
        }
    }

    fn reload_once() {
        if with(|state| std::mem::replace(&mut state.reloaded, true)) == Some(true) {
            return;
        }
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    }

    pub fn check() {
        let now = js_sys::Date::now();
        let due = with(|state| {
            let due = now - state.last_check >= MIN_CHECK_GAP;
            if due {
                state.last_check = now;
            }
            due
        });
        if due != Some(true) {
            return;
        }
        leptos::task::spawn_local(async {
            let Some(server) = server_build().await else {
                return;
            };
            let Some((mine, ready)) = with(|state| (state.build.clone(), state.ready)) else {
                return;
            };
            if server == mine {
                return;
            }
            match container() {
                // The new worker installs under its own address; once it waits, the page asks
                // it which build it brings and tells the person.
                Some(container) => register(&container, &format!("/sw.js?v={server}")),
                None => ready.set(true),
            }
        });
    }

    /// The build the server serves now; `None` when it cannot be reached.
    async fn server_build() -> Option<String> {
        let window = web_sys::window()?;
        let init = js_sys::Object::new();
        Reflect::set(&init, &"cache".into(), &"no-store".into()).ok()?;
        let init: web_sys::RequestInit = init.unchecked_into();
        let response =
            wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init("/sw.js", &init))
                .await
                .ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        response
            .headers()
            .get("x-settle-build")
            .ok()
            .flatten()
            .filter(|b| !b.is_empty())
    }
}
