//! Reading the chosen statement file in the browser, to send it base64-encoded.

/// Reads the input's first file; `done` gets its name and its bytes in base64.
#[cfg(feature = "hydrate")]
pub fn read_chosen(input: web_sys::HtmlInputElement, done: impl FnOnce(String, String) + 'static) {
    use base64::Engine;
    use wasm_bindgen_futures::JsFuture;
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    leptos::task::spawn_local(async move {
        if let Ok(buffer) = JsFuture::from(file.array_buffer()).await {
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            done(
                name,
                base64::engine::general_purpose::STANDARD.encode(bytes),
            );
        }
    });
}
