//! Form plumbing shared by every form: labelled inputs, messages next to fields, the
//! form-level error banner.

use crate::api::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The message for one field out of the last error a form got back.
pub fn field_error(
    errors: RwSignal<Option<AppError>>,
    name: impl Into<String>,
) -> Signal<Option<String>> {
    let name = name.into();
    Signal::derive(move || errors.with(|e| e.as_ref().and_then(|e| e.field(&name))))
}

/// Forgets the message of one field once the person edits it.
pub fn clear_field(errors: RwSignal<Option<AppError>>, name: &str) {
    if errors.with_untracked(|e| e.as_ref().is_some_and(|e| e.field(name).is_some())) {
        errors.update(|e| {
            if let Some(AppError::Invalid(fields)) = e {
                fields.0.retain(|(field, _)| field != name);
            }
        });
    }
}

/// A labelled text-like input bound to a signal, with its error message below it. The
/// input's id is also the name of its field in the server's error.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    errors: RwSignal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] readonly: bool,
) -> impl IntoView {
    let error = field_error(errors, id.clone());
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    let field = id.clone();
    let (label_for, input_name) = (id.clone(), id.clone());
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=label_for>{label}</label>
            <input
                id=id
                name=input_name
                type=kind
                inputmode=inputmode
                autocomplete=autocomplete
                required=required
                readonly=readonly
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
                on:input=move |_| clear_field(errors, &field)
                bind:value=value
            />
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <FieldError id=error_id error />
        </div>
    }
}

/// The message beside a field, announced when it appears.
#[component]
pub fn FieldError(
    #[prop(into)] id: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        error.get().map(
            |message| view! { <p class="field-error" role="alert" id=id>{sentence(&message)}</p> },
        )
    }
}

/// The banner above a form's buttons for problems that are not about one field. A lapsed
/// session sends the person to sign in again. `also` names fields without an input of
/// their own (such as "lines"), whose messages are shown in the banner.
#[component]
pub fn FormError(
    errors: RwSignal<Option<AppError>>,
    #[prop(optional)] also: &'static [&'static str],
    /// What the banner says when fields were refused; forms that save nothing (sign-in) say
    /// something other than the default.
    #[prop(default = "Some fields need attention; nothing was saved.")]
    invalid_summary: &'static str,
) -> impl IntoView {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if errors.with(|e| matches!(e, Some(AppError::Unauthorised))) {
            navigate("/login", Default::default());
        }
    });
    move || {
        let error = errors.get()?;
        if matches!(&error, AppError::Invalid(fields) if fields.is_empty()) {
            return None;
        }
        let (message, details) = match &error {
            AppError::Invalid(fields) => (
                invalid_summary.to_string(),
                also.iter()
                    .filter_map(|name| fields.get(name))
                    .collect::<Vec<_>>(),
            ),
            other => (other.to_string(), Vec::new()),
        };
        Some(view! {
            <div class="banner banner-error" role="alert">
                <p>{message}</p>
                {details.into_iter().map(|d| view! { <p>{d}</p> }).collect_view()}
            </div>
        })
    }
}

/// False until the page has hydrated. Forms keep their fieldset disabled until then, so
/// nothing typed into the server-rendered page is lost or submitted without the app.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

/// A submit button that is disabled while its request runs. Its name stays the same (people
/// and tests find it by name); a spinner shows that something is happening.
#[component]
pub fn SubmitButton(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(default = "button primary")] class: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional, into)] on_click: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            name=name
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| {
                if let Some(callback) = on_click {
                    callback.run(());
                }
            }
        >
            <span class="spinner" class:hidden=move || !pending.get() aria-hidden="true"></span>
            {label}
        </button>
    }
}

/// The server's messages are lower-case phrases; beside a field they read as sentences.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Text to place inside a `<textarea>` or the page's `<title>`. Leptos writes both into the
/// server-rendered page without escaping them, so a note or a customer's name holding
/// `</textarea>` or `</title>` would close the element and the rest would be read as markup.
/// On the server the text is escaped here (the browser decodes it back); in the browser it
/// is set as plain text, never parsed.
pub fn rcdata_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_string()
    }
}
