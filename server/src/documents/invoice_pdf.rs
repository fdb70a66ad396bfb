//! The PDF layout of a sales document: the business (logo, address, tax and company numbers)
//! and the customer at the top, the lines, the tax of each rate, the totals and what is due,
//! how to pay, and a footer on every page. Invoices and quotes fill it; a quote has its own
//! title, a valid-until day instead of a due date, and nothing to pay.

use crate::pdf::{line_height, wrap, Color, Document, Font, Image};
use app::api::documents::{InvoiceDocument, QuoteDocument};
use app::api::types::InvoiceLineView;
use app::domain::money::group_thousands;
use app::domain::profile::{group_iban, BusinessProfile};
use app::domain::{Currency, InvoiceStatus, InvoiceTotals, Money};
use app::store::business::Logo;
use chrono::NaiveDate;
use rust_decimal::Decimal;

const SIZE: f32 = 9.0;
const ACCENT: Color = Color::Rgb(0.122, 0.294, 0.247);
const MUTED: Color = Color::Gray(0.42);
const RULE: Color = Color::Gray(0.85);
const HEADER_FILL: Color = Color::Rgb(0.93, 0.95, 0.94);
const DRAFT_RED: Color = Color::Rgb(0.75, 0.12, 0.12);
/// Right edges of the numeric columns, measured from the right margin.
const NET_FROM_RIGHT: f32 = 4.0;
const TAX_FROM_RIGHT: f32 = 84.0;
const PRICE_FROM_RIGHT: f32 = 130.0;
const QUANTITY_FROM_RIGHT: f32 = 200.0;

/// Who a document is addressed to, as it was billed.
pub struct Party<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub email: &'a str,
    pub tax_id: &'a str,
}

/// What is still owed on a document that can be paid.
pub struct Settlement {
    pub paid: Money,
    /// Taken back by credit notes; zero when none.
    pub credited: Money,
    /// Written off as a bad debt; zero when not.
    pub written_off: Money,
    pub due: Money,
}

/// Everything a printed sales document shows.
pub struct Printable<'a> {
    /// "Invoice", "Credit note".
    pub title: &'a str,
    /// "Invoice number", "Credit note number".
    pub number_label: &'a str,
    /// `None` for a draft, which prints marked DRAFT instead.
    pub number: Option<&'a str>,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    /// What the second date is: "Due date", "Valid until".
    pub due_label: &'a str,
    /// Above the customer's address: "BILL TO", "QUOTE FOR".
    pub to_label: &'a str,
    /// A line under the dates, such as the invoice a credit note corrects.
    pub reference: Option<String>,
    /// Printed across the totals when the document no longer counts (void).
    pub cancelled: Option<&'a str>,
    pub business: &'a BusinessProfile,
    pub logo: Option<&'a Logo>,
    pub customer: Party<'a>,
    pub currency: Currency,
    pub lines: &'a [InvoiceLineView],
    pub totals: &'a InvoiceTotals,
    /// Whether the unit prices were written with tax included.
    pub prices_include_tax: bool,
    pub settlement: Option<Settlement>,
    pub notes: &'a str,
}

