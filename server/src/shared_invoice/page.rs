//! The HTML of the customer's invoice page: rendered on the server, no script, the app's
//! stylesheet. It shows what the printed invoice shows, led by the balance and how to pay.

use app::api::documents::InvoiceDocument;
use app::domain::money::group_thousands;
use app::domain::profile::{group_iban, BusinessProfile};
use app::domain::{Currency, InvoiceStatus, Money};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Text made safe to place in HTML, in an element or a quoted attribute.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn figure(m: Money) -> String {
    let text = group_thousands(m.amount());
    if m.is_negative() && !text.starts_with('-') {
        format!("-{text}")
    } else {
        text
    }
}

fn percent(rate: Decimal) -> String {
    format!("{}%", rate.normalize())
}

fn price(value: Decimal, currency: Currency) -> String {
    let mut value = value.normalize();
    if value.scale() < currency.minor_units() {
        value.rescale(currency.minor_units());
    }
    group_thousands(value)
}

fn long_day(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The whole page for the invoice that `token` opens.
pub fn render(doc: &InvoiceDocument, token: &str) -> String {
    let d = &doc.detail;
    let b = &doc.business;
    let s = &d.summary;
    let number = s.number.clone().unwrap_or_default();
    let code = d.currency.code();
    let mut h = String::with_capacity(8192);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex, nofollow\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>Invoice {} from {}</title><link rel=\"stylesheet\" href=\"/pkg/settle.css\">\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\"></head><body>\
         <main class=\"print-page public-invoice\">",
        esc(&number),
        esc(b.display_name())
    );
    summary(&mut h, doc, token);
    h.push_str("<article class=\"sheet\" aria-label=\"Invoice\"><header class=\"sheet-head\"><div class=\"sheet-brand\">");
    if b.has_logo {
        let _ = write!(
            h,
            "<img class=\"sheet-logo\" src=\"/p/{token}/logo\" alt=\"{}\">",
            esc(&b.name)
        );
    } else {
        let _ = write!(h, "<p class=\"sheet-name\">{}</p>", esc(&b.name));
    }
    let _ = write!(
        h,
        "</div><div class=\"sheet-title\"><h1>Invoice</h1><p class=\"sheet-number\">{}</p></div></header>",
        esc(&number)
    );
    parties(&mut h, doc);
    lines(&mut h, doc);
    totals(&mut h, doc);
    let payable = !matches!(s.status, InvoiceStatus::Void) && s.open.is_positive();
    if payable && !b.payment.is_empty() {
        how_to_pay(&mut h, b, &number);
    }
    if !d.notes.trim().is_empty() {
        let _ = write!(
            h,
            "<section class=\"sheet-notes\"><h2 class=\"eyebrow\">Notes</h2><p class=\"address\">{}</p></section>",
            esc(&d.notes)
        );
    }
    let _ = write!(
        h,
        "<footer class=\"sheet-foot\"><p>{}</p><p class=\"muted\">{}</p></footer></article>",
        esc(&b.invoice_footer),
        esc(&legal_line(b))
    );
    let _ = write!(
        h,
        "<p class=\"public-note\">Amounts in {code}. This page was shared with you by {}; keep its address private.</p>\
         </main></body></html>",
        esc(b.display_name())
    );
    h
}

/// The box at the top: what is owed, by when, the status, and the PDF.
fn summary(h: &mut String, doc: &InvoiceDocument, token: &str) {
    let s = &doc.detail.summary;
    let code = doc.detail.currency.code();
    let (label, amount, line) = match s.status {
        InvoiceStatus::Void => (
            "Nothing is owed",
            String::new(),
            "This invoice was cancelled.".to_string(),
        ),
        _ if !s.open.is_positive() => (
            "Balance due",
            format!("{code} {}", figure(s.open)),
            "Nothing is left to pay. Thank you.".to_string(),
        ),
        _ => (
            "Balance due",
            format!("{code} {}", figure(s.open)),
            format!("Due by {}", long_day(s.due_date)),
        ),
    };
    let _ = write!(
        h,
        "<section class=\"public-summary\" aria-label=\"Balance\"><div class=\"public-figures\">\
         <p class=\"eyebrow\">{label}</p><p class=\"public-due\" data-testid=\"public-balance\">{}</p>\
         <p class=\"public-when\">{} <span class=\"badge badge-{}\">{}</span></p></div>\
         <a class=\"button primary\" href=\"/p/{token}/pdf\" download>Download PDF</a></section>",
        esc(&amount),
        esc(&line),
        s.status.slug(),
        s.status.label()
    );
}

