//! Cash flow: money actually in and out per week or month with the running balance, and the
//! 13-week forecast from open invoices and bills.

use super::flow_chart::{FlowBar, FlowChart, FlowTable};
use super::{plain, BooksNav, CsvLink};
use crate::api::analysis::{get_cash_forecast, get_money_flow};
use crate::domain::forecast::Forecast;
use crate::domain::money_flow::{Interval, MoneyFlow};
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, PartialEq)]
struct FlowQuery {
    from: String,
    to: String,
    interval: String,
}

#[component]
pub fn CashFlowPage() -> impl IntoView {
    let raw = use_query_map();
    let live = use_live_version();
    let query = Memo::new(move |_| {
        let q = raw.read();
        FlowQuery {
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            interval: q.get("interval").unwrap_or_default(),
        }
    });
    let flow = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| get_money_flow(q.from, q.to, q.interval),
    );
    let forecast = Resource::new(move || live.get(), |_| get_cash_forecast(String::new()));
    view! {
        <Title text="Cash flow" />
        <PageHeader title="Cash flow" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match flow.await {
                    Ok(f) => view! { <FlowControls flow=f.clone() query /> <ActualView f /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match forecast.await {
                    Ok(f) => view! { <ForecastView f /> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Transition>
    }
}

/// From, to and weeks or months; each change puts the new settings in the address.
#[component]
fn FlowControls(flow: MoneyFlow, query: Memo<FlowQuery>) -> impl IntoView {
    let target = super::use_navigation_target();
    let go = move |change: &dyn Fn(&mut FlowQuery)| {
        let mut q = query.get_untracked();
        change(&mut q);
        let parts: Vec<String> = [("from", &q.from), ("to", &q.to), ("interval", &q.interval)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        target.set(Some(format!("/books/cash-flow?{}", parts.join("&"))));
    };
    let go = StoredValue::new(go);
    let monthly = flow.interval == Interval::Month;
    view! {
        <div class="toolbar report-controls">
            <div class="field inline-field">
                <label for="from">"From"</label>
                <input id="from" type="date" value=flow.period.from.to_string()
                    on:change=move |ev| { let v = event_target_value(&ev); go.with_value(|g| g(&|q| q.from = v.clone())) } />
            </div>
            <div class="field inline-field">
                <label for="to">"To"</label>
                <input id="to" type="date" value=flow.period.to.to_string()
                    on:change=move |ev| { let v = event_target_value(&ev); go.with_value(|g| g(&|q| q.to = v.clone())) } />
            </div>
            <div class="field inline-field">
                <label for="interval">"Per"</label>
                <select id="interval" on:change=move |ev| { let v = event_target_value(&ev); go.with_value(|g| g(&|q| { q.interval = v.clone(); q.from.clear(); })) }>
                    <option value="week" selected=!monthly>"Week"</option>
                    <option value="month" selected=monthly>"Month"</option>
                </select>
            </div>
        </div>
    }
}

#[component]
fn ActualView(f: MoneyFlow) -> impl IntoView {
    let monthly = f.interval == Interval::Month;
    let label = move |d: chrono::NaiveDate| {
        if monthly {
            d.format("%b").to_string()
        } else {
            d.format("%-d %b").to_string()
        }
    };
    let bars: Vec<FlowBar> = f
        .rows
        .iter()
        .map(|r| FlowBar {
            label: label(r.from),
            tip: format!(
                "{} to {}: in {}, out {}, balance {}",
                day(r.from),
                day(r.to),
                r.money_in,
                r.money_out,
                r.balance
            ),
            money_in: r.money_in,
            money_out: r.money_out,
            balance: r.balance,
        })
        .collect();
    let mut csv = vec![["From", "To", "In", "Out", "Net", "Balance"]
        .map(String::from)
        .to_vec()];
    csv.extend(f.rows.iter().map(|r| {
        vec![
            r.from.to_string(),
            r.to.to_string(),
            plain(r.money_in),
            plain(r.money_out),
            plain(r.net),
            plain(r.balance),
        ]
    }));
    let file = format!("cash-flow-{}-{}.csv", f.period.from, f.period.to);
    let summary = format!(
        "Money in and out per {} from {} to {}: {} in, {} out, balance {}.",
        f.interval.as_str(),
        day(f.period.from),
        day(f.period.to),
        f.total_in,
        f.total_out,
        f.closing
    );
    view! {
        <section class="panel" aria-labelledby="actual-heading">
            <h2 id="actual-heading">"Money in and out"</h2>
            <p class="panel-sub">
                {format!("Bank, cash and card accounts, {} to {}. Opening balance ", day(f.period.from), day(f.period.to))}
                <Amount value=f.opening /> ". " <CsvLink file_name=file rows=csv />
            </p>
            <FlowChart bars summary />
            <details class="chart-table">
                <summary>"Show figures as a table"</summary>
                <FlowTable rows=f.rows.iter().map(|r| (format!("{} – {}", day(r.from), day(r.to)), Some(format!("/books/ledger?from={}&to={}", r.from, r.to)), r.money_in, r.money_out, r.net, r.balance)).collect() testid="money-flow" />
            </details>
        </section>
    }
}

#[component]
fn ForecastView(f: Forecast) -> impl IntoView {
    let bars: Vec<FlowBar> = f
        .weeks
        .iter()
        .map(|w| FlowBar {
            label: w.start.format("%-d %b").to_string(),
            tip: format!(
                "Week of {}: expected in {}, out {}, balance {}",
                day(w.start),
                w.expected_in,
                w.expected_out,
                w.balance
            ),
            money_in: w.expected_in,
            money_out: w.expected_out,
            balance: w.balance,
        })
        .collect();
    let mut csv = vec![["Week of", "Expected in", "Expected out", "Net", "Balance"]
        .map(String::from)
        .to_vec()];
    csv.extend(f.weeks.iter().map(|w| {
        vec![
            w.start.to_string(),
            plain(w.expected_in),
            plain(w.expected_out),
            plain(w.net),
            plain(w.balance),
        ]
    }));
    let file = format!("cash-forecast-{}.csv", f.today);
    let summary = format!(
        "Forecast for 13 weeks from {}: balance {} at the start, {} at the end.",
        day(f.today),
        f.opening,
        f.weeks.last().map(|w| w.balance).unwrap_or(f.opening)
    );
    let later = !f.later_in.is_zero() || !f.later_out.is_zero();
    view! {
        <section class="panel" aria-labelledby="forecast-heading">
            <h2 id="forecast-heading">"13-week forecast"</h2>
            <p class="panel-sub">
                "From today's money, " <Amount value=f.opening />
                ", open invoices are expected in the week they fall due (overdue ones this week) and open bills likewise. "
                "Recurring invoices do not exist yet, so income not yet invoiced is not included. "
                <CsvLink file_name=file rows=csv />
            </p>
            <FlowChart bars summary />
            <details class="chart-table">
                <summary>"Show figures as a table"</summary>
                <FlowTable rows=f.weeks.iter().map(|w| (format!("Week of {}", day(w.start)), None, w.expected_in, w.expected_out, w.net, w.balance)).collect() testid="cash-forecast" />
            </details>
            {later.then(|| view! {
                <p class="muted">"Due after these 13 weeks: " <Amount value=f.later_in /> " in, " <Amount value=f.later_out /> " out."</p>
            })}
        </section>
    }
}
