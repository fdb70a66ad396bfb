//! The expense form's receipt field: a photo or PDF is uploaded as soon as it is chosen, and
//! the expense links it by id when it is recorded.

use crate::api::AppError;
use crate::ui::fields::{clear_field, field_error, FieldError};
use leptos::prelude::*;

/// Where the chosen file stands.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum Upload {
    Nothing,
    Sending(String),
    Done(String),
    Failed(String),
}

/// A file input that uploads on change and puts the stored receipt's id in `receipt`;
/// `uploading` is true while a file is on its way, so the form can wait for it.
#[component]
pub fn ReceiptField(
    receipt: RwSignal<Option<i64>>,
    errors: RwSignal<Option<AppError>>,
    uploading: RwSignal<bool>,
) -> impl IntoView {
    let status = RwSignal::new(Upload::Nothing);
    Effect::new(move |_| uploading.set(matches!(status.get(), Upload::Sending(_))));
    // Counts uploads, so that a slow earlier upload cannot overwrite a later choice.
    let attempt = StoredValue::new(0u32);
    let server_error = field_error(errors, "receipt_id");
    let on_change = move |ev: leptos::ev::Event| {
        receipt.set(None);
        clear_field(errors, "receipt_id");
        attempt.update_value(|n| *n += 1);
        #[cfg(feature = "hydrate")]
        upload::start(event_target(&ev), attempt, receipt, status);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, attempt, status);
    };
    let message = move || match status.get() {
        Upload::Nothing => String::new(),
        Upload::Sending(name) => format!("Uploading {name}…"),
        Upload::Done(name) => format!("Attached: {name}"),
        Upload::Failed(message) => message,
    };
    let failed = move || matches!(status.get(), Upload::Failed(_)) || server_error.get().is_some();
    view! {
        <div class="field receipt-field" class:invalid=failed>
            <label for="receipt">"Receipt (photo or PDF, up to 5 MB)"</label>
            <input id="receipt" type="file" accept="image/*,application/pdf"
                aria-describedby="receipt-status" on:change=on_change />
            <p id="receipt-status" class=move || if failed() { "field-error" } else { "field-hint" }
                role="status" aria-live="polite" data-testid="receipt-status">{message}</p>
            <FieldError id="receipt_id-error" error=server_error />
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod upload {
    use super::Upload;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// The largest file the server keeps (store::expenses::MAX_RECEIPT_BYTES), checked here
    /// too so that a phone does not send megabytes only to be refused.
    const MAX_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

    /// Checks the chosen file and sends it; the outcome lands in `status` and `receipt`.
    pub fn start(
        input: web_sys::HtmlInputElement,
        attempt: StoredValue<u32>,
        receipt: RwSignal<Option<i64>>,
        status: RwSignal<Upload>,
    ) {
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            status.set(Upload::Nothing);
            return;
        };
        let name = file.name();
        if file.size() > MAX_BYTES {
            status.set(Upload::Failed(format!(
                "{name} is larger than 5 MB; choose a smaller photo or PDF."
            )));
            return;
        }
        let this = attempt.get_value();
        status.set(Upload::Sending(name.clone()));
        leptos::task::spawn_local(async move {
            let result = send(&file).await;
            if attempt.get_value() != this {
                return;
            }
            match result {
                Ok(id) => {
                    receipt.set(Some(id));
                    status.set(Upload::Done(name));
                }
                Err(message) => status.set(Upload::Failed(message)),
            }
        });
    }

    const UNREACHABLE: &str =
        "The upload did not reach the server; check the connection and try again.";

    /// POSTs the file as the body, its type as Content-Type and its name in X-File-Name.
    async fn send(file: &web_sys::File) -> Result<i64, String> {
        let failed = |_| UNREACHABLE.to_string();
        let window = web_sys::window().ok_or(UNREACHABLE)?;
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Content-Type", &file.type_()).map_err(failed)?;
        // Header values must be ASCII; the server decodes the name again.
        let name = String::from(js_sys::encode_uri_component(&file.name()));
        headers.set("X-File-Name", &name).map_err(failed)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(file);
        let response = JsFuture::from(window.fetch_with_str_and_init("/receipts", &init))
            .await
            .map_err(failed)?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| UNREACHABLE)?;
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if response.ok() {
            return body["id"].as_i64().ok_or_else(|| UNREACHABLE.to_string());
        }
        Err(body["error"].as_str().map_or_else(
            || format!("The upload failed ({}).", response.status()),
            str::to_string,
        ))
    }
}