fn parties(h: &mut String, doc: &InvoiceDocument) {
    let d = &doc.detail;
    let b = &doc.business;
    let s = &d.summary;
    h.push_str("<div class=\"sheet-parties\"><div><h2 class=\"eyebrow\">From</h2>");
    let _ = write!(h, "<p class=\"party-name\">{}</p>", esc(b.display_name()));
    if !b.address.is_empty() {
        let _ = write!(h, "<p class=\"address\">{}</p>", esc(&b.address));
    }
    for line in [&b.email, &b.phone] {
        if !line.is_empty() {
            let _ = write!(h, "<p class=\"muted\">{}</p>", esc(line));
        }
    }
    if !b.tax_id.is_empty() {
        let _ = write!(h, "<p class=\"muted\">VAT no. {}</p>", esc(&b.tax_id));
    }
    let _ = write!(
        h,
        "</div><div><h2 class=\"eyebrow\">Bill to</h2><p class=\"party-name\">{}</p>",
        esc(&s.customer_name)
    );
    if !d.customer_address.is_empty() {
        let _ = write!(h, "<p class=\"address\">{}</p>", esc(&d.customer_address));
    }
    if !doc.customer_tax_id.is_empty() {
        let _ = write!(h, "<p>VAT no. {}</p>", esc(&doc.customer_tax_id));
    }
    let _ = write!(
        h,
        "</div><dl class=\"sheet-meta\"><div><dt>Invoice number</dt><dd>{}</dd></div>\
         <div><dt>Issue date</dt><dd>{}</dd></div><div><dt>Due date</dt><dd>{}</dd></div>\
         <div><dt>Currency</dt><dd>{}</dd></div></dl></div>",
        esc(s.number.as_deref().unwrap_or_default()),
        long_day(s.issue_date),
        long_day(s.due_date),
        d.currency.code()
    );
}

fn lines(h: &mut String, doc: &InvoiceDocument) {
    let d = &doc.detail;
    h.push_str(
        "<table class=\"sheet-lines\"><thead><tr><th scope=\"col\">Description</th>\
         <th scope=\"col\" class=\"num\">Qty</th><th scope=\"col\" class=\"num\">Unit price</th>\
         <th scope=\"col\" class=\"num\">Tax</th><th scope=\"col\" class=\"num\">Net</th></tr></thead><tbody>",
    );
    for line in &d.lines {
        let _ = write!(h, "<tr><td>{}", esc(&line.description));
        if !line.discount_percent.is_zero() {
            let _ = write!(
                h,
                "<span class=\"sheet-discount\">less {} discount</span>",
                percent(line.discount_percent)
            );
        }
        let _ = write!(
            h,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            group_thousands(line.quantity.normalize()),
            price(line.unit_price, d.currency),
            percent(line.tax_rate),
            figure(line.net)
        );
    }
    h.push_str("</tbody></table>");
}

fn totals(h: &mut String, doc: &InvoiceDocument) {
    let d = &doc.detail;
    let code = d.currency.code();
    let row = |h: &mut String, class: &str, label: &str, value: &str| {
        let _ = write!(
            h,
            "<div{}><dt>{}</dt><dd>{}</dd></div>",
            if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            },
            esc(label),
            esc(value)
        );
    };
    h.push_str("<dl class=\"sheet-totals\">");
    row(h, "", "Net", &figure(d.totals.net));
    for t in &d.totals.taxes {
        let label = format!("Tax {} on {}", percent(t.rate), figure(t.base));
        row(h, "", &label, &figure(t.tax));
    }
    row(
        h,
        "grand",
        &format!("Total {code}"),
        &figure(d.totals.gross),
    );
    if d.summary.status == InvoiceStatus::Void {
        row(h, "void", "VOID", "Cancelled; nothing is owed.");
    } else {
        row(h, "", "Paid", &figure(d.paid));
        if d.credited.is_positive() {
            row(h, "", "Credited", &figure(d.credited));
        }
        if let Some(w) = &d.write_off {
            row(h, "", "Written off", &figure(w.amount));
        }
        row(
            h,
            "due",
            &format!("Balance due {code}"),
            &figure(d.summary.open),
        );
    }
    h.push_str("</dl>");
}

fn how_to_pay(h: &mut String, b: &BusinessProfile, number: &str) {
    let p = &b.payment;
    h.push_str("<section class=\"sheet-pay\" aria-label=\"How to pay\"><h2 class=\"eyebrow\">How to pay</h2><dl>");
    for (label, value) in [
        ("Bank", p.bank_name.clone()),
        ("IBAN", group_iban(&p.iban)),
        ("BIC / SWIFT", p.bic.clone()),
        ("Reference", number.to_string()),
    ] {
        if !value.is_empty() {
            let _ = write!(h, "<div><dt>{label}</dt><dd>{}</dd></div>", esc(&value));
        }
    }
    h.push_str("</dl>");
    if !p.note.is_empty() {
        let _ = write!(h, "<p class=\"address\">{}</p>", esc(&p.note));
    }
    h.push_str("</section>");
}

fn legal_line(b: &BusinessProfile) -> String {
    let mut parts = vec![b.display_name().to_string()];
    if !b.registration_number.is_empty() {
        parts.push(format!("Company no. {}", b.registration_number));
    }
    if !b.tax_id.is_empty() {
        parts.push(format!("VAT no. {}", b.tax_id));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_names_is_shown_as_text() {
        assert_eq!(
            esc("<script>\"O'Brien\" & co</script>"),
            "&lt;script&gt;&quot;O&#39;Brien&quot; &amp; co&lt;/script&gt;"
        );
    }
}
