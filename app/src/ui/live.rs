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
            // The server names its events "change"; plain messages count too.
            let callback = on_message.as_ref().unchecked_ref();
            let _ = source.add_event_listener_with_callback("change", callback);
            source.set_onmessage(Some(callback));
            stream.set_value(Some((source, on_message)));
        });
        on_cleanup(move || {
            if let Some(Some((source, _))) = stream.try_update_value(Option::take) {
                source.close();
            }
        });
    }
}