impl<'a> Printable<'a> {
    /// An invoice as it prints: drafts without a number and nothing due, void ones marked.
    pub fn invoice(doc: &'a InvoiceDocument, logo: Option<&'a Logo>) -> Printable<'a> {
        let d = &doc.detail;
        let status = d.summary.status;
        let payable = !matches!(status, InvoiceStatus::Draft | InvoiceStatus::Void);
        Printable {
            title: "Invoice",
            number_label: "Invoice number",
            number: d.summary.number.as_deref(),
            issue_date: d.summary.issue_date,
            due_date: Some(d.summary.due_date),
            due_label: "Due date",
            to_label: "BILL TO",
            reference: None,
            cancelled: (status == InvoiceStatus::Void).then_some("VOID"),
            business: &doc.business,
            logo,
            customer: Party {
                name: &d.summary.customer_name,
                address: &d.customer_address,
                email: &d.customer_email,
                tax_id: &doc.customer_tax_id,
            },
            currency: d.currency,
            lines: &d.lines,
            totals: &d.totals,
            prices_include_tax: d.pricing.entry == app::domain::PriceEntry::TaxInclusive,
            settlement: payable.then_some(Settlement {
                paid: d.paid,
                credited: d.credited,
                written_off: d
                    .write_off
                    .as_ref()
                    .map_or(Money::zero(d.currency), |w| w.amount),
                due: d.summary.open,
            }),
            notes: &d.notes,
        }
    }

    /// A quote as it prints: no number while a draft, marked when declined or expired, and
    /// no amount due or payment instructions.
    pub fn quote(doc: &'a QuoteDocument, logo: Option<&'a Logo>) -> Printable<'a> {
        use app::domain::quotes::QuoteStatus;
        let d = &doc.detail;
        Printable {
            title: "Quote",
            number_label: "Quote number",
            number: d.summary.number.as_deref(),
            issue_date: d.summary.issue_date,
            due_date: Some(d.summary.valid_until),
            due_label: "Valid until",
            to_label: "QUOTE FOR",
            reference: d
                .invoice_number
                .as_ref()
                .map(|n| format!("Accepted and invoiced as {n}")),
            cancelled: match d.summary.status {
                QuoteStatus::Declined => Some("DECLINED"),
                QuoteStatus::Expired => Some("EXPIRED"),
                _ => None,
            },
            business: &doc.business,
            logo,
            customer: Party {
                name: &doc.customer.name,
                address: &doc.customer.billing_address,
                email: &doc.customer.email,
                tax_id: &doc.customer.tax_id,
            },
            currency: d.currency,
            lines: &d.lines,
            totals: &d.totals,
            prices_include_tax: d.pricing.entry == app::domain::PriceEntry::TaxInclusive,
            settlement: None,
            notes: &d.notes,
        }
    }

    /// The file's title in a viewer's window, e.g. "Invoice INV-00012 – Harbour Studio".
    fn file_title(&self) -> String {
        let number = self.number.unwrap_or("draft");
        format!("{} {number} – {}", self.title, self.business.display_name())
    }
}

fn figure(m: Money) -> String {
    group_thousands(m.amount())
}

