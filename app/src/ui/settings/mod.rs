//! The settings page (owner only): the business's profile on documents, payment details,
//! the logo, time zone and tax rounding, and the mail server invoices are sent through. The form saves everything at once or nothing; a
//! save from another tab shows here as a notice rather than rewriting what is being typed.

mod bank_accounts;
mod email;
mod logo;
mod tax_rates;

pub use bank_accounts::BankAccountsPage;
pub use tax_rates::TaxRatesPage;

use crate::api::settings::{get_business_profile, get_settings, save_settings, SettingsForm};
use crate::api::AppError;
use crate::ui::components::{load_error, Loading, PageHeader};
use crate::ui::fields::{
    clear_field, field_error, use_hydrated, FieldError, FormError, SubmitButton, TextField,
};
use crate::ui::live::use_live_version;
use email::EmailSettingsSection;
use leptos::prelude::*;
use leptos_meta::Title;
use logo::LogoField;

#[component]
pub fn SettingsPage() -> impl IntoView {
    // Not keyed on the live version: a change elsewhere must not wipe what is being typed.
    let settings = Resource::new(|| (), |_| get_settings());
    view! {
        <Title text="Settings" />
        <PageHeader title="Settings">
            <leptos_router::components::A href="/settings/numbering" attr:class="button secondary">
                "Numbering"
            </leptos_router::components::A>
            <leptos_router::components::A href="/settings/bank-accounts" attr:class="button secondary">
                "Bank accounts"
            </leptos_router::components::A>
            <leptos_router::components::A href="/settings/tax-rates" attr:class="button secondary">
                "Tax rates"
            </leptos_router::components::A>
            <leptos_router::components::A href="/settings/api-tokens" attr:class="button secondary">
                "API tokens"
            </leptos_router::components::A>
        </PageHeader>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! {
                        <SettingsEditor form=s.form has_logo=s.has_logo time_zones=s.time_zones />
                    }.into_any(),
                    Err(e @ AppError::Forbidden(_)) => view! {
                        <section class="panel narrow">
                            <p class="banner banner-error" role="alert">{e.to_string()}</p>
                        </section>
                    }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

/// A multi-line text field bound to a signal, with its message below it.
#[component]
pub(crate) fn TextArea(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Option<AppError>>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error = field_error(errors, id);
    let initial = value.get_untracked();
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <textarea id=id name=id rows=rows bind:value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")
            >{crate::ui::fields::rcdata_text(&initial)}</textarea>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <FieldError id=format!("{id}-error") error />
        </div>
    }
}

#[component]
fn SettingsEditor(form: SettingsForm, has_logo: bool, time_zones: Vec<String>) -> impl IntoView {
    let version = RwSignal::new(form.version);
    let field = |value: &String| RwSignal::new(value.clone());
    let name = field(&form.name);
    let legal_name = field(&form.legal_name);
    let address = field(&form.address);
    let email = field(&form.email);
    let phone = field(&form.phone);
    let tax_id = field(&form.tax_id);
    let registration_number = field(&form.registration_number);
    let bank_name = field(&form.bank_name);
    let iban = field(&form.iban);
    let bic = field(&form.bic);
    let payment_note = field(&form.payment_note);
    let invoice_footer = field(&form.invoice_footer);
    let time_zone = field(&form.time_zone);
    let tax_rounding = field(&form.tax_rounding);
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = Action::new(move |form: &SettingsForm| save_settings(form.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(new_version)) => {
            version.set(new_version);
            saved.set(true);
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        saved.set(false);
        action.dispatch(SettingsForm {
            name: name.get_untracked(),
            legal_name: legal_name.get_untracked(),
            address: address.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            tax_id: tax_id.get_untracked(),
            registration_number: registration_number.get_untracked(),
            bank_name: bank_name.get_untracked(),
            iban: iban.get_untracked(),
            bic: bic.get_untracked(),
            payment_note: payment_note.get_untracked(),
            invoice_footer: invoice_footer.get_untracked(),
            time_zone: time_zone.get_untracked(),
            tax_rounding: tax_rounding.get_untracked(),
            version: version.get_untracked(),
        });
    };
    let rounding_error = field_error(errors, "tax_rounding");
    let initial_rounding = form.tax_rounding.clone();
    view! {
        <ChangedElsewhere version />
        <form class="form settings-form" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <section class="panel settings-section" aria-labelledby="settings-business">
                    <h2 id="settings-business">"Business"</h2>
                    <p class="hint">"As your invoices and statements present you."</p>
                    <div class="field-row">
                        <TextField id="name" label="Trading name" value=name errors required=true
                            autocomplete="organization" hint="Shown in the app and at the head of documents." />
                        <TextField id="legal_name" label="Legal name" value=legal_name errors
                            hint="The registered name, if it differs." />
                    </div>
                    <TextArea id="address" label="Address" value=address errors rows=4 />
                    <div class="field-row">
                        <TextField id="email" label="Email" value=email errors kind="email" autocomplete="email" />
                        <TextField id="phone" label="Phone" value=phone errors kind="tel" autocomplete="tel" />
                    </div>
                    <div class="field-row">
                        <TextField id="tax_id" label="VAT number" value=tax_id errors
                            hint="Printed on invoices as your tax id." />
                        <TextField id="registration_number" label="Company registration number"
                            value=registration_number errors />
                    </div>
                </section>
                <section class="panel settings-section" aria-labelledby="settings-payment">
                    <h2 id="settings-payment">"Payment instructions"</h2>
                    <p class="hint">"Printed under \"How to pay\" on every invoice that is owed."</p>
                    <TextField id="bank_name" label="Bank name" value=bank_name errors />
                    <div class="field-row">
                        <TextField id="iban" label="IBAN" value=iban errors autocomplete="off"
                            hint="Checked against its check digits." />
                        <TextField id="bic" label="BIC / SWIFT" value=bic errors autocomplete="off" />
                    </div>
                    <TextArea id="payment_note" label="Other payment details" value=payment_note errors
                        hint="A sort code and account number, a payment link, what to quote." />
                </section>
                <section class="panel settings-section" aria-labelledby="settings-documents">
                    <h2 id="settings-documents">"Documents"</h2>
                    <TextArea id="invoice_footer" label="Invoice footer" value=invoice_footer errors rows=2
                        hint="A line at the foot of every page, such as your terms." />
                </section>
                <section class="panel settings-section" aria-labelledby="settings-books">
                    <h2 id="settings-books">"Time and tax"</h2>
                    <div class="field-row">
                        <TimeZoneField value=time_zone errors />
                        <div class="field" class:invalid=move || rounding_error.with(Option::is_some)>
                            <label for="tax_rounding">"Tax rounding"</label>
                            <select id="tax_rounding" bind:value=tax_rounding>
                                <option value="per_document" selected=initial_rounding == "per_document">
                                    "Once per rate on the document"
                                </option>
                                <option value="per_line" selected=initial_rounding == "per_line">
                                    "On every line"
                                </option>
                            </select>
                            <p class="hint">"Applies to drafts saved from now on; issued invoices keep theirs."</p>
                            <FieldError id="tax_rounding-error" error=rounding_error />
                        </div>
                    </div>
                    <datalist id="time-zones">
                        {time_zones.into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
                    </datalist>
                </section>
                <FormError errors />
                {move || saved.get().then(|| view! {
                    <p class="banner banner-success" role="status">"Settings saved."</p>
                })}
                <div class="form-actions">
                    <SubmitButton label="Save settings" pending=action.pending() />
                </div>
            </fieldset>
        </form>
        <LogoField has_logo version />
        <EmailSettingsSection />
    }
}

/// The IANA time zone name, with every name the server knows offered as the person types.
#[component]
fn TimeZoneField(value: RwSignal<String>, errors: RwSignal<Option<AppError>>) -> impl IntoView {
    let error = field_error(errors, "time_zone");
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for="time_zone">"Time zone"</label>
            <input id="time_zone" name="time_zone" list="time-zones" autocomplete="off"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:input=move |_| clear_field(errors, "time_zone")
                bind:value=value />
            <p class="hint">"Where \"today\" is for due dates and overdue, e.g. Europe/London."</p>
            <FieldError id="time_zone-error" error />
        </div>
    }
}

/// A notice when the settings were saved somewhere else after this page loaded them. Read
/// in the browser only, after each change event.
#[component]
fn ChangedElsewhere(version: RwSignal<i64>) -> impl IntoView {
    let live = use_live_version();
    let latest = LocalResource::new(move || {
        live.track();
        get_business_profile()
    });
    let stale = move || {
        latest
            .get()
            .and_then(Result::ok)
            .is_some_and(|p| p.version > version.get())
    };
    move || {
        stale().then(|| {
            view! {
                <p class="banner banner-info" role="status">
                    "These settings were changed in another window. "
                    <a href="/settings" rel="external">"Load the latest"</a>
                    " before saving, or your save will be refused."
                </p>
            }
        })
    }
}
