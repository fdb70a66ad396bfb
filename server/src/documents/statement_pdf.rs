//! The PDF layout of a customer statement: business and customer at the top, then Date |
//! Description | Amount | Balance from the opening to the closing balance, "Page N of M".

use crate::pdf::{line_height, wrap, Color, Document, Font};
use app::api::types::{CustomerStatement, StatementBalance};
use app::domain::money::group_thousands;
use app::domain::Money;

const SIZE: f32 = 9.0;
const DATE_X: f32 = 4.0;
const DESCRIPTION_X: f32 = 72.0;
/// Right edge of the Amount column, measured from the right margin.
const AMOUNT_FROM_RIGHT: f32 = 96.0;
const HEADER_FILL: Color = Color::Gray(0.93);
const MUTED: Color = Color::Gray(0.4);

fn figure(m: Money) -> String {
    group_thousands(m.amount())
}

fn day(date: chrono::NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// The statement as a finished PDF file.
pub fn render(s: &CustomerStatement) -> Vec<u8> {
    let title = format!(
        "Statement for {} – {} to {}",
        s.customer_name, s.period.from, s.period.to
    );
    let mut doc = Document::new(&title);
    let (left, right) = (doc.left(), doc.right());
    let y = doc.next_line(18.0);
    doc.text(left, y, 18.0, Font::Bold, &s.business_name);
    doc.text_right(right, y, 18.0, Font::Regular, "Statement");
    doc.set_text_color(MUTED);
    let y = doc.next_line(SIZE);
    doc.text(
        left,
        y,
        SIZE,
        Font::Regular,
        &format!("Amounts in {}", s.currency.code()),
    );
    doc.text_right(
        right,
        y,
        SIZE,
        Font::Regular,
        &format!("{} to {}", day(s.period.from), day(s.period.to)),
    );
    doc.advance(18.0);
    let y = doc.next_line(SIZE);
    doc.text(left, y, SIZE, Font::Bold, "STATEMENT FOR");
    doc.set_text_color(Color::BLACK);
    let y = doc.next_line(11.0);
    doc.text(left, y, 11.0, Font::Bold, &s.customer_name);
    let half = (right - left) / 2.0;
    for line in s.customer_address.lines().filter(|l| !l.trim().is_empty()) {
        doc.paragraph(left, half, 10.0, Font::Regular, line.trim());
    }
    if !s.customer_email.is_empty() {
        doc.paragraph(left, half, 10.0, Font::Regular, &s.customer_email);
    }
    doc.advance(18.0);
    table_header(&mut doc);
    balance_rows(&mut doc, "Opening balance", &s.opening, s.period.from);
    let description_width = right - AMOUNT_FROM_RIGHT - 70.0 - (left + DESCRIPTION_X);
    for line in &s.lines {
        let mut wrapped = wrap(&line.description, description_width, SIZE, Font::Regular);
        if wrapped.is_empty() {
            wrapped.push(String::new());
        }
        let height = line_height(SIZE) * wrapped.len() as f32 + 4.0;
        if doc.ensure_space(height) {
            table_header(&mut doc);
        }
        doc.advance(2.0);
        for (i, text) in wrapped.iter().enumerate() {
            let y = doc.next_line(SIZE);
            if i == 0 {
                doc.text(left + DATE_X, y, SIZE, Font::Regular, &day(line.date));
                amounts(&mut doc, y, Font::Regular, line.amount, line.balance);
            }
            doc.text(left + DESCRIPTION_X, y, SIZE, Font::Regular, text);
        }
        doc.advance(2.0);
        doc.set_line_color(Color::Gray(0.85));
        doc.line(left, doc.cursor(), right, doc.cursor(), 0.5);
    }
    if s.lines.is_empty() {
        let y = doc.next_line(SIZE);
        doc.set_text_color(MUTED);
        let text = "Nothing was invoiced or received in this period.";
        doc.text(left + DESCRIPTION_X, y, SIZE, Font::Regular, text);
        doc.set_text_color(Color::BLACK);
    }
    doc.advance(4.0);
    balance_rows(&mut doc, "Closing balance", &s.closing, s.period.to);
    footers(&mut doc, s);
    doc.finish()
}

fn amounts(doc: &mut Document, y: f32, font: Font, amount: Money, balance: Money) {
    let right = doc.right();
    doc.text_right(right - AMOUNT_FROM_RIGHT, y, SIZE, font, &figure(amount));
    doc.text_right(right - DATE_X, y, SIZE, font, &figure(balance));
}

fn table_header(doc: &mut Document) {
    let (left, right) = (doc.left(), doc.right());
    let y = doc.next_line(SIZE) + 2.0;
    doc.rect_fill(left, y - 11.0, right - left, 15.0, HEADER_FILL);
    doc.set_text_color(Color::BLACK);
    doc.text(left + DATE_X, y, SIZE, Font::Bold, "Date");
    doc.text(left + DESCRIPTION_X, y, SIZE, Font::Bold, "Description");
    doc.text_right(right - AMOUNT_FROM_RIGHT, y, SIZE, Font::Bold, "Amount");
    doc.text_right(right - DATE_X, y, SIZE, Font::Bold, "Balance");
    doc.advance(6.0);
}

/// An opening or closing balance in bold, after its parts when the customer holds credit.
fn balance_rows(doc: &mut Document, label: &str, b: &StatementBalance, date: chrono::NaiveDate) {
    let rows = if b.credit.is_zero() { 1.0 } else { 3.0 };
    if doc.ensure_space(line_height(SIZE) * rows + 8.0) {
        table_header(doc);
    }
    let (left, right) = (doc.left(), doc.right());
    doc.advance(2.0);
    if !b.credit.is_zero() {
        for (text, value) in [
            ("Invoices unpaid", b.receivable),
            ("Less credit held", -b.credit),
        ] {
            let y = doc.next_line(SIZE);
            doc.text(left + DESCRIPTION_X, y, SIZE, Font::Regular, text);
            doc.text_right(right - DATE_X, y, SIZE, Font::Regular, &figure(value));
        }
    }
    let y = doc.next_line(SIZE);
    doc.text(left + DATE_X, y, SIZE, Font::Bold, &day(date));
    doc.text(left + DESCRIPTION_X, y, SIZE, Font::Bold, label);
    doc.text_right(right - DATE_X, y, SIZE, Font::Bold, &figure(b.owed));
    doc.advance(4.0);
    doc.set_line_color(Color::Gray(0.6));
    doc.line(left, doc.cursor(), right, doc.cursor(), 0.75);
}

fn footers(doc: &mut Document, s: &CustomerStatement) {
    let pages = doc.page_count();
    let note = format!("{} · statement for {}", s.business_name, s.customer_name);
    doc.set_text_color(MUTED);
    for page in 0..pages {
        doc.select_page(page);
        let y = doc.bottom() + 24.0;
        doc.text(doc.left(), y, 8.0, Font::Regular, &note);
        let footer = format!("Page {} of {pages}", page + 1);
        doc.text_right(doc.right(), y, 8.0, Font::Regular, &footer);
    }
}
