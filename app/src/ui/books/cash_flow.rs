//! Cash flow: money actually in and out per week or month with the running balance, and the
//! 13-week forecast from open invoices and bills.

use super::flow_chart::{FlowBar, FlowChart, FlowLine, FlowTable};
use super::{plain, BooksNav, CsvLink};
use crate::api::analysis::{get_cash_forecast, get_money_flow};
use crate::domain::forecast::Forecast;
use crate::domain::money_flow::{Interval, MoneyFlow};
use crate::ui::components::{day, load_error, Amount, Loading, PageHeader};
use crate::ui::live::use_live_version;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, PartialEq)]
struct FlowQuery {
    from: String,
    to: String,
    interval: String,
    compare: bool,
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
            compare: q.get("compare").is_some_and(|c| c == "1"),
        }
    });
    // With a comparison, the period before (`Period::previous`) beside this one.
    let flow = Resource::new(
        move || (live.get(), query.get()),
        |(_, q)| async move {
            let f = get_money_flow(q.from, q.to, q.interval.clone()).await?;
            let previous = if q.compare {
                let p = f.period.previous();
                Some(get_money_flow(p.from.to_string(), p.to.to_string(), q.interval).await?)
            } else {
                None
            };
            Ok::<_, crate::api::AppError>((f, previous))
        },
    );
    let forecast = Resource::new(move || live.get(), |_| get_cash_forecast(String::new()));
    view! {
        <Title text="Cash flow" />
        <PageHeader title="Cash flow" />
        <BooksNav />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match flow.await {
                    Ok((f, previous)) => view! {
                        <FlowControls flow=f.clone() query />
                        <FlowTotals f=f.clone() previous />
                        <ActualView f />
                    }.into_any(),
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
        let mut parts: Vec<String> = [("from", &q.from), ("to", &q.to), ("interval", &q.interval)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if q.compare {
            parts.push("compare=1".into());
        }
        target.set(Some(format!("/books/cash-flow?{}", parts.join("&"))));
    };
    let go = StoredValue::new(go);
    let monthly = flow.interval == Interval::Month;
    let compare = query.get_untracked().compare;
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
            <div class="checkbox-field">
                <input id="compare" type="checkbox" checked=compare
                    on:change=move |ev| { let v = event_target_checked(&ev); go.with_value(|g| g(&|q| q.compare = v)) } />
                <label for="compare">"Compare with an earlier period"</label>
            </div>
        </div>
    }
}

/// The entries behind money in or out over some days.
fn movements_href(from: NaiveDate, to: NaiveDate, direction: &str) -> String {
    format!("/books/cash-flow/movements?from={from}&to={to}&direction={direction}")
}

/// Money in, out and net over the whole period, each leading to its entries, and with a
/// comparison the period before beside them.
#[component]
fn FlowTotals(f: MoneyFlow, previous: Option<MoneyFlow>) -> impl IntoView {
    let net = |m: &MoneyFlow| m.total_in - m.total_out;
    let figure = |m: &MoneyFlow, direction: &'static str| {
        let value = if direction == "in" {
            m.total_in
        } else {
            m.total_out
        };
        view! {
            <A href=movements_href(m.period.from, m.period.to, direction) attr:class="figure-link"
                attr:title="Show the entries behind this figure"><Amount value /></A>
        }
    };
    let heading = |m: &MoneyFlow| format!("{} – {}", day(m.period.from), day(m.period.to));
    let rows: [(&str, &'static str); 2] = [("In", "in"), ("Out", "out")];
    let caption = match &previous {
        Some(p) => format!(
            "This period, {}, beside the period before, {}.",
            heading(&f),
            heading(p)
        ),
        None => format!("This period, {}.", heading(&f)),
    };
    view! {
        <p class="report-caption">{caption}</p>
        <div class="table-card">
            <table class="list flow-totals" data-testid="flow-totals">
                <thead>
                    <tr>
                        <th scope="col">"Money"</th>
                        <th scope="col" class="num">{heading(&f)}</th>
                        {previous.as_ref().map(|p| view! {
                            <th scope="col" class="num">{heading(p)}</th>
                            <th scope="col" class="num">"Change"</th>
                        })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(label, direction)| {
                        let now = if direction == "in" { f.total_in } else { f.total_out };
                        view! {
                            <tr>
                                <th scope="row" class="primary-cell">{label}</th>
                                <td class="num wide-cell" data-label="This period">{figure(&f, direction)}</td>
                                {previous.as_ref().map(|p| {
                                    let then = if direction == "in" { p.total_in } else { p.total_out };
                                    view! {
                                        <td class="num wide-cell" data-label="Period before">{figure(p, direction)}</td>
                                        <td class="num wide-cell" data-label="Change"><Amount value=now - then /></td>
                                    }
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="grand">
                        <th scope="row">"Net"</th>
                        <td class="num wide-cell" data-label="Net, this period"><Amount value=net(&f) /></td>
                        {previous.as_ref().map(|p| view! {
                            <td class="num wide-cell" data-label="Net, period before" data-testid="flow-previous-net"><Amount value=net(p) /></td>
                            <td class="num wide-cell" data-label="Net change"><Amount value=net(&f) - net(p) /></td>
                        })}
                    </tr>
                </tfoot>
            </table>
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
                <FlowTable rows=f.rows.iter().map(|r| FlowLine {
                    when: format!("{} – {}", day(r.from), day(r.to)),
                    href: Some(format!("/books/ledger?from={}&to={}", r.from, r.to)),
                    money_in: r.money_in,
                    money_out: r.money_out,
                    net: r.net,
                    balance: r.balance,
                    in_href: Some(movements_href(r.from, r.to, "in")),
                    out_href: Some(movements_href(r.from, r.to, "out")),
                }).collect() testid="money-flow" />
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
                ", open invoices are expected in the week they fall due (overdue ones this week), open bills likewise, "
                "and the invoices recurring schedules will make on their due dates"
                {(!f.from_recurring.is_zero()).then(|| view! { " (" <Amount value=f.from_recurring /> " of the money in)" })}
                ". "
                <CsvLink file_name=file rows=csv />
            </p>
            <FlowChart bars summary />
            <details class="chart-table">
                <summary>"Show figures as a table"</summary>
                <FlowTable rows=f.weeks.iter().map(|w| FlowLine {
                    when: format!("Week of {}", day(w.start)),
                    href: None,
                    money_in: w.expected_in,
                    money_out: w.expected_out,
                    net: w.net,
                    balance: w.balance,
                    in_href: None,
                    out_href: None,
                }).collect() testid="cash-forecast" />
            </details>
            {later.then(|| view! {
                <p class="muted">"Due after these 13 weeks: " <Amount value=f.later_in /> " in, " <Amount value=f.later_out /> " out."</p>
            })}
        </section>
    }
}