fn day(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn percent(rate: Decimal) -> String {
    format!("{}%", rate.normalize())
}

/// The document as a finished PDF file.
pub fn render(p: &Printable) -> Vec<u8> {
    let mut doc = Document::new(&p.file_title());
    let logo = p.logo.and_then(|logo| match logo.content_type.as_str() {
        "image/png" => doc.add_png(&logo.data).ok(),
        _ => doc.add_jpeg(&logo.data).ok(),
    });
    heading(&mut doc, p, logo);
    parties(&mut doc, p);
    doc.advance(20.0);
    lines(&mut doc, p);
    totals(&mut doc, p);
    payment(&mut doc, p);
    notes(&mut doc, p);
    footers(&mut doc, p);
    doc.finish()
}

/// Logo (or name) on the left; the title, the number or DRAFT, on the right.
fn heading(doc: &mut Document, p: &Printable, logo: Option<Image>) {
    let (left, right, top) = (doc.left(), doc.right(), doc.top());
    let mut bottom = top;
    match logo {
        Some(image) => {
            let (w, h) = image.fit(170.0, 56.0);
            doc.image(image, left, top, w, h);
            bottom = bottom.max(top + h);
        }
        None => {
            doc.set_text_color(ACCENT);
            doc.text(left, top + 18.0, 18.0, Font::Bold, &p.business.name);
            bottom = bottom.max(top + 24.0);
        }
    }
    doc.set_text_color(ACCENT);
    doc.text_right(right, top + 20.0, 22.0, Font::Bold, &p.title.to_uppercase());
    match p.number {
        Some(number) => {
            doc.set_text_color(Color::BLACK);
            doc.text_right(right, top + 38.0, 11.0, Font::Bold, number);
        }
        None => {
            doc.set_text_color(DRAFT_RED);
            doc.text_right(right, top + 40.0, 14.0, Font::Bold, "DRAFT");
            doc.set_text_color(MUTED);
            let note = "Not issued: no number, nothing is owed";
            doc.text_right(right, top + 52.0, 8.0, Font::Regular, note);
        }
    }
    doc.set_text_color(Color::BLACK);
    doc.set_cursor(bottom.max(top + 56.0) + 22.0);
}

/// From (the business) and To (the customer) side by side, the dates on the right.
fn parties(doc: &mut Document, p: &Printable) {
    let (left, right) = (doc.left(), doc.right());
    let column = (right - left) / 3.0;
    let start = doc.cursor();
    let b = p.business;
    let mut from = vec![(Font::Bold, b.display_name().to_string())];
    from.extend(
        b.address
            .lines()
            .map(|l| (Font::Regular, l.trim().to_string())),
    );
    for contact in [&b.email, &b.phone] {
        if !contact.is_empty() {
            from.push((Font::Regular, contact.to_string()));
        }
    }
    if !b.tax_id.is_empty() {
        from.push((Font::Regular, format!("VAT no. {}", b.tax_id)));
    }
    if !b.registration_number.is_empty() {
        from.push((
            Font::Regular,
            format!("Company no. {}", b.registration_number),
        ));
    }
    let c = &p.customer;
    let mut to = vec![(Font::Bold, c.name.to_string())];
    to.extend(
        c.address
            .lines()
            .map(|l| (Font::Regular, l.trim().to_string())),
    );
    if !c.email.is_empty() {
        to.push((Font::Regular, c.email.to_string()));
    }
    if !c.tax_id.is_empty() {
        to.push((Font::Regular, format!("VAT no. {}", c.tax_id)));
    }
    let from_end = block(doc, left, column - 12.0, start, "FROM", &from);
    let to_end = block(doc, left + column, column - 12.0, start, p.to_label, &to);
    let mut meta = vec![(p.number_label, p.number.unwrap_or("—").to_string())];
    meta.push(("Issue date", day(p.issue_date)));
    if let Some(due) = p.due_date {
        meta.push((p.due_label, day(due)));
    }
    meta.push(("Currency", p.currency.code().to_string()));
    let mut y = start;
    for (label, value) in &meta {
        y += line_height(SIZE);
        doc.set_text_color(MUTED);
        doc.text(left + 2.0 * column, y, SIZE, Font::Regular, label);
        doc.set_text_color(Color::BLACK);
        doc.text_right(right, y, SIZE, Font::Bold, value);
        y += 3.0;
    }
    if let Some(reference) = &p.reference {
        y += line_height(SIZE);
        doc.text(left + 2.0 * column, y, SIZE, Font::Regular, reference);
    }
    doc.set_cursor(from_end.max(to_end).max(y));
}

/// A labelled block of lines at `x`, wrapped to `width`; returns the y below it.
fn block(
    doc: &mut Document,
    x: f32,
    width: f32,
    top: f32,
    label: &str,
    rows: &[(Font, String)],
) -> f32 {
    let mut y = top + line_height(8.0);
    doc.set_text_color(MUTED);
    doc.text(x, y, 8.0, Font::Bold, label);
    doc.set_text_color(Color::BLACK);
    y += 3.0;
    for (font, text) in rows.iter().filter(|(_, t)| !t.is_empty()) {
        for line in wrap(text, width, SIZE, *font) {
            y += line_height(SIZE);
            doc.text(x, y, SIZE, *font, &line);
        }
    }
    y
}

fn table_header(doc: &mut Document, p: &Printable) {
    let (left, right) = (doc.left(), doc.right());
    let y = doc.next_line(SIZE) + 4.0;
    doc.rect_fill(left, y - 12.0, right - left, 17.0, HEADER_FILL);
    doc.set_text_color(ACCENT);
    doc.text(left + 6.0, y, SIZE, Font::Bold, "Description");
    doc.text_right(right - QUANTITY_FROM_RIGHT, y, SIZE, Font::Bold, "Qty");
    // "Price incl. tax" would run into "Qty" in this column's width.
    let price = if p.prices_include_tax {
        "Gross price"
    } else {
        "Unit price"
    };
    doc.text_right(right - PRICE_FROM_RIGHT, y, SIZE, Font::Bold, price);
    doc.text_right(right - TAX_FROM_RIGHT, y, SIZE, Font::Bold, "Tax");
    doc.text_right(right - NET_FROM_RIGHT, y, SIZE, Font::Bold, "Net");
    doc.set_text_color(Color::BLACK);
    doc.advance(9.0);
}

fn lines(doc: &mut Document, p: &Printable) {
    let (left, right) = (doc.left(), doc.right());
    let width = right - QUANTITY_FROM_RIGHT - 40.0 - (left + 6.0);
    table_header(doc, p);
    for line in p.lines {
        let mut text = wrap(&line.description, width, SIZE, Font::Regular);
        let discount = (!line.discount_percent.is_zero())
            .then(|| format!("less {} discount", percent(line.discount_percent)));
        let note = [discount, tax_note(line)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        let note = (!note.is_empty()).then_some(note);
        let rows = text.len() + usize::from(note.is_some());
        if doc.ensure_space(line_height(SIZE) * rows as f32 + 8.0) {
            table_header(doc, p);
        }
        doc.advance(3.0);
        if text.is_empty() {
            text.push(String::new());
        }
        for (i, part) in text.iter().enumerate() {
            let y = doc.next_line(SIZE);
            doc.text(left + 6.0, y, SIZE, Font::Regular, part);
            if i == 0 {
                let quantity = match line.unit.trim() {
                    "" => group_thousands(line.quantity.normalize()),
                    unit => format!("{} {unit}", group_thousands(line.quantity.normalize())),
                };
                let price = unit_price(line.unit_price, p.currency);
                doc.text_right(
                    right - QUANTITY_FROM_RIGHT,
                    y,
                    SIZE,
                    Font::Regular,
                    &quantity,
                );
                doc.text_right(right - PRICE_FROM_RIGHT, y, SIZE, Font::Regular, &price);
                let rate = percent(line.tax_rate);
                doc.text_right(right - TAX_FROM_RIGHT, y, SIZE, Font::Regular, &rate);
                doc.text_right(
                    right - NET_FROM_RIGHT,
                    y,
                    SIZE,
                    Font::Regular,
                    &figure(line.net),
                );
            }
        }
        if let Some(note) = note {
            let y = doc.next_line(SIZE);
            doc.set_text_color(MUTED);
            doc.text(left + 6.0, y, 8.0, Font::Regular, &note);
            doc.set_text_color(Color::BLACK);
        }
        doc.advance(4.0);
        doc.set_line_color(RULE);
        doc.line(left, doc.cursor(), right, doc.cursor(), 0.5);
    }
}

/// What a line's tax is when it is not plainly a standard rate: "Zero-rated", "Exempt:
/// reason", or the named rate ("Reduced rate").
fn tax_note(line: &InvoiceLineView) -> Option<String> {
    use app::domain::TaxCategory;
    match line.tax.category_at(line.tax_rate) {
        TaxCategory::Exempt => Some(format!(
            "Exempt from tax: {}",
            line.tax.exemption_reason.trim()
        )),
        TaxCategory::Zero => Some("Zero-rated".to_string()),
        TaxCategory::Reduced => Some(format!("{} rate", line.tax.name.trim())),
        TaxCategory::Standard => None,
    }
}

/// A unit price with at least the currency's decimals: 12.5 GBP shows as "12.50".
fn unit_price(value: Decimal, currency: Currency) -> String {
    let mut value = value.normalize();
    if value.scale() < currency.minor_units() {
        value.rescale(currency.minor_units());
    }
    group_thousands(value)
}

/// Net, the tax of each rate on its base, the total, then what was paid and what is due.
fn totals(doc: &mut Document, p: &Printable) {
    let right = doc.right();
    let label_x = right - 230.0;
    let t = p.totals;
    let discounted = !t.discount.is_zero();
    let rows = 3
        + t.taxes.len()
        + if p.settlement.is_some() { 4 } else { 0 }
        + if discounted { 2 } else { 0 };
    doc.ensure_space(line_height(SIZE) * rows as f32 + 60.0);
    doc.advance(10.0);
    let row = |doc: &mut Document, label: &str, value: String, font: Font| {
        let y = doc.next_line(SIZE);
        doc.text(label_x, y, SIZE, font, label);
        doc.text_right(right - NET_FROM_RIGHT, y, SIZE, font, &value);
        doc.advance(3.0);
    };
    if discounted {
        let subtotal = Money::sum(p.currency, t.line_amounts.iter().copied());
        row(doc, "Subtotal", figure(subtotal), Font::Regular);
        row(doc, "Discount", figure(-t.discount), Font::Regular);
    }
    row(doc, "Net", figure(t.net), Font::Regular);
    for tax in &t.taxes {
        let label = format!("Tax {} on {}", percent(tax.rate), figure(tax.base));
        row(doc, &label, figure(tax.tax), Font::Regular);
    }
    doc.set_line_color(Color::Gray(0.6));
    doc.line(label_x, doc.cursor(), right, doc.cursor(), 0.75);
    doc.advance(3.0);
    let total = format!("Total {}", p.currency.code());
    let y = doc.next_line(11.0);
    doc.text(label_x, y, 11.0, Font::Bold, &total);
    doc.text_right(
        right - NET_FROM_RIGHT,
        y,
        11.0,
        Font::Bold,
        &figure(t.gross),
    );
    doc.advance(4.0);
    if let Some(s) = &p.settlement {
        row(doc, "Paid", figure(s.paid), Font::Regular);
        // Total less these rows is what is due, so the figures on the page add up.
        if !s.credited.is_zero() {
            row(doc, "Credited", figure(s.credited), Font::Regular);
        }
        if !s.written_off.is_zero() {
            row(doc, "Written off", figure(s.written_off), Font::Regular);
        }
        doc.advance(2.0);
        let top = doc.cursor();
        doc.rect_fill(label_x - 6.0, top, right - label_x + 6.0, 22.0, ACCENT);
        doc.set_text_color(Color::Gray(1.0));
        let y = top + 15.0;
        let label = format!("Amount due {}", p.currency.code());
        doc.text(label_x, y, 11.0, Font::Bold, &label);
        doc.text_right(right - NET_FROM_RIGHT, y, 11.0, Font::Bold, &figure(s.due));
        doc.set_text_color(Color::BLACK);
        doc.set_cursor(top + 22.0);
    }
    if let Some(mark) = p.cancelled {
        let y = doc.next_line(14.0);
        doc.set_text_color(DRAFT_RED);
        doc.text(label_x, y, 14.0, Font::Bold, mark);
        doc.set_text_color(MUTED);
        let why = "Reversed in the books; nothing is owed.";
        doc.text(label_x + 50.0, y, 8.0, Font::Regular, why);
        doc.set_text_color(Color::BLACK);
    }
}

/// How to pay: bank, IBAN, BIC and the free text, quoting the document's number.
fn payment(doc: &mut Document, p: &Printable) {
    let pay = &p.business.payment;
    if pay.is_empty() || p.settlement.is_none() {
        return;
    }
    let mut rows: Vec<(&str, String)> = Vec::new();
    if !pay.bank_name.is_empty() {
        rows.push(("Bank", pay.bank_name.clone()));
    }
    if !pay.iban.is_empty() {
        rows.push(("IBAN", group_iban(&pay.iban)));
    }
    if !pay.bic.is_empty() {
        rows.push(("BIC / SWIFT", pay.bic.clone()));
    }
    if let Some(number) = p.number {
        rows.push(("Reference", number.to_string()));
    }
    let (left, right) = (doc.left(), doc.right());
    let note = wrap(&pay.note, (right - left) / 2.0, SIZE, Font::Regular);
    let height = line_height(SIZE) * (rows.len() + note.len() + 2) as f32 + 20.0;
    doc.ensure_space(height);
    doc.advance(24.0);
    let y = doc.next_line(8.0);
    doc.set_text_color(ACCENT);
    doc.text(left, y, 8.0, Font::Bold, "HOW TO PAY");
    doc.set_text_color(Color::BLACK);
    doc.advance(3.0);
    for (label, value) in rows {
        let y = doc.next_line(SIZE);
        doc.set_text_color(MUTED);
        doc.text(left, y, SIZE, Font::Regular, label);
        doc.set_text_color(Color::BLACK);
        doc.text(left + 70.0, y, SIZE, Font::Bold, &value);
    }
    for line in note.iter().filter(|l| !l.is_empty()) {
        let y = doc.next_line(SIZE);
        doc.text(left, y, SIZE, Font::Regular, line);
    }
}

fn notes(doc: &mut Document, p: &Printable) {
    if p.notes.trim().is_empty() {
        return;
    }
    let (left, right) = (doc.left(), doc.right());
    doc.ensure_space(line_height(SIZE) * 3.0);
    doc.advance(16.0);
    let y = doc.next_line(8.0);
    doc.set_text_color(ACCENT);
    doc.text(left, y, 8.0, Font::Bold, "NOTES");
    doc.set_text_color(Color::BLACK);
    doc.advance(3.0);
    doc.paragraph(left, right - left, SIZE, Font::Regular, p.notes.trim());
}

/// On every page: the footer note, the legal line, and "Page N of M".
fn footers(doc: &mut Document, p: &Printable) {
    let b = p.business;
    let mut legal = vec![b.display_name().to_string()];
    if !b.registration_number.is_empty() {
        legal.push(format!("Company no. {}", b.registration_number));
    }
    if !b.tax_id.is_empty() {
        legal.push(format!("VAT no. {}", b.tax_id));
    }
    let legal = legal.join(" · ");
    let footer = b.invoice_footer.lines().next().unwrap_or_default().trim();
    let pages = doc.page_count();
    let (left, right) = (doc.left(), doc.right());
    for page in 0..pages {
        doc.select_page(page);
        let y = doc.bottom() + 18.0;
        doc.set_line_color(RULE);
        doc.line(left, y - 12.0, right, y - 12.0, 0.5);
        doc.set_text_color(MUTED);
        if !footer.is_empty() {
            doc.text(left, y, 8.0, Font::Regular, footer);
        }
        doc.text(left, y + 11.0, 7.5, Font::Regular, &legal);
        let count = format!("Page {} of {pages}", page + 1);
        doc.text_right(right, y + 11.0, 7.5, Font::Regular, &count);
    }
}
