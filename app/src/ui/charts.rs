//! Charts drawn as inline SVG (no scripts, no styles in attributes): cash flow per month and
//! receivables aging. Each has its figures as text beside it. Floats appear here only to
//! place shapes; every number shown is formatted from the exact amounts.

use super::components::Amount;
use crate::domain::aging::AgingReport;
use crate::domain::cash_flow::MonthFlow;
use crate::domain::Money;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;

/// The size a chart is drawn at, in SVG units; the SVG then scales to its box.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) left: f64,
    pub(crate) bottom: f64,
    pub(crate) top: f64,
}

pub(crate) const WIDE: Frame = Frame {
    width: 720.0,
    height: 280.0,
    left: 56.0,
    bottom: 28.0,
    top: 12.0,
};
pub(crate) const NARROW: Frame = Frame {
    width: 360.0,
    height: 230.0,
    left: 40.0,
    bottom: 26.0,
    top: 10.0,
};

/// One decimal is plenty for a coordinate and keeps the markup short.
pub(crate) fn r(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub(crate) fn to_f64(m: Money) -> f64 {
    m.amount().to_f64().unwrap_or(0.0)
}

/// A round top for the axis and its step: the largest value 7,300 gives 8,000 in steps of 2,000.
pub(crate) fn axis(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (4.0, 1.0);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|f| f * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// "12k", "1.5M": axis labels only.
pub(crate) fn compact(value: f64) -> String {
    let (scaled, suffix) = match value {
        v if v >= 1_000_000.0 => (v / 1_000_000.0, "M"),
        v if v >= 1_000.0 => (v / 1_000.0, "k"),
        v => (v, ""),
    };
    let text = format!("{scaled:.1}");
    format!(
        "{}{suffix}",
        text.trim_end_matches('0').trim_end_matches('.')
    )
}

/// Invoiced and collected per month, as grouped bars, with a legend and a table.
#[component]
pub fn CashFlowChart(flows: Vec<MonthFlow>) -> impl IntoView {
    let summary = format!(
        "Invoiced and collected per month, {} to {}.",
        flows
            .first()
            .map(|f| f.month.format("%B %Y").to_string())
            .unwrap_or_default(),
        flows
            .last()
            .map(|f| f.month.format("%B %Y").to_string())
            .unwrap_or_default()
    );
    view! {
        <div class="legend" aria-hidden="true">
            <span class="legend-item"><span class="swatch swatch-invoiced"></span>"Invoiced"</span>
            <span class="legend-item"><span class="swatch swatch-collected"></span>"Collected"</span>
        </div>
        <div class="chart chart-wide">{bars_svg(&flows, WIDE, &summary)}</div>
        <div class="chart chart-narrow">{bars_svg(&flows, NARROW, &summary)}</div>
        <details class="chart-table">
            <summary>"Show figures as a table"</summary>
            <table class="list compact">
                <thead>
                    <tr><th scope="col">"Month"</th><th scope="col" class="num">"Invoiced"</th><th scope="col" class="num">"Collected"</th></tr>
                </thead>
                <tbody>
                    {flows.into_iter().map(|f| view! {
                        <tr>
                            <th scope="row">{f.month.format("%b %Y").to_string()}</th>
                            <td class="num"><Amount value=f.invoiced /></td>
                            <td class="num"><Amount value=f.collected /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

fn bars_svg(flows: &[MonthFlow], frame: Frame, summary: &str) -> impl IntoView {
    let max = flows
        .iter()
        .map(|f| to_f64(f.invoiced).max(to_f64(f.collected)))
        .fold(0.0, f64::max);
    let (top_value, step) = axis(max);
    let plot_height = frame.height - frame.top - frame.bottom;
    let plot_width = frame.width - frame.left - 4.0;
    let y = move |v: f64| r(frame.top + plot_height * (1.0 - v / top_value));
    let group = plot_width / flows.len().max(1) as f64;
    let bar = r((group * 0.34).min(22.0));
    let ticks = (0..=((top_value / step).round() as usize)).map(|i| i as f64 * step);
    let view_box = format!("0 0 {} {}", frame.width, frame.height);
    view! {
        <svg viewBox=view_box width="100%" role="img" aria-label=summary.to_string() preserveAspectRatio="xMidYMid meet">
            {ticks.map(|t| view! {
                <g class="tick">
                    <line x1=frame.left x2=frame.width y1=y(t) y2=y(t) class=if t == 0.0 { "axis-line" } else { "grid-line" } />
                    <text x=frame.left - 6.0 y=y(t) + 4.0 text-anchor="end" class="axis-label">{compact(t)}</text>
                </g>
            }).collect_view()}
            {flows.iter().enumerate().map(|(i, f)| {
                let centre = r(frame.left + group * (i as f64 + 0.5));
                let (invoiced, collected) = (to_f64(f.invoiced), to_f64(f.collected));
                let month = f.month.format("%b").to_string();
                let tip = format!("{}: invoiced {}, collected {}", f.month.format("%B %Y"), f.invoiced, f.collected);
                view! {
                    <g class="month">
                        <title>{tip}</title>
                        <rect class="bar-invoiced" x=r(centre - bar - 1.0) width=bar y=y(invoiced) height=r((y(0.0) - y(invoiced)).max(0.0)) rx="2" />
                        <rect class="bar-collected" x=centre + 1.0 width=bar y=y(collected) height=r((y(0.0) - y(collected)).max(0.0)) rx="2" />
                        <text x=centre y=frame.height - 8.0 text-anchor="middle" class="axis-label">{month}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// Open receivables by how late they are, as horizontal bars with the amounts written out.
#[component]
pub fn AgingChart(report: AgingReport) -> impl IntoView {
    let total = report.total();
    let max = report
        .buckets
        .iter()
        .map(|(_, m)| to_f64(*m))
        .fold(0.0, f64::max);
    view! {
        <ul class="aging" aria-label="Receivables by age">
            {report.buckets.iter().enumerate().map(|(i, (bucket, amount))| {
                let share = if max > 0.0 { r((to_f64(*amount) / max * 100.0).max(0.0)) } else { 0.0 };
                view! {
                    <li class="aging-row">
                        <span class="aging-label">{bucket.label()}</span>
                        <svg class="aging-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                            <rect class="aging-track" x="0" y="0" width="100" height="10" rx="2" />
                            <rect class=format!("aging-fill aging-{i}") x="0" y="0" width=share height="10" rx="2" />
                        </svg>
                        <span class="aging-value num"><Amount value=*amount /></span>
                    </li>
                }
            }).collect_view()}
            <li class="aging-row aging-total">
                <span class="aging-label">"Total open"</span>
                <span></span>
                <span class="aging-value num"><Amount value=total /></span>
            </li>
        </ul>
    }
}
