//! Pages and components: the document shell, the router and one module per screen.

mod api_tokens;
mod audit;
mod auth;
mod bank;
mod books;
mod browser;
mod charts;
mod components;
mod credit_notes;
mod customers;
mod dashboard;
mod expenses;
mod fields;
mod invoices;
mod items;
mod layout;
mod live;
mod numbering;
mod offline;
mod outbox;
mod payments;
mod print;
mod quotes;
mod recurring;
mod settings;
mod team;
mod update;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The build the server serves (see the server's `assets::build_id`), set once at start-up.
#[cfg(feature = "ssr")]
static BUILD_ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Names the build this server serves, for the page to compare with the service worker's
/// and the server's later ones. The first call wins.
#[cfg(feature = "ssr")]
pub fn set_build_id(id: &str) {
    let _ = BUILD_ID.set(id.to_string());
}

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let build = BUILD_ID.get().cloned().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let build = String::new();
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#1f4b3f" />
                <meta name="color-scheme" content="light dark" />
                <meta name="settle-build" content=build />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy. Scripts run only from this origin or, inline, with
/// this response's nonce (Leptos puts it on its hydration and streaming scripts); the wasm
/// may be compiled; nothing is loaded from elsewhere, no plugin runs, and no other site may
/// frame the app.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use axum::http::{header, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    live::provide_live_version();
    view! {
        <Stylesheet id="leptos" href="/pkg/settle.css" />
        <Title formatter=|page: String| if page.is_empty() {
            "Settle".to_string()
        } else {
            format!("{} · Settle", crate::ui::fields::rcdata_text(&page))
        } />
        <update::UpdateBanner />
        <Router>
            <Routes fallback=|| view! { <components::NotFound what="This page" /> }>
                <Route path=path!("/login") view=auth::LoginPage />
                <Route path=path!("/invite/:token") view=team::InvitePage />
                <Route path=path!("/invoices/:id/print") view=print::PrintInvoicePage />
                <Route path=path!("/quotes/:id/print") view=quotes::PrintQuotePage />
                <ParentRoute path=path!("") view=layout::AppLayout>
                    <Route path=path!("") view=dashboard::DashboardPage />
                    <Route path=path!("/customers") view=customers::CustomersPage />
                    <Route path=path!("/customers/new") view=customers::NewCustomerPage />
                    <Route path=path!("/customers/:id") view=customers::CustomerPage />
                    <Route path=path!("/customers/:id/statement") view=customers::CustomerStatementPage />
                    <Route path=path!("/invoices") view=invoices::InvoicesPage />
                    <Route path=path!("/invoices/new") view=invoices::NewInvoicePage />
                    <Route path=path!("/invoices/:id") view=invoices::InvoicePage />
                    <Route path=path!("/invoices/:id/edit") view=invoices::EditInvoicePage />
                    <Route path=path!("/recurring") view=recurring::RecurringPage />
                    <Route path=path!("/recurring/new") view=recurring::NewRecurringPage />
                    <Route path=path!("/recurring/:id") view=recurring::RecurringDetailPage />
                    <Route path=path!("/credit-notes") view=credit_notes::CreditNotesPage />
                    <Route path=path!("/credit-notes/:id") view=credit_notes::CreditNotePage />
                    <Route path=path!("/settings/numbering") view=numbering::NumberingPage />
                    <Route path=path!("/payments") view=payments::PaymentsPage />
                    <Route path=path!("/payments/new") view=payments::RecordPaymentPage />
                    <Route path=path!("/payments/:id") view=payments::PaymentPage />
                    <Route path=path!("/bank") view=bank::BankPage />
                    <Route path=path!("/books") view=books::TrialBalancePage />
                    <Route path=path!("/books/profit-loss") view=books::ProfitLossPage />
                    <Route path=path!("/books/balance-sheet") view=books::BalanceSheetPage />
                    <Route path=path!("/books/accounts") view=books::AccountsPage />
                    <Route path=path!("/books/accounts/:code") view=books::RegisterPage />
                    <Route path=path!("/books/ledger") view=books::GeneralLedgerPage />
                    <Route path=path!("/books/journal") view=books::JournalPage />
                    <Route path=path!("/books/journal/:id") view=books::JournalEntryPage />
                    <Route path=path!("/books/aging") view=books::AgingPage />
                    <Route path=path!("/books/tax") view=books::TaxSummaryPage />
                    <Route path=path!("/books/tax/documents") view=books::TaxDocumentsPage />
                    <Route path=path!("/books/cash-flow") view=books::CashFlowPage />
                    <Route path=path!("/account") view=team::AccountPage />
                    <Route path=path!("/people") view=team::PeoplePage />
                    <Route path=path!("/books/cash-flow/movements") view=books::MoneyMovementsPage />
                    <Route path=path!("/expenses") view=expenses::ExpensesPage />
                    <Route path=path!("/expenses/new") view=expenses::NewExpensePage />
                    <Route path=path!("/expenses/:id") view=expenses::ExpensePage />
                    <Route path=path!("/vendors/:id") view=expenses::VendorPage />
                    <Route path=path!("/settings") view=settings::SettingsPage />
                    <Route path=path!("/audit") view=audit::AuditLogPage />
                    <Route path=path!("/settings/bank-accounts") view=settings::BankAccountsPage />
                    <Route path=path!("/settings/tax-rates") view=settings::TaxRatesPage />
                    <Route path=path!("/settings/api-tokens") view=api_tokens::ApiTokensPage />
                    <Route path=path!("/items") view=items::ItemsPage />
                    <Route path=path!("/quotes") view=quotes::QuotesPage />
                    <Route path=path!("/quotes/new") view=quotes::NewQuotePage />
                    <Route path=path!("/quotes/:id") view=quotes::QuotePage />
                    <Route path=path!("/quotes/:id/edit") view=quotes::EditQuotePage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
