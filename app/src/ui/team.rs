//! People and access: the owner's list of users and invitations, each person's own account
//! (password, signing out everywhere), and the page an invitation link opens.

use super::components::{load_error, Loading, PageHeader};
use super::fields::{use_hydrated, FormError, SubmitButton, TextField};
use super::live::use_live_version;
use crate::api::team::{
    accept_invitation, change_password, get_invitation, invite_user, list_team, revoke_invitation,
    set_user_disabled, sign_out_everywhere, Team, TeamMember,
};
use crate::api::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// The signed-in person's own account.
#[component]
pub fn AccountPage() -> impl IntoView {
    let session = Resource::new(|| (), |_| crate::api::auth::get_session());
    view! {
        <Title text="Your account" />
        <PageHeader title="Your account" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let user = session.await.ok().and_then(|s| s.user);
                user.map(|u| {
                    let owner = u.role == "owner";
                    view! {
                        <p class="lead">{format!("Signed in as {} ({}).", u.email, u.role)}</p>
                        {owner.then(|| view! {
                            <p><A href="/people">"People: invite a bookkeeper or a viewer, or disable an account"</A></p>
                        })}
                        {(u.role != "viewer").then(|| view! {
                            <p><A href="/settings/api-tokens">"API tokens: let another program use the books as you"</A></p>
                        })}
                    }
                })
            })}
        </Suspense>
        <ChangePasswordForm />
        <SignOutEverywhere />
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let action = Action::new(|(c, n): &(String, String)| change_password(c.clone(), n.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            done.set(true);
            current.set(String::new());
            new.set(String::new());
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        done.set(false);
        action.dispatch((current.get_untracked(), new.get_untracked()));
    };
    view! {
        <section class="panel narrow">
            <h2 class="section-title">"Change password"</h2>
            <form class="form" on:submit=submit novalidate>
                <fieldset disabled=move || !hydrated.get()>
                    <TextField id="current" label="Current password" value=current kind="password"
                        autocomplete="current-password" errors required=true />
                    <TextField id="new" label="New password" value=new kind="password"
                        autocomplete="new-password" hint="At least 10 characters. Your other devices will be signed out."
                        errors required=true />
                    <FormError errors invalid_summary="The password was not changed; check the fields above." />
                    <p class="banner banner-success" role="status" hidden=move || !done.get()>
                        "Password changed. Every other device has been signed out."
                    </p>
                    <SubmitButton label="Change password" pending=action.pending() class="button primary" />
                </fieldset>
            </form>
        </section>
    }
}

#[component]
fn SignOutEverywhere() -> impl IntoView {
    let action = Action::new(|_: &()| sign_out_everywhere());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if action.value().with(Option::is_some) {
            super::browser::clear_offline_cache();
            navigate("/login", Default::default());
        }
    });
    view! {
        <section class="panel narrow">
            <h2 class="section-title">"Signed in on a device you no longer have?"</h2>
            <p>"This ends every session of your account, on every phone and computer, this one included."</p>
            <button type="button" class="button danger" disabled=move || action.pending().get()
                on:click=move |_| { action.dispatch(()); }>
                "Sign out everywhere"
            </button>
        </section>
    }
}

