//! Money in and out as paired bars with the balance as a line, drawn as inline SVG in the
//! style of the dashboard's charts, and the same figures as a table.

use crate::domain::Money;
use crate::ui::charts::{axis, compact, r, to_f64, Frame, NARROW, WIDE};
use crate::ui::components::Amount;
use leptos::prelude::*;

/// One bar pair: a week or a month.
#[derive(Clone, Debug)]
pub struct FlowBar {
    pub label: String,
    pub tip: String,
    pub money_in: Money,
    pub money_out: Money,
    pub balance: Money,
}

/// The chart at both sizes, with its legend; `summary` is read out in place of the drawing.
#[component]
pub fn FlowChart(bars: Vec<FlowBar>, #[prop(into)] summary: String) -> impl IntoView {
    view! {
        <div class="legend" aria-hidden="true">
            <span class="legend-item"><span class="swatch swatch-in"></span>"In"</span>
            <span class="legend-item"><span class="swatch swatch-out"></span>"Out"</span>
            <span class="legend-item"><span class="swatch swatch-balance"></span>"Balance"</span>
        </div>
        <div class="chart chart-wide">{flow_svg(&bars, WIDE, 13, &summary)}</div>
        <div class="chart chart-narrow">{flow_svg(&bars, NARROW, 6, &summary)}</div>
    }
}

fn signed_compact(value: f64) -> String {
    if value < 0.0 {
        format!("-{}", compact(-value))
    } else {
        compact(value)
    }
}

fn flow_svg(bars: &[FlowBar], frame: Frame, max_labels: usize, summary: &str) -> impl IntoView {
    let values = bars
        .iter()
        .flat_map(|b| [to_f64(b.money_in), to_f64(b.money_out), to_f64(b.balance)]);
    let (low, high) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (_, step) = axis(high - low);
    let top_value = (high / step).ceil() * step;
    let bottom_value = (low / step).floor() * step;
    let span = (top_value - bottom_value).max(step);
    let plot_height = frame.height - frame.top - frame.bottom;
    let plot_width = frame.width - frame.left - 4.0;
    let y = move |v: f64| r(frame.top + plot_height * (top_value - v) / span);
    let group = plot_width / bars.len().max(1) as f64;
    let bar = r((group * 0.34).min(22.0));
    let every = bars.len().div_ceil(max_labels).max(1);
    let ticks = (0..=((span / step).round() as usize)).map(|i| bottom_value + i as f64 * step);
    let centre = move |i: usize| r(frame.left + group * (i as f64 + 0.5));
    let line: String = bars
        .iter()
        .enumerate()
        .map(|(i, b)| format!("{},{}", centre(i), y(to_f64(b.balance))))
        .collect::<Vec<_>>()
        .join(" ");
    let view_box = format!("0 0 {} {}", frame.width, frame.height);
    view! {
        <svg viewBox=view_box width="100%" role="img" aria-label=summary.to_string() preserveAspectRatio="xMidYMid meet">
            {ticks.map(|t| view! {
                <g class="tick">
                    <line x1=frame.left x2=frame.width y1=y(t) y2=y(t) class=if t.abs() < step / 2.0 { "axis-line" } else { "grid-line" } />
                    <text x=frame.left - 6.0 y=y(t) + 4.0 text-anchor="end" class="axis-label">{signed_compact(t)}</text>
                </g>
            }).collect_view()}
            {bars.iter().enumerate().map(|(i, b)| {
                let c = centre(i);
                let (money_in, money_out) = (to_f64(b.money_in), to_f64(b.money_out));
                let zero = y(0.0);
                view! {
                    <g class="month">
                        <title>{b.tip.clone()}</title>
                        <rect class="bar-in" x=r(c - bar - 1.0) width=bar y=y(money_in) height=r((zero - y(money_in)).max(0.0)) rx="2" />
                        <rect class="bar-out" x=c + 1.0 width=bar y=y(money_out) height=r((zero - y(money_out)).max(0.0)) rx="2" />
                        {(i % every == 0).then(|| view! {
                            <text x=c y=frame.height - 8.0 text-anchor="middle" class="axis-label">{b.label.clone()}</text>
                        })}
                    </g>
                }
            }).collect_view()}
            <polyline class="balance-line" points=line />
            {bars.iter().enumerate().map(|(i, b)| view! {
                <circle class="balance-dot" cx=centre(i) cy=y(to_f64(b.balance)) r="3" />
            }).collect_view()}
        </svg>
    }
}

/// One line of a flow table: what the figures are for and where each leads.
pub struct FlowLine {
    pub when: String,
    /// Where the label leads.
    pub href: Option<String>,
    pub money_in: crate::domain::Money,
    pub money_out: crate::domain::Money,
    pub net: crate::domain::Money,
    pub balance: crate::domain::Money,
    /// Where the in and out figures lead: the entries behind them.
    pub in_href: Option<String>,
    pub out_href: Option<String>,
}

/// A figure, as a link to what lies behind it when there is somewhere to go.
fn linked(value: crate::domain::Money, href: Option<String>) -> AnyView {
    match href {
        Some(href) => view! {
            <leptos_router::components::A href=href attr:class="figure-link" attr:title="Show the entries behind this figure">
                <Amount value />
            </leptos_router::components::A>
        }
        .into_any(),
        None => view! { <Amount value /> }.into_any(),
    }
}

/// The chart's figures as a table (cards on phones).
#[component]
pub fn FlowTable(rows: Vec<FlowLine>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="table-card">
            <table class="list" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col" class="num">"In"</th>
                        <th scope="col" class="num">"Out"</th>
                        <th scope="col" class="num">"Net"</th>
                        <th scope="col" class="num">"Balance"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|FlowLine { when, href, money_in, money_out, net, balance, in_href, out_href }| view! {
                        <tr>
                            <td class="primary-cell">
                                {match href {
                                    Some(href) => view! { <leptos_router::components::A href=href>{when}</leptos_router::components::A> }.into_any(),
                                    None => view! { <span>{when}</span> }.into_any(),
                                }}
                            </td>
                            <td class="num" data-label="In">{linked(money_in, in_href)}</td>
                            <td class="num" data-label="Out">{linked(money_out, out_href)}</td>
                            <td class="num" data-label="Net"><Amount value=net /></td>
                            <td class="num" data-label="Balance"><Amount value=balance /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
