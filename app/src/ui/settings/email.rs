//! The email settings (owner only): the SMTP server invoices are sent through. The password
//! is never shown: the form says whether one is stored, and a new one replaces it.

use crate::api::email::{get_email_settings, save_email_settings, EmailSettingsForm};
use crate::api::AppError;
use crate::domain::delivery::EmailSecurity;
use crate::ui::fields::{field_error, FieldError, FormError, SubmitButton, TextField};
use leptos::prelude::*;

#[component]
pub fn EmailSettingsSection() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_email_settings());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                settings.await.ok().map(|s| {
                    let form = EmailSettingsForm {
                        host: s.host,
                        port: s.port,
                        security: s.security.key().to_string(),
                        username: s.username,
                        password: String::new(),
                        from_address: s.from_address,
                        site_address: s.site_address,
                    };
                    view! { <EmailSettingsEditor form password_set=s.password_set /> }
                })
            })}
        </Suspense>
    }
}

#[component]
fn EmailSettingsEditor(form: EmailSettingsForm, password_set: bool) -> impl IntoView {
    let field = |value: &String| RwSignal::new(value.clone());
    let host = field(&form.host);
    let port = field(&form.port);
    let security = field(&form.security);
    let username = field(&form.username);
    let password = RwSignal::new(String::new());
    let from_address = field(&form.from_address);
    let site_address = field(&form.site_address);
    let stored = RwSignal::new(password_set);
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(|form: &EmailSettingsForm| save_email_settings(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            saved.set(true);
            stored.set(
                !username.get_untracked().trim().is_empty()
                    && (stored.get_untracked() || !password.get_untracked().is_empty()),
            );
            password.set(String::new());
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(false);
        action.dispatch(EmailSettingsForm {
            host: host.get_untracked(),
            port: port.get_untracked(),
            security: security.get_untracked(),
            username: username.get_untracked(),
            password: password.get_untracked(),
            from_address: from_address.get_untracked(),
            site_address: site_address.get_untracked(),
        });
    };
    let security_error = field_error(errors, "security");
    let initial_security = form.security.clone();
    let password_hint = move || {
        if stored.get() {
            "A password is set. Leave this empty to keep it, or type a new one to replace it."
        } else {
            "No password is set."
        }
    };
    view! {
        <form class="form settings-form" on:submit=submit novalidate>
            <section class="panel settings-section" aria-labelledby="settings-email">
                <h2 id="settings-email">"Mail server"</h2>
                <p class="hint">"The mail server invoices are sent through, with their PDF attached."</p>
                <div class="field-row">
                    <TextField id="host" label="SMTP server" value=host errors autocomplete="off"
                        hint="Like smtp.example.com." />
                    <TextField id="port" label="Port" value=port errors inputmode="numeric" />
                </div>
                <div class="field" class:invalid=move || security_error.with(Option::is_some)>
                    <label for="security">"Security"</label>
                    <select id="security" bind:value=security>
                        {EmailSecurity::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=initial_security == s.key()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                    <FieldError id="security-error" error=security_error />
                </div>
                <div class="field-row">
                    <TextField id="username" label="User name" value=username errors autocomplete="off" />
                    <div class="field">
                        <label for="smtp-password">"Password"</label>
                        <input id="smtp-password" type="password" autocomplete="new-password"
                            bind:value=password aria-describedby="smtp-password-hint" />
                        <p class="hint" id="smtp-password-hint">{password_hint}</p>
                    </div>
                </div>
                <div class="field-row">
                    <TextField id="from_address" label="Send from" value=from_address errors kind="email"
                        hint="The address customers see the email come from." />
                    <TextField id="site_address" label="Public URL of Settle" value=site_address errors
                        inputmode="url" autocomplete="off" hint="Like https://books.example.com, where customers reach it: private links in emails start with it." />
                </div>
                <FormError errors />
                {move || saved.get().then(|| view! {
                    <p class="banner banner-success" role="status">"Email settings saved."</p>
                })}
                <div class="form-actions">
                    <SubmitButton label="Save email settings" pending=action.pending() />
                </div>
            </section>
        </form>
    }
}
