//! Charts beside profit and loss: the profit trend over twelve months and expenses by
//! category for the period, each with its figures as a table.

use crate::domain::reports::{MonthProfit, ReportSection};
use crate::ui::charts::{axis, compact, r, to_f64, Frame, NARROW, WIDE};
use crate::ui::components::Amount;
use leptos::prelude::*;

/// Income and expenses per month as paired bars, with the profit written in the table.
#[component]
pub fn ProfitTrendChart(months: Vec<MonthProfit>) -> impl IntoView {
    let summary = format!(
        "Income and expenses per month, {} to {}.",
        months
            .first()
            .map(|m| m.month.format("%B %Y").to_string())
            .unwrap_or_default(),
        months
            .last()
            .map(|m| m.month.format("%B %Y").to_string())
            .unwrap_or_default()
    );
    view! {
        <section class="panel chart-panel" data-testid="profit-trend">
            <h2 class="section-title">"Income and expenses by month"</h2>
            <div class="legend" aria-hidden="true">
                <span class="legend-item"><span class="swatch swatch-invoiced"></span>"Income"</span>
                <span class="legend-item"><span class="swatch swatch-expense"></span>"Expenses"</span>
            </div>
            <div class="chart chart-wide">{trend_svg(&months, WIDE, &summary)}</div>
            <div class="chart chart-narrow">{trend_svg(&months, NARROW, &summary)}</div>
            <details class="chart-table">
                <summary>"Show figures as a table"</summary>
                <table class="list compact">
                    <thead><tr>
                        <th scope="col">"Month"</th>
                        <th scope="col" class="num">"Income"</th>
                        <th scope="col" class="num">"Expenses"</th>
                        <th scope="col" class="num">"Profit"</th>
                    </tr></thead>
                    <tbody>
                        {months.into_iter().map(|m| view! {
                            <tr>
                                <th scope="row">{m.month.format("%b %Y").to_string()}</th>
                                <td class="num"><Amount value=m.income /></td>
                                <td class="num"><Amount value=m.expenses /></td>
                                <td class="num"><Amount value=m.profit() /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
}

fn trend_svg(months: &[MonthProfit], frame: Frame, summary: &str) -> impl IntoView {
    let max = months
        .iter()
        .map(|m| to_f64(m.income).max(to_f64(m.expenses)))
        .fold(0.0, f64::max);
    let (top_value, step) = axis(max);
    let plot_height = frame.height - frame.top - frame.bottom;
    let plot_width = frame.width - frame.left - 4.0;
    let y = move |v: f64| r(frame.top + plot_height * (1.0 - v.max(0.0) / top_value));
    let group = plot_width / months.len().max(1) as f64;
    let bar = r((group * 0.34).min(22.0));
    let ticks = (0..=((top_value / step).round() as usize)).map(|i| i as f64 * step);
    view! {
        <svg viewBox=format!("0 0 {} {}", frame.width, frame.height) width="100%" role="img"
            aria-label=summary.to_string() preserveAspectRatio="xMidYMid meet">
            {ticks.map(|t| view! {
                <g class="tick">
                    <line x1=frame.left x2=frame.width y1=y(t) y2=y(t) class=if t == 0.0 { "axis-line" } else { "grid-line" } />
                    <text x=frame.left - 6.0 y=y(t) + 4.0 text-anchor="end" class="axis-label">{compact(t)}</text>
                </g>
            }).collect_view()}
            {months.iter().enumerate().map(|(i, m)| {
                let centre = r(frame.left + group * (i as f64 + 0.5));
                let (income, expenses) = (to_f64(m.income), to_f64(m.expenses));
                let tip = format!("{}: income {}, expenses {}, profit {}", m.month.format("%B %Y"), m.income, m.expenses, m.profit());
                view! {
                    <g class="month">
                        <title>{tip}</title>
                        <rect class="bar-invoiced" x=r(centre - bar - 1.0) width=bar y=y(income) height=r((y(0.0) - y(income)).max(0.0)) rx="2" />
                        <rect class="bar-expense" x=centre + 1.0 width=bar y=y(expenses) height=r((y(0.0) - y(expenses)).max(0.0)) rx="2" />
                        <text x=centre y=frame.height - 8.0 text-anchor="middle" class="axis-label">{m.month.format("%b").to_string()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// The period's expenses per account as horizontal bars, largest first, amounts written out.
#[component]
pub fn ExpensesByCategory(section: ReportSection) -> impl IntoView {
    let mut lines: Vec<_> = section
        .lines
        .into_iter()
        .filter(|l| l.depth == 0 && l.amount.is_positive())
        .collect();
    lines.sort_by(|a, b| {
        b.amount
            .partial_cmp(&a.amount)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let max = lines.first().map(|l| to_f64(l.amount)).unwrap_or(0.0);
    view! {
        <section class="panel chart-panel" data-testid="expenses-by-category">
            <h2 class="section-title">"Expenses by category"</h2>
            {lines.is_empty().then(|| view! { <p class="muted">"No expenses in this period."</p> })}
            <ul class="aging" aria-label="Expenses by category">
                {lines.into_iter().map(|l| {
                    let share = if max > 0.0 { r((to_f64(l.amount) / max * 100.0).max(0.0)) } else { 0.0 };
                    view! {
                        <li class="aging-row">
                            <span class="aging-label">{l.name.clone()}</span>
                            <svg class="aging-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                <rect class="aging-track" x="0" y="0" width="100" height="10" rx="2" />
                                <rect class="aging-fill expense-fill" x="0" y="0" width=share height="10" rx="2" />
                            </svg>
                            <span class="aging-value num"><Amount value=l.amount /></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