/// The owner's list of people with access, open invitations, and the invitation form.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let live = use_live_version();
    let team = Resource::new(move || live.get(), |_| list_team());
    view! {
        <Title text="People" />
        <PageHeader title="People" />
        <InviteForm />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(team) => view! { <TeamTables team /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn TeamTables(team: Team) -> impl IntoView {
    let invitations = team.invitations;
    view! {
        <h2 class="section-title">"Who can sign in"</h2>
        <div class="table-card">
            <table class="list people" data-testid="people">
                <thead><tr>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col"><span class="sr-only">"Access"</span></th>
                </tr></thead>
                <tbody>
                    {team.members.into_iter().map(|m| view! { <MemberRow m /> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!invitations.is_empty()).then(|| view! {
            <h2 class="section-title">"Invitations not yet accepted"</h2>
            <div class="table-card">
                <table class="list invitations" data-testid="invitations">
                    <thead><tr>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Link works until"</th>
                        <th scope="col"><span class="sr-only">"Withdraw"</span></th>
                    </tr></thead>
                    <tbody>
                        {invitations.into_iter().map(|i| {
                            let email = i.email.clone();
                            let withdraw = Action::new(|e: &String| revoke_invitation(e.clone()));
                            view! {
                                <tr>
                                    <td data-label="Email" class="wide-cell">{i.email}</td>
                                    <td data-label="Role">{i.role}</td>
                                    <td data-label="Until">{i.expires_on}</td>
                                    <td class="actions">
                                        <button type="button" class="button small"
                                            on:click=move |_| { withdraw.dispatch(email.clone()); }>
                                            "Withdraw"
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

#[component]
fn MemberRow(m: TeamMember) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let toggle = Action::new(|(id, disabled): &(i64, bool)| set_user_disabled(*id, *disabled));
    Effect::new(move |_| {
        if let Some(Err(e)) = toggle.value().get() {
            error.set(Some(e.to_string()));
        }
    });
    let (id, disabled) = (m.id, m.disabled);
    let button = (m.role != "owner").then(|| {
        let label = if disabled { "Enable" } else { "Disable" };
        view! {
            <button type="button" class="button small" disabled=move || toggle.pending().get()
                on:click=move |_| { toggle.dispatch((id, !disabled)); }>
                {label}
            </button>
        }
    });
    view! {
        <tr class:muted=disabled>
            <td data-label="Email" class="wide-cell">{m.email}{disabled.then(|| view! { <span class="badge">"disabled"</span> })}</td>
            <td data-label="Role">{m.role}</td>
            <td data-label="Since">{m.since}</td>
            <td class="actions">
                {button}
                {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
            </td>
        </tr>
    }
}

#[component]
fn InviteForm() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("bookkeeper".to_string());
    let errors = RwSignal::new(None::<AppError>);
    let link = RwSignal::new(None::<String>);
    let action = Action::new(|(e, r): &(String, String)| invite_user(e.clone(), r.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(path)) => {
            link.set(Some(format!("{}{path}", super::browser::origin())));
            email.set(String::new());
        }
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        link.set(None);
        action.dispatch((email.get_untracked(), role.get_untracked()));
    };
    view! {
        <section class="panel">
            <h2 class="section-title">"Invite someone"</h2>
            <p>"A bookkeeper can do everything but manage people and settings; a viewer can only look."</p>
            <form class="form" on:submit=submit novalidate>
                <fieldset class="inline-form" disabled=move || !hydrated.get()>
                    <TextField id="email" label="Their email" value=email kind="email" errors required=true />
                    <div class="field">
                        <label for="role">"Role"</label>
                        <select id="role" bind:value=role>
                            <option value="bookkeeper">"Bookkeeper"</option>
                            <option value="viewer">"Viewer"</option>
                        </select>
                    </div>
                    <FormError errors invalid_summary="No invitation was made; check the fields above." />
                    <SubmitButton label="Make invitation link" pending=action.pending() class="button primary" />
                </fieldset>
            </form>
            {move || link.get().map(|url| view! {
                <div class="banner banner-success" role="status">
                    <label for="invitation-link">"Send them this link; it works once, for 7 days:"</label>
                    <input id="invitation-link" class="copy-field" type="text" readonly=true value=url />
                </div>
            })}
        </section>
    }
}

/// The page an invitation link opens: choose a password and join.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new_blocking(token, get_invitation);
    view! {
        <Title text="Join" />
        <div class="auth-page">
            <main class="auth-card">
                <div class="auth-brand">
                    <img src="/favicon.svg" alt="" width="40" height="40" />
                    <span>"Settle"</span>
                </div>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match invitation.await {
                            Ok(view) => view! { <AcceptForm token=token() invitation=view /> }.into_any(),
                            Err(e) => load_error(e),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

#[component]
fn AcceptForm(token: String, invitation: crate::api::team::InvitationView) -> impl IntoView {
    let email = RwSignal::new(invitation.email.clone());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let action = Action::new(|(t, p): &(String, String)| accept_invitation(t.clone(), p.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => navigate("/", Default::default()),
        Some(Err(e)) => errors.set(Some(e)),
        None => {}
    });
    let hydrated = use_hydrated();
    let token = StoredValue::new(token);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(None);
        action.dispatch((token.get_value(), password.get_untracked()));
    };
    view! {
        <h1>{format!("Join {}", invitation.business_name)}</h1>
        <p class="lead">{format!("You are invited as a {}. Choose a password to finish.", invitation.role)}</p>
        <form class="form" on:submit=submit novalidate>
            <fieldset disabled=move || !hydrated.get()>
                <TextField id="email" label="Email" value=email kind="email" autocomplete="username"
                    errors readonly=true />
                <TextField id="password" label="Password" value=password kind="password"
                    autocomplete="new-password" hint="At least 10 characters." errors required=true />
                <FormError errors invalid_summary="You have not joined yet; check the password." />
                <SubmitButton label="Join" pending=action.pending() class="button primary wide" />
            </fieldset>
        </form>
    }
}
