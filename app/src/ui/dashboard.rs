//! The dashboard: four figures that matter, cash flow over twelve months, how late the open
//! receivables are, and the overdue invoices to chase. Refreshes itself on every change.

use super::charts::{AgingChart, CashFlowChart};
use super::components::{load_error, Amount, Loading, PageHeader};
use super::invoices::InvoiceTable;
use super::live::use_live_version;
use crate::api::invoices::list_invoices;
use crate::api::reports::get_dashboard;
use crate::api::types::Dashboard;
use crate::domain::{InvoiceStatus, Money};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let live = use_live_version();
    let dashboard = Resource::new(move || live.get(), |_| get_dashboard());
    let overdue = Resource::new(
        move || live.get(),
        |_| {
            list_invoices(
                InvoiceStatus::Overdue.slug().to_string(),
                String::new(),
                None,
                1,
            )
        },
    );
    view! {
        <Title text="Dashboard" />
        <PageHeader title="Dashboard">
            <A href="/payments/new" attr:class="button secondary">"Record payment"</A>
            <A href="/invoices/new" attr:class="button primary">"New invoice"</A>
        </PageHeader>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => view! { <Overview d /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
        <section class="panel" aria-labelledby="chase-heading">
            <h2 id="chase-heading">"Overdue — to chase"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    // Whether anything was ever invoiced: with nothing invoiced, nobody is
                    // "paying on time" yet.
                    let invoiced = dashboard.await.map(|d| d.issued_invoices > 0).unwrap_or(true);
                    match overdue.await {
                        Ok(page) if page.items.is_empty() && !invoiced => view! {
                            <p class="empty-note" data-testid="nothing-invoiced">"Nothing invoiced yet, so nothing is overdue. Issued invoices that pass their due date unpaid appear here."</p>
                        }.into_any(),
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="empty-note">"Nothing is overdue. Every customer is paying on time."</p>
                        }.into_any(),
                        Ok(page) => {
                            // The list arrives most overdue first; the dashboard shows the top of it.
                            const SHOWN: usize = 8;
                            let total = page.total;
                            view! {
                                <InvoiceTable items=page.items.into_iter().take(SHOWN).collect() show_customer=true />
                                {(total > SHOWN as u64).then(|| view! {
                                    <p class="more">
                                        <a href="/invoices?status=overdue">{format!("See all {total} overdue invoices →")}</a>
                                    </p>
                                })}
                            }.into_any()
                        }
                        Err(e) => load_error(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Overview(d: Dashboard) -> impl IntoView {
    let month = d.today.format("%B").to_string();
    let share = overdue_share(d.overdue, d.outstanding);
    view! {
        <div class="kpis">
            <Kpi id="outstanding" label="Outstanding receivables" value=d.outstanding note="Owed on issued invoices".to_string() />
            <Kpi id="overdue" label="Overdue" value=d.overdue note=share tone="warn" />
            <Kpi id="collected" label="Collected this month" value=d.collected_this_month note=format!("Payments received in {month}") />
            <Kpi id="bank" label="Bank balance" value=d.bank_balance note="According to the books".to_string() />
        </div>
        <div class="chart-grid">
            <section class="panel" aria-labelledby="cash-flow-heading">
                <h2 id="cash-flow-heading">"Cash flow"</h2>
                <p class="panel-sub">"Invoiced and collected, last 12 months"</p>
                <CashFlowChart flows=d.cash_flow />
            </section>
            <section class="panel" aria-labelledby="aging-heading">
                <h2 id="aging-heading">"Receivables aging"</h2>
                <p class="panel-sub">"Open balances by days past due"</p>
                <AgingChart report=d.aging />
            </section>
        </div>
    }
}

/// "31% of outstanding": what part of the receivables is late.
fn overdue_share(overdue: Money, outstanding: Money) -> String {
    if !outstanding.is_positive() {
        return "Nothing outstanding".to_string();
    }
    let percent =
        (overdue.amount() * rust_decimal::Decimal::ONE_HUNDRED / outstanding.amount()).round();
    format!("{percent}% of outstanding")
}

#[component]
fn Kpi(
    id: &'static str,
    label: &'static str,
    value: Money,
    note: String,
    #[prop(default = "")] tone: &'static str,
) -> impl IntoView {
    let label_id = format!("kpi-{id}-label");
    let labelled_by = label_id.clone();
    let class = if tone.is_empty() || !value.is_positive() {
        "kpi".to_string()
    } else {
        format!("kpi kpi-{tone}")
    };
    view! {
        <div class=class role="group" aria-labelledby=labelled_by>
            <p class="kpi-label" id=label_id>{label}</p>
            <p class="kpi-value" data-testid=format!("kpi-{id}")><Amount value /></p>
            <p class="kpi-note">{note}</p>
        </div>
    }
}
