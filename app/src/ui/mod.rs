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
use leptos_router::{path, Lazy};

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
    let build_root = format!("/b/{build}");
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
                // The wasm, its pieces and the JavaScript come from under this build's name
                // (the server's `assets::asset_response`): never stale, never mixed.
                <HydrationScripts options root=build_root.clone() />
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

/// Declares the lazily loaded pages, in groups. Each group is one split point: `cargo leptos
/// build --split` cuts the wasm at each group's function, so the browser fetches a group's
/// code (and what it shares with other groups) the first time one of its pages is shown, and
/// the dashboard, which is the first page most visits open, loads only the shell. Groups
/// rather than single pages, because every split point multiplies the small shared pieces:
/// with one per page, opening the invoice editor took 233 requests. The server renders every
/// page in full as usual; hydrating one first waits for its group.
macro_rules! lazy_pages {
    ($($group:ident / $which:ident { $($route:ident => $module:ident :: $page:ident,)* })*) => { $(
        // The variants are the routes' own names.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $which { $($route,)* }

        mod $group {
            use super::*;

            // `fallible`: a piece that cannot be fetched (offline, a page of a group never
            // opened online) is an error the page shows, not a panic that stops the app.
            #[cfg(feature = "hydrate")]
            #[leptos::wasm_split::wasm_split(
                $group,
                wasm_split_path = ::leptos::wasm_split,
                fallible,
                preload(preload)
            )]
            pub(super) fn pages(which: $which) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                Ok(match which {
                    $($which::$route => view! { <$module::$page /> }.into_any(),)*
                })
            }

            #[cfg(not(feature = "hydrate"))]
            pub(super) async fn pages(which: $which) -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                // The browser is told to fetch the group's pieces with the page.
                leptos::prefetch_lazy_fn_on_server(stringify!($group));
                Ok(match which {
                    $($which::$route => view! { <$module::$page /> }.into_any(),)*
                })
            }

            #[cfg(not(feature = "hydrate"))]
            pub(super) async fn preload() -> Result<(), leptos::wasm_split::SplitLoaderError> {
                Ok(())
            }
        }

        $(
            struct $route;
            impl leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    $route
                }
                async fn view(_this: Self) -> AnyView {
                    match $group::pages($which::$route).await {
                        Ok(page) => page,
                        Err(_) => view! { <components::PageUnavailable /> }.into_any(),
                    }
                }
                // Hydrating a page needs its code at hand: the router loads it first.
                async fn preload() {
                    let _ = $group::preload().await;
                }
            }
        )*
    )* };
}

