//! The logo on the settings page: shown as stored, replaced by choosing a file (sent to
//! `POST /settings/logo` at once), or removed.

use crate::api::settings::remove_logo;
use leptos::prelude::*;

/// Where the logo stands.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum Upload {
    Idle,
    Sending,
    Done,
    Failed(String),
}

/// The logo section. `version` is the settings form's profile version, which a new or
/// removed logo moves on, so that the form's next save is not taken for a stale one.
#[component]
pub fn LogoField(has_logo: bool, version: RwSignal<i64>) -> impl IntoView {
    let shown = RwSignal::new(has_logo.then_some(version.get_untracked()));
    let status = RwSignal::new(Upload::Idle);
    let remove = Action::new(|_: &()| remove_logo());
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(v)) => {
            version.set(v);
            shown.set(None);
            status.set(Upload::Idle);
        }
        Some(Err(e)) => status.set(Upload::Failed(e.to_string())),
        None => {}
    });
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        send::start(event_target(&ev), status, shown, version);
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let message = move || match status.get() {
        Upload::Idle => String::new(),
        Upload::Sending => "Uploading…".to_string(),
        Upload::Done => "Logo saved.".to_string(),
        Upload::Failed(message) => message,
    };
    let failed = move || matches!(status.get(), Upload::Failed(_));
    view! {
        <section class="panel settings-section logo-section" aria-labelledby="settings-logo">
            <h2 id="settings-logo">"Logo"</h2>
            <div class="logo-row">
                <div class="logo-preview">
                    {move || match shown.get() {
                        Some(v) => view! {
                            <img src=format!("/settings/logo?v={v}") alt="Your logo" data-testid="logo-preview" />
                        }.into_any(),
                        None => view! { <span class="muted">"No logo yet"</span> }.into_any(),
                    }}
                </div>
                <div class="field" class:invalid=failed>
                    <label for="logo">"Choose a logo (PNG or JPEG, up to 1 MB)"</label>
                    <input id="logo" type="file" accept="image/png,image/jpeg"
                        aria-describedby="logo-status" on:change=on_change />
                    <p id="logo-status" class=move || if failed() { "field-error" } else { "field-hint" }
                        role="status" aria-live="polite">{message}</p>
                    {move || shown.get().is_some().then(|| view! {
                        <button type="button" class="button ghost small"
                            disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(()); }>
                            "Remove logo"
                        </button>
                    })}
                </div>
            </div>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod send {
    use super::Upload;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// store::business::MAX_LOGO_BYTES, checked here too so nothing large is sent in vain.
    const MAX_BYTES: f64 = 1024.0 * 1024.0;
    const UNREACHABLE: &str =
        "The upload did not reach the server; check the connection and try again.";

    pub fn start(
        input: web_sys::HtmlInputElement,
        status: RwSignal<Upload>,
        shown: RwSignal<Option<i64>>,
        version: RwSignal<i64>,
    ) {
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        if file.size() > MAX_BYTES {
            status.set(Upload::Failed(
                "The logo is larger than 1 MB; choose a smaller PNG or JPEG.".into(),
            ));
            return;
        }
        status.set(Upload::Sending);
        leptos::task::spawn_local(async move {
            match post(&file).await {
                Ok(v) => {
                    version.set(v);
                    shown.set(Some(v));
                    status.set(Upload::Done);
                }
                Err(message) => status.set(Upload::Failed(message)),
            }
        });
    }

    async fn post(file: &web_sys::File) -> Result<i64, String> {
        let failed = |_| UNREACHABLE.to_string();
        let window = web_sys::window().ok_or(UNREACHABLE)?;
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Content-Type", &file.type_()).map_err(failed)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(file);
        let response = JsFuture::from(window.fetch_with_str_and_init("/settings/logo", &init))
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
            return body["version"]
                .as_i64()
                .ok_or_else(|| UNREACHABLE.to_string());
        }
        Err(body["error"].as_str().map_or_else(
            || format!("The upload failed ({}).", response.status()),
            str::to_string,
        ))
    }
}
