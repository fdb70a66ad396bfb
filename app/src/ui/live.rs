//! Live updates: a version number that goes up whenever the server says something changed,
//! so every resource that reads it refetches without a reload.

use leptos::prelude::*;

/// Bumped once per change event from the server (`GET /events`).
#[derive(Clone, Copy)]
struct LiveVersion(RwSignal<u64>);

/// Makes the live version available to every page. Called once, in `App`.
pub fn provide_live_version() {
    provide_context(LiveVersion(RwSignal::new(0)));
}

/// The live version signal. Put `live.get()` in a resource's source to refetch on changes.
pub fn use_live_version() -> RwSignal<u64> {
    use_context::<LiveVersion>()
        .map(|v| v.0)
        .unwrap_or_else(|| RwSignal::new(0))
}

/// Opens the Server-Sent Events stream while mounted (browser only) and bumps the version
/// on each message. The browser reconnects by itself after a network drop.
#[component]
pub fn LiveUpdates() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        use web_sys::{EventSource, MessageEvent};

        let version = use_live_version();
        let stream =
            StoredValue::new_local(None::<(EventSource, Closure<dyn FnMut(MessageEvent)>)>);
        Effect::new(move |_| {
            let Ok(source) = EventSource::new("/events") else {
                return;
            };
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                version.update(|v| *v += 1);
            });
            // The server names its events "change"; plain messages count too. Opening (and
            // re-opening after a drop) counts as well: whatever changed between the server
            // rendering this page and the stream connecting would otherwise be missed.
            let callback = on_message.as_ref().unchecked_ref();
            let _ = source.add_event_listener_with_callback("change", callback);
            let _ = source.add_event_listener_with_callback("open", callback);
            source.set_onmessage(Some(callback));
            mark_connection(&source);
            // The stream reopening may mean a new server: perhaps a new build.
            let on_open = Closure::<dyn FnMut()>::new(super::update::check_for_update);
            let _ =
                source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
            on_open.forget();
            stream.set_value(Some((source, on_message)));
        });
        /// `<html data-live="connected">` while the stream is open, for people's
        /// assistive tools and for tests that must know the page is listening.
        fn mark_connection(source: &EventSource) {
            let set = |state: &'static str| {
                move |_: web_sys::Event| {
                    if let Some(root) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.document_element())
                    {
                        let _ = root.set_attribute("data-live", state);
                    }
                }
            };
            for (event, state) in [("open", "connected"), ("error", "reconnecting")] {
                let handler = Closure::<dyn FnMut(web_sys::Event)>::new(set(state));
                let _ = source
                    .add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
                // The stream lives as long as the page; so do its two small handlers.
                handler.forget();
            }
        }

        on_cleanup(move || {
            if let Some(Some((source, _))) = stream.try_update_value(Option::take) {
                source.close();
            }
        });
    }
}
