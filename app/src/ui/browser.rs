//! The few browser facilities the pages use directly: the service worker and random
//! request keys. On the server these do nothing (or something harmless).

/// The page's origin (`https://books.example.com`), for links to pass on; empty on the server.
pub fn origin() -> String {
    #[cfg(feature = "hydrate")]
    if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
        return origin;
    }
    String::new()
}

/// Puts `text` on the clipboard (where the browser allows it: a secure context, after a
/// click); the field beside the button still lets a person select and copy it themselves.
pub fn copy_text(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let copied = || -> Option<()> {
            let window = web_sys::window()?;
            let navigator = js_sys::Reflect::get(&window, &"navigator".into()).ok()?;
            let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
            if clipboard.is_undefined() || clipboard.is_null() {
                return None;
            }
            let promise = call_method(&clipboard, "writeText", &text.into())?;
            let promise: js_sys::Promise = wasm_bindgen::JsCast::dyn_into(promise).ok()?;
            let ignore_failure =
                wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(
                    |_: wasm_bindgen::JsValue| {},
                );
            let _ = promise.catch(&ignore_failure);
            ignore_failure.forget();
            Some(())
        };
        let _ = copied();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Asks the service worker to forget its cached pages, which may show a signed-in screen.
pub fn clear_offline_cache() {
    #[cfg(feature = "hydrate")]
    with_service_worker_container(|container| {
        let controller = js_sys::Reflect::get(container, &"controller".into()).ok()?;
        if controller.is_null() || controller.is_undefined() {
            return None;
        }
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"type".into(), &"clear".into()).ok()?;
        call_method(&controller, "postMessage", &message.into())?;
        Some(())
    });
}

/// Calls `listener` with each message the service worker sends this page.
#[cfg(feature = "hydrate")]
pub fn on_service_worker_message(listener: &js_sys::Function) {
    with_service_worker_container(|container| {
        let add = js_sys::Reflect::get(container, &"addEventListener".into()).ok()?;
        let add: &js_sys::Function = wasm_bindgen::JsCast::dyn_ref(&add)?;
        add.call2(container, &"message".into(), listener).ok()?;
        Some(())
    });
}

/// Sends `{type}` to the service worker controlling this page, if one does.
#[cfg(feature = "hydrate")]
pub fn post_to_service_worker(kind: &str) {
    with_service_worker_container(|container| {
        let controller = js_sys::Reflect::get(container, &"controller".into()).ok()?;
        if controller.is_null() || controller.is_undefined() {
            return None;
        }
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"type".into(), &kind.into()).ok()?;
        call_method(&controller, "postMessage", &message.into())?;
        Some(())
    });
}

#[cfg(feature = "hydrate")]
pub(super) fn with_service_worker_container(
    work: impl FnOnce(&wasm_bindgen::JsValue) -> Option<()>,
) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(navigator) = js_sys::Reflect::get(&window, &"navigator".into()) else {
        return;
    };
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    if let Ok(container) = js_sys::Reflect::get(&navigator, &"serviceWorker".into()) {
        let _ = work(&container);
    }
}

#[cfg(feature = "hydrate")]
pub(super) fn call_method(
    target: &wasm_bindgen::JsValue,
    name: &str,
    argument: &wasm_bindgen::JsValue,
) -> Option<wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let method: js_sys::Function = js_sys::Reflect::get(target, &name.into())
        .ok()?
        .dyn_into()
        .ok()?;
    method.call1(target, argument).ok()
}

/// A random key of 32 hex digits, made once per form so that a repeated submission of the
/// same form is recognised by the server and recorded only once.
pub fn request_key() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(feature = "hydrate")]
fn fill_random(bytes: &mut [u8]) {
    let from_crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(bytes).is_ok());
    if !from_crypto {
        for byte in bytes.iter_mut() {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
}

// The server never submits forms; its key is only a placeholder the browser replaces when
// the page hydrates, so it needs to be distinct rather than unpredictable.
#[cfg(not(feature = "hydrate"))]
fn fill_random(bytes: &mut [u8]) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mixed = nanos ^ u128::from(COUNTER.fetch_add(1, Ordering::Relaxed)) << 64;
    for (byte, source) in bytes.iter_mut().zip(mixed.to_le_bytes()) {
        *byte = source;
    }
}