lazy_pages! {
    sign_in_pages / SignInPage {
        LoginPageRoute => auth::LoginPage,
        InvitePageRoute => team::InvitePage,
    }
    sales_pages / SalesPage {
        InvoicesPageRoute => invoices::InvoicesPage,
        NewInvoicePageRoute => invoices::NewInvoicePage,
        InvoicePageRoute => invoices::InvoicePage,
        EditInvoicePageRoute => invoices::EditInvoicePage,
        PrintInvoicePageRoute => print::PrintInvoicePage,
        QuotesPageRoute => quotes::QuotesPage,
        NewQuotePageRoute => quotes::NewQuotePage,
        QuotePageRoute => quotes::QuotePage,
        EditQuotePageRoute => quotes::EditQuotePage,
        PrintQuotePageRoute => quotes::PrintQuotePage,
        RecurringPageRoute => recurring::RecurringPage,
        NewRecurringPageRoute => recurring::NewRecurringPage,
        RecurringDetailPageRoute => recurring::RecurringDetailPage,
        CreditNotesPageRoute => credit_notes::CreditNotesPage,
        CreditNotePageRoute => credit_notes::CreditNotePage,
        ItemsPageRoute => items::ItemsPage,
    }
    customer_pages / CustomerPage {
        CustomersPageRoute => customers::CustomersPage,
        NewCustomerPageRoute => customers::NewCustomerPage,
        CustomerPageRoute => customers::CustomerPage,
        CustomerStatementPageRoute => customers::CustomerStatementPage,
    }
    money_pages / MoneyPage {
        PaymentsPageRoute => payments::PaymentsPage,
        RecordPaymentPageRoute => payments::RecordPaymentPage,
        PaymentPageRoute => payments::PaymentPage,
        BankPageRoute => bank::BankPage,
        ExpensesPageRoute => expenses::ExpensesPage,
        NewExpensePageRoute => expenses::NewExpensePage,
        ExpensePageRoute => expenses::ExpensePage,
        VendorPageRoute => expenses::VendorPage,
    }
    book_pages / BookPage {
        TrialBalancePageRoute => books::TrialBalancePage,
        ProfitLossPageRoute => books::ProfitLossPage,
        BalanceSheetPageRoute => books::BalanceSheetPage,
        AccountsPageRoute => books::AccountsPage,
        RegisterPageRoute => books::RegisterPage,
        GeneralLedgerPageRoute => books::GeneralLedgerPage,
        JournalPageRoute => books::JournalPage,
        JournalEntryPageRoute => books::JournalEntryPage,
        AgingPageRoute => books::AgingPage,
        TaxSummaryPageRoute => books::TaxSummaryPage,
        TaxDocumentsPageRoute => books::TaxDocumentsPage,
        CashFlowPageRoute => books::CashFlowPage,
        MoneyMovementsPageRoute => books::MoneyMovementsPage,
    }
    admin_pages / AdminPage {
        SettingsPageRoute => settings::SettingsPage,
        BankAccountsPageRoute => settings::BankAccountsPage,
        TaxRatesPageRoute => settings::TaxRatesPage,
        NumberingPageRoute => numbering::NumberingPage,
        ApiTokensPageRoute => api_tokens::ApiTokensPage,
        AuditLogPageRoute => audit::AuditLogPage,
        PeoplePageRoute => team::PeoplePage,
        AccountPageRoute => team::AccountPage,
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
                <Route path=path!("/login") view={Lazy::<LoginPageRoute>::new()} />
                <Route path=path!("/invite/:token") view={Lazy::<InvitePageRoute>::new()} />
                <Route path=path!("/invoices/:id/print") view={Lazy::<PrintInvoicePageRoute>::new()} />
                <Route path=path!("/quotes/:id/print") view={Lazy::<PrintQuotePageRoute>::new()} />
                <ParentRoute path=path!("") view=layout::AppLayout>
                    <Route path=path!("") view=dashboard::DashboardPage />
                    <Route path=path!("/customers") view={Lazy::<CustomersPageRoute>::new()} />
                    <Route path=path!("/customers/new") view={Lazy::<NewCustomerPageRoute>::new()} />
                    <Route path=path!("/customers/:id") view={Lazy::<CustomerPageRoute>::new()} />
                    <Route path=path!("/customers/:id/statement") view={Lazy::<CustomerStatementPageRoute>::new()} />
                    <Route path=path!("/invoices") view={Lazy::<InvoicesPageRoute>::new()} />
                    <Route path=path!("/invoices/new") view={Lazy::<NewInvoicePageRoute>::new()} />
                    <Route path=path!("/invoices/:id") view={Lazy::<InvoicePageRoute>::new()} />
                    <Route path=path!("/invoices/:id/edit") view={Lazy::<EditInvoicePageRoute>::new()} />
                    <Route path=path!("/recurring") view={Lazy::<RecurringPageRoute>::new()} />
                    <Route path=path!("/recurring/new") view={Lazy::<NewRecurringPageRoute>::new()} />
                    <Route path=path!("/recurring/:id") view={Lazy::<RecurringDetailPageRoute>::new()} />
                    <Route path=path!("/credit-notes") view={Lazy::<CreditNotesPageRoute>::new()} />
                    <Route path=path!("/credit-notes/:id") view={Lazy::<CreditNotePageRoute>::new()} />
                    <Route path=path!("/settings/numbering") view={Lazy::<NumberingPageRoute>::new()} />
                    <Route path=path!("/payments") view={Lazy::<PaymentsPageRoute>::new()} />
                    <Route path=path!("/payments/new") view={Lazy::<RecordPaymentPageRoute>::new()} />
                    <Route path=path!("/payments/:id") view={Lazy::<PaymentPageRoute>::new()} />
                    <Route path=path!("/bank") view={Lazy::<BankPageRoute>::new()} />
                    <Route path=path!("/books") view={Lazy::<TrialBalancePageRoute>::new()} />
                    <Route path=path!("/books/profit-loss") view={Lazy::<ProfitLossPageRoute>::new()} />
                    <Route path=path!("/books/balance-sheet") view={Lazy::<BalanceSheetPageRoute>::new()} />
                    <Route path=path!("/books/accounts") view={Lazy::<AccountsPageRoute>::new()} />
                    <Route path=path!("/books/accounts/:code") view={Lazy::<RegisterPageRoute>::new()} />
                    <Route path=path!("/books/ledger") view={Lazy::<GeneralLedgerPageRoute>::new()} />
                    <Route path=path!("/books/journal") view={Lazy::<JournalPageRoute>::new()} />
                    <Route path=path!("/books/journal/:id") view={Lazy::<JournalEntryPageRoute>::new()} />
                    <Route path=path!("/books/aging") view={Lazy::<AgingPageRoute>::new()} />
                    <Route path=path!("/books/tax") view={Lazy::<TaxSummaryPageRoute>::new()} />
                    <Route path=path!("/books/tax/documents") view={Lazy::<TaxDocumentsPageRoute>::new()} />
                    <Route path=path!("/books/cash-flow") view={Lazy::<CashFlowPageRoute>::new()} />
                    <Route path=path!("/account") view={Lazy::<AccountPageRoute>::new()} />
                    <Route path=path!("/people") view={Lazy::<PeoplePageRoute>::new()} />
                    <Route path=path!("/books/cash-flow/movements") view={Lazy::<MoneyMovementsPageRoute>::new()} />
                    <Route path=path!("/expenses") view={Lazy::<ExpensesPageRoute>::new()} />
                    <Route path=path!("/expenses/new") view={Lazy::<NewExpensePageRoute>::new()} />
                    <Route path=path!("/expenses/:id") view={Lazy::<ExpensePageRoute>::new()} />
                    <Route path=path!("/vendors/:id") view={Lazy::<VendorPageRoute>::new()} />
                    <Route path=path!("/settings") view={Lazy::<SettingsPageRoute>::new()} />
                    <Route path=path!("/audit") view={Lazy::<AuditLogPageRoute>::new()} />
                    <Route path=path!("/settings/bank-accounts") view={Lazy::<BankAccountsPageRoute>::new()} />
                    <Route path=path!("/settings/tax-rates") view={Lazy::<TaxRatesPageRoute>::new()} />
                    <Route path=path!("/settings/api-tokens") view={Lazy::<ApiTokensPageRoute>::new()} />
                    <Route path=path!("/items") view={Lazy::<ItemsPageRoute>::new()} />
                    <Route path=path!("/quotes") view={Lazy::<QuotesPageRoute>::new()} />
                    <Route path=path!("/quotes/new") view={Lazy::<NewQuotePageRoute>::new()} />
                    <Route path=path!("/quotes/:id") view={Lazy::<QuotePageRoute>::new()} />
                    <Route path=path!("/quotes/:id/edit") view={Lazy::<EditQuotePageRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
