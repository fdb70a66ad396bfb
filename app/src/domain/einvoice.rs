//! E-invoices: an invoice as UBL 2.1 XML following Peppol BIS Billing 3.0 / EN 16931. The
//! figures come from [`invoice_totals`], the same arithmetic the screen, the PDF and the books
//! use, so the e-invoice cannot disagree with them. [`check_rules`] re-reads a document and
//! verifies the EN 16931 calculation rules on it; the tests run it over generated invoices.

use super::money::{Currency, Money};
use super::pricing::{document_totals, PriceEntry, Pricing, PricingError};
use super::totals::{line_net, InvoiceTotals, LineInput, TaxLine, TaxRounding};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt::Write;

pub(super) const CUSTOMIZATION: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
pub(super) const PROFILE: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// One side of the invoice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EParty {
    pub name: String,
    /// Free text, one part per line: street, then town and post code as typed.
    pub address: String,
    pub email: String,
    pub tax_id: String,
    pub registration_number: String,
}

/// What an e-invoice is made from.
#[derive(Clone, Debug, PartialEq)]
pub struct EInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub rounding: TaxRounding,
    pub note: String,
    pub seller: EParty,
    pub buyer: EParty,
    pub lines: Vec<LineInput>,
    /// Money already received against it.
    pub paid: Money,
    pub iban: String,
    pub bic: String,
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum EInvoiceError {
    #[error("the {0}'s country cannot be told: give a VAT number that starts with its country code (like GB123456789) or, for the business, an IBAN")]
    NoCountry(&'static str),
    #[error("the invoice has no lines")]
    NoLines,
    #[error(transparent)]
    Pricing(#[from] PricingError),
}

/// The ISO 3166 country of a party: the letters a VAT number starts with (Greece's "EL" is
/// "GR"), else the IBAN's.
pub(super) fn country(tax_id: &str, iban: &str) -> Option<String> {
    let from = |text: &str| -> Option<String> {
        let head: String = text.trim().chars().take(2).collect();
        (head.len() == 2 && head.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| head.to_ascii_uppercase())
            .map(|c| if c == "EL" { "GR".to_string() } else { c })
    };
    from(tax_id).or_else(|| from(iban))
}

/// The VAT category code of a line: as billed, or for older lines what its rate implies.
fn line_code(line: &LineInput) -> &'static str {
    line.tax.category_at(line.tax_rate).code()
}

/// One VAT breakdown (BG-23): a rate's figures, split by category where one rate holds
/// several (zero-rated and exempt lines are both at 0%).
struct Breakdown {
    code: &'static str,
    tax: TaxLine,
    exemption_reason: String,
}

fn breakdowns(lines: &[LineInput], totals: &InvoiceTotals) -> Vec<Breakdown> {
    let mut out = Vec::new();
    for t in &totals.taxes {
        let members: Vec<usize> = (0..lines.len())
            .filter(|i| lines[*i].tax_rate.normalize() == t.rate.normalize())
            .collect();
        let mut codes: Vec<&'static str> = members.iter().map(|i| line_code(&lines[*i])).collect();
        codes.sort_unstable();
        codes.dedup();
        for code in &codes {
            let of_code: Vec<usize> = members
                .iter()
                .copied()
                .filter(|i| line_code(&lines[*i]) == *code)
                .collect();
            let currency = t.base.currency();
            let sum = |v: &[Money]| Money::sum(currency, of_code.iter().map(|i| v[*i]));
            let base = sum(&totals.line_nets);
            let mut reasons: Vec<&str> = of_code
                .iter()
                .map(|i| lines[*i].tax.exemption_reason.trim())
                .filter(|r| !r.is_empty())
                .collect();
            reasons.dedup();
            let tax = if codes.len() == 1 {
                t.clone()
            } else {
                // Only rates of 0% hold several categories, so each part's tax is nothing.
                TaxLine {
                    rate: t.rate,
                    base,
                    tax: Money::new(base.amount() * t.rate / Decimal::ONE_HUNDRED, currency),
                    allowance: sum(&totals.line_amounts) - base,
                }
            };
            let exemption_reason = match (*code, reasons.is_empty()) {
                ("E", true) => "Exempt".to_string(),
                _ => reasons.join("; "),
            };
            out.push(Breakdown {
                code,
                tax,
                exemption_reason,
            });
        }
    }
    out
}

/// The category element of a breakdown or an allowance, with the exemption reason (BT-120).
fn tax_category(b: &Breakdown) -> String {
    let reason = if b.code == "E" {
        format!(
            "<cbc:TaxExemptionReason>{}</cbc:TaxExemptionReason>",
            escape(&b.exemption_reason)
        )
    } else {
        String::new()
    };
    format!(
        "<cac:TaxCategory><cbc:ID>{}</cbc:ID><cbc:Percent>{}</cbc:Percent>{reason}\
         <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>",
        b.code,
        b.tax.rate.normalize()
    )
}

/// The tax category of a rate for documents that carry no category of their own (credit
/// notes, one line per rate): standard when it charges tax, zero-rated when not.
pub(super) fn category(rate: Decimal) -> &'static str {
    if rate.is_zero() {
        "Z"
    } else {
        "S"
    }
}

/// A line's net price: the unit price when prices are written without tax, otherwise the
/// derived net amount per unit, to enough places that quantity × price rounds to it.
fn net_price(line: &LineInput, amount: Money, entry: PriceEntry) -> Decimal {
    match entry {
        PriceEntry::TaxExclusive => line.unit_price.normalize(),
        PriceEntry::TaxInclusive => (amount.amount() / line.quantity).round_dp(10).normalize(),
    }
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters, nor U+FFFE and U+FFFF.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn amount(m: Money) -> String {
    let mut a = m.amount();
    a.rescale(m.currency().minor_units());
    a.to_string()
}

/// A town line split into the town and its post code, when the post code has a shape
/// common in Europe or North America: before the town ("10115 Berlin", "1012 AB Amsterdam",
/// "00-950 Warszawa", "114 55 Stockholm") or after it ("Falmouth TR11 3HH",
/// "Springfield, IL 62704"). Anything else is all town.
pub(super) fn town_and_postcode(line: &str) -> (String, Option<String>) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let all = |w: &str, f: fn(char) -> bool| !w.is_empty() && w.chars().all(f);
    let digits = |w: &str, n: std::ops::RangeInclusive<usize>| {
        all(w, |c| c.is_ascii_digit()) && n.contains(&w.len())
    };
    let tidy = |parts: &[&str]| {
        parts
            .join(" ")
            .trim_matches(|c: char| c == ',' || c.is_whitespace())
            .to_string()
    };
    let some = |n: usize, parts: &[&str]| Some(parts[..n].join(" "));
    if words.len() >= 2 {
        let (first, second) = (words[0], words[1]);
        let polish = first.len() == 6
            && first.as_bytes()[2] == b'-'
            && digits(&first[..2], 2..=2)
            && digits(&first[3..], 3..=3);
        if words.len() >= 3
            && digits(first, 4..=4)
            && second.len() == 2
            && all(second, |c| c.is_ascii_uppercase())
        {
            return (tidy(&words[2..]), some(2, &words));
        }
        if words.len() >= 3 && digits(first, 3..=3) && digits(second, 2..=2) {
            return (tidy(&words[2..]), some(2, &words));
        }
        if digits(first, 4..=5) || polish {
            return (tidy(&words[1..]), some(1, &words));
        }
        let last = words[words.len() - 1];
        let before = words[words.len() - 2];
        let outward = |w: &str| {
            let b = w.as_bytes();
            (2..=4).contains(&b.len())
                && b[0].is_ascii_uppercase()
                && b.iter().all(u8::is_ascii_alphanumeric)
                && b.iter().any(u8::is_ascii_digit)
                && !b.iter().any(u8::is_ascii_lowercase)
        };
        let inward = |w: &str| {
            let b = w.as_bytes();
            b.len() == 3
                && b[0].is_ascii_digit()
                && b[1].is_ascii_uppercase()
                && b[2].is_ascii_uppercase()
        };
        if words.len() >= 3 && outward(before) && inward(last) {
            let n = words.len() - 2;
            return (tidy(&words[..n]), Some(words[n..].join(" ")));
        }
        let zip = digits(last, 5..=5)
            || (last.len() == 10
                && last.as_bytes()[5] == b'-'
                && digits(&last[..5], 5..=5)
                && digits(&last[6..], 4..=4));
        if zip {
            let n = words.len() - 1;
            return (tidy(&words[..n]), Some(last.to_string()));
        }
    }
    (line.trim().to_string(), None)
}

pub(super) fn party(out: &mut String, tag: &str, p: &EParty, country: &str) {
    let lines: Vec<&str> = p
        .address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let _ = write!(out, "<cac:{tag}><cac:Party>");
    if !p.email.trim().is_empty() {
        let _ = write!(
            out,
            "<cbc:EndpointID schemeID=\"EM\">{}</cbc:EndpointID>",
            escape(p.email.trim())
        );
    }
    let _ = write!(
        out,
        "<cac:PartyName><cbc:Name>{}</cbc:Name></cac:PartyName><cac:PostalAddress>",
        escape(&p.name)
    );
    if let Some(street) = lines.first() {
        let _ = write!(out, "<cbc:StreetName>{}</cbc:StreetName>", escape(street));
    }
    // The town is the last line holding a post code (a country name may follow it), or
    // else the last line.
    let town_at = (1..lines.len())
        .rev()
        .find(|&i| town_and_postcode(lines[i]).1.is_some())
        .unwrap_or(lines.len().saturating_sub(1));
    if town_at > 1 {
        let _ = write!(
            out,
            "<cbc:AdditionalStreetName>{}</cbc:AdditionalStreetName>",
            escape(&lines[1..town_at].join(", "))
        );
    }
    if town_at >= 1 {
        let (town, postcode) = town_and_postcode(lines[town_at]);
        if !town.is_empty() {
            let _ = write!(out, "<cbc:CityName>{}</cbc:CityName>", escape(&town));
        }
        if let Some(postcode) = postcode {
            let _ = write!(
                out,
                "<cbc:PostalZone>{}</cbc:PostalZone>",
                escape(&postcode)
            );
        }
    }
    let _ = write!(
        out,
        "<cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>"
    );
    if !p.tax_id.trim().is_empty() {
        let _ = write!(
            out,
            "<cac:PartyTaxScheme><cbc:CompanyID>{}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
            escape(p.tax_id.trim())
        );
    }
    let _ = write!(
        out,
        "<cac:PartyLegalEntity><cbc:RegistrationName>{}</cbc:RegistrationName>",
        escape(&p.name)
    );
    if !p.registration_number.trim().is_empty() {
        let _ = write!(
            out,
            "<cbc:CompanyID>{}</cbc:CompanyID>",
            escape(p.registration_number.trim())
        );
    }
    out.push_str("</cac:PartyLegalEntity>");
    if !p.email.trim().is_empty() {
        let _ = write!(
            out,
            "<cac:Contact><cbc:ElectronicMail>{}</cbc:ElectronicMail></cac:Contact>",
            escape(p.email.trim())
        );
    }
    let _ = write!(out, "</cac:Party></cac:{tag}>");
}

/// The invoice as UBL 2.1 XML, with its totals, priced tax-exclusive with no document
/// discount.
pub fn invoice_xml(doc: &EInvoice) -> Result<(String, InvoiceTotals), EInvoiceError> {
    let pricing = Pricing {
        rounding: doc.rounding,
        ..Pricing::default()
    };
    priced_invoice_xml(doc, pricing)
}

/// The invoice as UBL 2.1 XML under its pricing (tax-inclusive prices, document discount as
/// allowances per VAT category), with its totals.
pub fn priced_invoice_xml(
    doc: &EInvoice,
    pricing: Pricing,
) -> Result<(String, InvoiceTotals), EInvoiceError> {
    if doc.lines.is_empty() {
        return Err(EInvoiceError::NoLines);
    }
    let seller_country =
        country(&doc.seller.tax_id, &doc.iban).ok_or(EInvoiceError::NoCountry("business"))?;
    // A buyer without a VAT number is taken to be in the business's country.
    let buyer_country = country(&doc.buyer.tax_id, "").unwrap_or_else(|| seller_country.clone());
    let totals = document_totals(&doc.lines, doc.currency, pricing)?;
    let breakdowns = breakdowns(&doc.lines, &totals);
    let c = doc.currency.code();
    let money = |m: Money| format!("currencyID=\"{c}\">{}", amount(m));
    let mut x = String::with_capacity(4096 + doc.lines.len() * 700);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">");
    let _ = write!(
        x,
        "<cbc:CustomizationID>{CUSTOMIZATION}</cbc:CustomizationID><cbc:ProfileID>{PROFILE}</cbc:ProfileID>\
         <cbc:ID>{}</cbc:ID><cbc:IssueDate>{}</cbc:IssueDate><cbc:DueDate>{}</cbc:DueDate>\
         <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        escape(&doc.number),
        doc.issue_date,
        doc.due_date
    );
    if !doc.note.trim().is_empty() {
        let _ = write!(x, "<cbc:Note>{}</cbc:Note>", escape(doc.note.trim()));
    }
    // Peppol asks for a buyer reference or an order reference; without either, the number.
    let _ = write!(
        x,
        "<cbc:DocumentCurrencyCode>{c}</cbc:DocumentCurrencyCode><cbc:BuyerReference>{}</cbc:BuyerReference>",
        escape(&doc.number)
    );
    party(
        &mut x,
        "AccountingSupplierParty",
        &doc.seller,
        &seller_country,
    );
    party(
        &mut x,
        "AccountingCustomerParty",
        &doc.buyer,
        &buyer_country,
    );
    if !doc.iban.is_empty() {
        let _ = write!(
            x,
            "<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>{}</cbc:PaymentID>\
             <cac:PayeeFinancialAccount><cbc:ID>{}</cbc:ID>",
            escape(&doc.number),
            escape(&doc.iban)
        );
        if !doc.bic.is_empty() {
            let _ = write!(
                x,
                "<cac:FinancialInstitutionBranch><cbc:ID>{}</cbc:ID></cac:FinancialInstitutionBranch>",
                escape(&doc.bic)
            );
        }
        x.push_str("</cac:PayeeFinancialAccount></cac:PaymentMeans>");
    }
    let _ = write!(
        x,
        "<cac:PaymentTerms><cbc:Note>Payable by {}</cbc:Note></cac:PaymentTerms>",
        doc.due_date
    );
    for b in breakdowns.iter().filter(|b| !b.tax.allowance.is_zero()) {
        let _ = write!(
            x,
            "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>\
             <cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason><cbc:Amount {}</cbc:Amount>\
             {}</cac:AllowanceCharge>",
            money(b.tax.allowance),
            tax_category(b)
        );
    }
    let _ = write!(
        x,
        "<cac:TaxTotal><cbc:TaxAmount {}</cbc:TaxAmount>",
        money(totals.tax)
    );
    for b in &breakdowns {
        let _ = write!(
            x,
            "<cac:TaxSubtotal><cbc:TaxableAmount {}</cbc:TaxableAmount><cbc:TaxAmount {}</cbc:TaxAmount>\
             {}</cac:TaxSubtotal>",
            money(b.tax.base),
            money(b.tax.tax),
            tax_category(b)
        );
    }
    x.push_str("</cac:TaxTotal>");
    let line_total = Money::sum(doc.currency, totals.line_amounts.iter().copied());
    let _ = write!(
        x,
        "<cac:LegalMonetaryTotal><cbc:LineExtensionAmount {}</cbc:LineExtensionAmount>\
         <cbc:TaxExclusiveAmount {}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount {}</cbc:TaxInclusiveAmount>",
        money(line_total),
        money(totals.net),
        money(totals.gross)
    );
    if !totals.discount.is_zero() {
        let _ = write!(
            x,
            "<cbc:AllowanceTotalAmount {}</cbc:AllowanceTotalAmount>",
            money(totals.discount)
        );
    }
    if !doc.paid.is_zero() {
        let _ = write!(
            x,
            "<cbc:PrepaidAmount {}</cbc:PrepaidAmount>",
            money(doc.paid)
        );
    }
    let _ = write!(
        x,
        "<cbc:PayableAmount {}</cbc:PayableAmount></cac:LegalMonetaryTotal>",
        money(totals.gross - doc.paid)
    );
    for (i, (line, net)) in doc.lines.iter().zip(&totals.line_amounts).enumerate() {
        let undiscounted = Money::new(line.quantity * line.unit_price, doc.currency);
        let _ = write!(
            x,
            "<cac:InvoiceLine><cbc:ID>{}</cbc:ID><cbc:InvoicedQuantity unitCode=\"{}\">{}</cbc:InvoicedQuantity>\
             <cbc:LineExtensionAmount {}</cbc:LineExtensionAmount>",
            i + 1,
            super::items::unit_code(&line.unit),
            line.quantity.normalize(),
            money(*net)
        );
        let discount = undiscounted - *net;
        // With tax-inclusive prices the line's discount is already inside its net price.
        let exclusive = pricing.entry == PriceEntry::TaxExclusive;
        if exclusive && !line.discount_percent.is_zero() && !discount.is_zero() {
            let _ = write!(
                x,
                "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>\
                 <cbc:AllowanceChargeReason>Discount {}%</cbc:AllowanceChargeReason><cbc:Amount {}</cbc:Amount></cac:AllowanceCharge>",
                line.discount_percent.normalize(),
                money(discount)
            );
        }
        let _ = write!(
            x,
            "<cac:Item><cbc:Name>{}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>{}</cbc:ID><cbc:Percent>{}</cbc:Percent>\
             <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>\
             <cac:Price><cbc:PriceAmount currencyID=\"{c}\">{}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>",
            escape(line.description.lines().next().unwrap_or_default()),
            line_code(line),
            line.tax_rate.normalize(),
            net_price(line, *net, pricing.entry)
        );
    }
    x.push_str("</Invoice>\n");
    debug_assert!(
        pricing.entry == PriceEntry::TaxInclusive
            || Money::sum(
                doc.currency,
                doc.lines.iter().map(|l| line_net(l, doc.currency))
            ) == line_total
    );
    Ok((x, totals))
}

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.tag_name().name() == name)
}

fn path<'a, 'i>(node: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    names.iter().try_fold(node, |n, name| child(n, name))
}

fn text<'a>(node: Option<Node<'a, '_>>) -> &'a str {
    node.and_then(|n| n.text()).unwrap_or("")
}

/// A number in the document; amounts (not prices or quantities) have at most two decimals.
fn number(broken: &mut Vec<String>, node: Option<Node<'_, '_>>, what: &str) -> Decimal {
    let t = text(node);
    match t.parse::<Decimal>() {
        Ok(d) => {
            if d.scale() > 2 && !matches!(what, "price" | "quantity" | "rate") {
                broken.push(format!("BR-DEC: {what} {t} has more than two decimals"));
            }
            d
        }
        Err(_) => {
            broken.push(format!("{what}: {t:?} is not a number"));
            Decimal::ZERO
        }
    }
}

/// The EN 16931 rules a UBL invoice's or credit note's figures must keep, checked on the XML
/// itself: what is broken, each as "rule: what". Covers BR-01..BR-16 presence checks for the
/// parts Settle writes, BR-CO-10, -13, -14, -15 and -16, BR-S-08/09 and BR-Z-08/09 per
/// category, the line rule (quantity × price − line allowances = line amount), and at most
/// two decimals in amounts (BR-DEC).
///
/// Stricter than the CEN artefacts on tax per category (BR-S-09 and its kin): an invoice's
/// must be exactly its rate applied to its base, a credit note's within one cent. Invoices
/// rounded per line (a business setting) keep [`check_official_rules`] instead.
pub fn check_rules(xml: &str) -> Vec<String> {
    check(xml, false)
}

/// The same rules with the CEN validation artefacts' tolerance on tax per category: less
/// than one unit of currency from its rate applied to its base. An invoice whose tax is
/// rounded per line carries the sum of its lines' rounded tax, which can differ from the
/// rate applied to the category's base by a few cents; Peppol accepts that.
pub fn check_official_rules(xml: &str) -> Vec<String> {
    check(xml, true)
}

fn check(xml: &str, official: bool) -> Vec<String> {
    let mut broken = Vec::new();
    let doc = match roxmltree::Document::parse(xml) {
        Ok(d) => d,
        Err(e) => return vec![format!("XML: {e}")],
    };
    let root = doc.root_element();
    let credit_note = root.tag_name().name() == "CreditNote";
    let (type_code, line_name, quantity_name) = if credit_note {
        ("CreditNoteTypeCode", "CreditNoteLine", "CreditedQuantity")
    } else {
        ("InvoiceTypeCode", "InvoiceLine", "InvoicedQuantity")
    };
    // A credit note's tax per rate is derived from its gross share (so net + tax is exactly
    // the amount credited) and may differ by one minor unit from the rate applied to its net.
    // The CEN validation artefacts accept BR-S-09 within one unit of currency; Settle stays
    // exact on invoices and allows credit notes one cent.
    let tax_tolerance = if official {
        // Less than one unit: 0.99 of a two-decimal currency.
        Decimal::ONE - Decimal::new(1, 2)
    } else if credit_note {
        Decimal::new(1, 2)
    } else {
        Decimal::ZERO
    };
    for (rule, names) in [
        ("BR-01", &["CustomizationID"][..]),
        ("BR-02", &["ID"]),
        ("BR-03", &["IssueDate"]),
        ("BR-04", &[type_code]),
        ("BR-05", &["DocumentCurrencyCode"]),
        (
            "BR-06",
            &[
                "AccountingSupplierParty",
                "Party",
                "PartyLegalEntity",
                "RegistrationName",
            ],
        ),
        (
            "BR-07",
            &[
                "AccountingCustomerParty",
                "Party",
                "PartyLegalEntity",
                "RegistrationName",
            ],
        ),
        (
            "BR-09",
            &[
                "AccountingSupplierParty",
                "Party",
                "PostalAddress",
                "Country",
                "IdentificationCode",
            ],
        ),
        (
            "BR-11",
            &[
                "AccountingCustomerParty",
                "Party",
                "PostalAddress",
                "Country",
                "IdentificationCode",
            ],
        ),
    ] {
        if text(path(root, names)).trim().is_empty() {
            broken.push(format!("{rule}: {} is missing", names.join("/")));
        }
    }
    let lines: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == line_name)
        .collect();
    if lines.is_empty() {
        broken.push("BR-16: there is no invoice line".into());
    }
    let totals = child(root, "LegalMonetaryTotal");
    let mut total = |name: &str| match totals.and_then(|t| child(t, name)) {
        Some(n) => number(&mut broken, Some(n), name),
        None => Decimal::ZERO,
    };
    let line_extension = total("LineExtensionAmount");
    let tax_exclusive = total("TaxExclusiveAmount");
    let tax_inclusive = total("TaxInclusiveAmount");
    let allowances = total("AllowanceTotalAmount");
    let charges = total("ChargeTotalAmount");
    let prepaid = total("PrepaidAmount");
    let rounding = total("PayableRoundingAmount");
    let payable = total("PayableAmount");
    let round = |d: Decimal| {
        d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    // Per line, and the line amounts per tax category.
    let mut per_category: Vec<((String, Decimal), Decimal)> = Vec::new();
    let mut line_sum = Decimal::ZERO;
    for line in &lines {
        let id = text(child(*line, "ID")).to_string();
        let net = number(
            &mut broken,
            child(*line, "LineExtensionAmount"),
            "line amount",
        );
        let quantity = number(&mut broken, child(*line, quantity_name), "quantity");
        let price = number(&mut broken, path(*line, &["Price", "PriceAmount"]), "price");
        let line_allowances: Decimal = line
            .children()
            .filter(|c| c.tag_name().name() == "AllowanceCharge")
            .map(|a| number(&mut broken, child(a, "Amount"), "line allowance"))
            .sum();
        if round(quantity * price - line_allowances) != net {
            broken.push(format!(
                "line {id}: {quantity} × {price} − {line_allowances} is not {net}"
            ));
        }
        let category = text(path(*line, &["Item", "ClassifiedTaxCategory", "ID"])).to_string();
        if category.is_empty() {
            broken.push(format!("BR-CO-04: line {id} has no tax category"));
        }
        let rate = number(
            &mut broken,
            path(*line, &["Item", "ClassifiedTaxCategory", "Percent"]),
            "rate",
        );
        line_sum += net;
        let key = (category, rate.normalize());
        match per_category.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sum)) => *sum += net,
            None => per_category.push((key, net)),
        }
    }
    if line_sum != line_extension {
        broken.push(format!(
            "BR-CO-10: the lines add up to {line_sum}, not {line_extension}"
        ));
    }
    if tax_exclusive != line_extension - allowances + charges {
        broken.push(format!(
            "BR-CO-13: {tax_exclusive} is not {line_extension} − {allowances} + {charges}"
        ));
    }
    // Document-level allowances per category.
    for a in root
        .children()
        .filter(|c| c.tag_name().name() == "AllowanceCharge")
    {
        let is_charge = text(child(a, "ChargeIndicator")) == "true";
        let value = number(&mut broken, child(a, "Amount"), "allowance");
        let key = (
            text(path(a, &["TaxCategory", "ID"])).to_string(),
            number(&mut broken, path(a, &["TaxCategory", "Percent"]), "rate").normalize(),
        );
        let signed = if is_charge { value } else { -value };
        match per_category.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sum)) => *sum += signed,
            None => per_category.push((key, signed)),
        }
    }
    let tax_total_node = child(root, "TaxTotal");
    let tax_total = number(
        &mut broken,
        tax_total_node.and_then(|t| child(t, "TaxAmount")),
        "tax total",
    );
    let mut subtotal_sum = Decimal::ZERO;
    let subtotals: Vec<_> = tax_total_node
        .map(|t| {
            t.children()
                .filter(|c| c.tag_name().name() == "TaxSubtotal")
                .collect()
        })
        .unwrap_or_default();
    for s in &subtotals {
        let base = number(&mut broken, child(*s, "TaxableAmount"), "taxable amount");
        let tax = number(&mut broken, child(*s, "TaxAmount"), "tax amount");
        let category = text(path(*s, &["TaxCategory", "ID"])).to_string();
        let rate = number(&mut broken, path(*s, &["TaxCategory", "Percent"]), "rate").normalize();
        subtotal_sum += tax;
        let rule = match category.as_str() {
            "Z" => "BR-Z",
            "E" => "BR-E",
            _ => "BR-S",
        };
        if category == "E"
            && text(path(*s, &["TaxCategory", "TaxExemptionReason"]))
                .trim()
                .is_empty()
        {
            broken.push("BR-E-10: an exempt breakdown gives no exemption reason".into());
        }
        let expected_base = per_category
            .iter()
            .find(|(k, _)| k.0 == category && k.1 == rate)
            .map(|(_, v)| *v)
            .unwrap_or_default();
        if base != expected_base {
            broken.push(format!(
                "{rule}-08: category {category} {rate}% taxes {base}, its lines and allowances make {expected_base}"
            ));
        }
        let expected_tax = round(base * rate / Decimal::ONE_HUNDRED);
        if (tax - expected_tax).abs() > tax_tolerance {
            broken.push(format!(
                "{rule}-09: {rate}% of {base} is {expected_tax}, not {tax}"
            ));
        }
    }
    if per_category.len() != subtotals.len() {
        broken.push(format!(
            "BR-CO-18: {} tax categories are used, {} are totalled",
            per_category.len(),
            subtotals.len()
        ));
    }
    if tax_total != subtotal_sum {
        broken.push(format!(
            "BR-CO-14: tax total {tax_total} is not the categories' {subtotal_sum}"
        ));
    }
    if tax_inclusive != tax_exclusive + tax_total {
        broken.push(format!(
            "BR-CO-15: {tax_inclusive} is not {tax_exclusive} + {tax_total}"
        ));
    }
    if payable != tax_inclusive - prepaid + rounding {
        broken.push(format!(
            "BR-CO-16: amount due {payable} is not {tax_inclusive} − {prepaid} + {rounding}"
        ));
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{currency, day, dec, gbp};
    use crate::domain::totals::invoice_totals;
    use crate::domain::{AccountCode, DocumentDiscount, LineTax, TaxCategory};
    use proptest::prelude::*;

    #[test]
    fn a_town_line_splits_into_town_and_post_code_in_common_shapes() {
        let split = |line: &str| town_and_postcode(line);
        let both = |town: &str, code: &str| (town.to_string(), Some(code.to_string()));
        assert_eq!(split("Falmouth TR11 3HH"), both("Falmouth", "TR11 3HH"));
        assert_eq!(split("London, SW1A 1AA"), both("London", "SW1A 1AA"));
        assert_eq!(split("10115 Berlin"), both("Berlin", "10115"));
        assert_eq!(split("1012 AB Amsterdam"), both("Amsterdam", "1012 AB"));
        assert_eq!(split("00-950 Warszawa"), both("Warszawa", "00-950"));
        assert_eq!(split("114 55 Stockholm"), both("Stockholm", "114 55"));
        assert_eq!(split("8001 Zürich"), both("Zürich", "8001"));
        assert_eq!(
            split("Springfield, IL 62704"),
            both("Springfield, IL", "62704")
        );
        assert_eq!(
            split("Boston MA 02134-1234"),
            both("Boston MA", "02134-1234")
        );
        for town_only in ["Dublin 2", "Falmouth", "Unit 4B Harbour Road", "Saint-Malo"] {
            assert_eq!(split(town_only), (town_only.to_string(), None));
        }
    }

    #[test]
    fn the_post_code_has_its_own_element_and_a_country_line_is_not_the_town() {
        let mut out = String::new();
        let p = EParty {
            name: "Harbour Studio Ltd".into(),
            address: "4 Quay Street\nUnit 2\nFalmouth TR11 3HH\nUnited Kingdom".into(),
            email: String::new(),
            tax_id: String::new(),
            registration_number: String::new(),
        };
        party(&mut out, "AccountingSupplierParty", &p, "GB");
        assert!(out.contains("<cbc:StreetName>4 Quay Street</cbc:StreetName><cbc:AdditionalStreetName>Unit 2</cbc:AdditionalStreetName><cbc:CityName>Falmouth</cbc:CityName><cbc:PostalZone>TR11 3HH</cbc:PostalZone><cac:Country>"), "{out}");
    }

    fn line(
        description: &str,
        quantity: &str,
        price: &str,
        discount: &str,
        rate: &str,
    ) -> LineInput {
        LineInput {
            description: description.into(),
            quantity: dec(quantity),
            unit_price: dec(price),
            discount_percent: dec(discount),
            tax_rate: dec(rate),
            revenue_account: AccountCode::new("4000"),
            unit: String::new(),
            tax: Default::default(),
        }
    }

    fn invoice(lines: Vec<LineInput>) -> EInvoice {
        EInvoice {
            number: "INV-2026-0007".into(),
            issue_date: day("2026-03-02"),
            due_date: day("2026-03-16"),
            currency: currency("GBP"),
            rounding: TaxRounding::PerDocument,
            note: "Thank you & see you soon <3".into(),
            seller: EParty {
                name: "Harbour Studio Ltd".into(),
                address: "1 Quay Street\nBristol BS1 4XE".into(),
                email: "billing@harbour.example".into(),
                tax_id: "GB123456789".into(),
                registration_number: "12345678".into(),
            },
            buyer: EParty {
                name: "Café Zürich".into(),
                address: "Bahnhofstrasse 1\n8001 Zürich".into(),
                email: "kasse@cafe.example".into(),
                tax_id: "CHE-123.456.789".into(),
                registration_number: String::new(),
            },
            lines,
            paid: gbp("30.00"),
            iban: "GB29NWBK60161331926819".into(),
            bic: "NWBKGB2L".into(),
        }
    }

    #[test]
    fn seven_at_14_285_is_one_line_of_100_with_20_tax_and_keeps_every_rule() {
        let (xml, totals) =
            invoice_xml(&invoice(vec![line("Hours", "7", "14.285", "0", "20")])).unwrap();

        assert_eq!(totals.gross, gbp("120.00"));
        assert!(xml.contains(
            "<cbc:LineExtensionAmount currencyID=\"GBP\">100.00</cbc:LineExtensionAmount>"
        ));
        assert!(xml.contains("<cbc:TaxAmount currencyID=\"GBP\">20.00</cbc:TaxAmount>"));
        assert!(xml.contains("<cbc:PayableAmount currencyID=\"GBP\">90.00</cbc:PayableAmount>"));
        assert!(xml.contains("Thank you &amp; see you soon &lt;3"));
        assert_eq!(escape("Caf\u{e9}\u{ffff}\u{fffe}\u{1}"), "Caf\u{e9}");
        assert!(xml.contains("<cbc:IdentificationCode>GB</cbc:IdentificationCode>"));
        assert!(xml.contains("<cbc:IdentificationCode>CH</cbc:IdentificationCode>"));
        assert_eq!(check_rules(&xml), Vec::<String>::new());
    }

    #[test]
    fn the_checker_finds_a_tax_amount_a_cent_out() {
        let (xml, _) =
            invoice_xml(&invoice(vec![line("Hours", "7", "14.285", "0", "20")])).unwrap();
        let tampered = xml.replace(
            "<cbc:TaxableAmount currencyID=\"GBP\">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"GBP\">20.00</cbc:TaxAmount>",
            "<cbc:TaxableAmount currencyID=\"GBP\">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"GBP\">20.01</cbc:TaxAmount>",
        );

        let problems = check_rules(&tampered);

        assert!(
            problems.iter().any(|p| p.starts_with("BR-S-09")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("BR-CO-14")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_business_whose_country_cannot_be_told_is_refused() {
        let mut doc = invoice(vec![line("Hours", "1", "10", "0", "20")]);
        doc.seller.tax_id = "123".into();
        doc.iban = String::new();

        assert_eq!(invoice_xml(&doc), Err(EInvoiceError::NoCountry("business")));
    }

    #[test]
    fn an_inclusive_discounted_invoice_with_an_exempt_line_keeps_every_rule() {
        let mut exempt = line("Course", "1", "50.00", "0", "0");
        exempt.tax = LineTax {
            category: Some(TaxCategory::Exempt),
            name: "Exempt".into(),
            exemption_reason: "Education (Art. 132 VAT Directive)".into(),
        };
        let mut hours = line("Hours", "3", "40.00", "0", "20");
        hours.unit = "hour".into();
        let lines = vec![hours, line("Postage", "1", "4.00", "0", "0"), exempt];
        let pricing = Pricing {
            entry: PriceEntry::TaxInclusive,
            discount: DocumentDiscount::Percent(dec("10")),
            rounding: TaxRounding::PerDocument,
        };

        let (xml, totals) = priced_invoice_xml(&invoice(lines), pricing).unwrap();

        assert_eq!(totals.gross, gbp("156.60"));
        assert_eq!(totals.net + totals.tax, totals.gross);
        assert!(xml.contains("unitCode=\"HUR\""));
        assert!(xml.contains("<cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cbc:TaxExemptionReason>Education (Art. 132 VAT Directive)</cbc:TaxExemptionReason>"));
        assert!(xml.contains("<cbc:ID>Z</cbc:ID>"));
        assert!(xml.contains("<cbc:AllowanceTotalAmount"));
        assert_eq!(check_rules(&xml), Vec::<String>::new());
    }

    fn any_line() -> impl Strategy<Value = LineInput> {
        (
            1i64..5000,
            0i64..2_000_000,
            prop_oneof![Just(0i64), 1i64..10000],
            prop_oneof![Just(0i64), Just(500), Just(2000), Just(700), 0i64..2500],
        )
            .prop_map(|(q, p, d, r)| LineInput {
                description: "Work".into(),
                quantity: Decimal::new(q, 2),
                unit_price: Decimal::new(p, 4),
                discount_percent: Decimal::new(d, 2),
                tax_rate: Decimal::new(r, 2),
                revenue_account: AccountCode::new("4000"),
                unit: String::new(),
                tax: Default::default(),
            })
    }

    proptest! {
        /// Whatever the lines, the e-invoice keeps the EN 16931 calculation rules and shows
        /// the very totals the screen and the books use.
        #[test]
        fn every_generated_invoice_keeps_the_calculation_rules(lines in proptest::collection::vec(any_line(), 1..12)) {
            let mut doc = invoice(lines);
            doc.paid = Money::zero(doc.currency);
            let (xml, totals) = invoice_xml(&doc).unwrap();
            prop_assert_eq!(check_rules(&xml), Vec::<String>::new());
            let again = invoice_totals(&doc.lines, doc.currency, doc.rounding);
            prop_assert_eq!(totals.gross, again.gross);
            let payable = format!("<cbc:PayableAmount currencyID=\"GBP\">{}</cbc:PayableAmount>", amount(again.gross));
            prop_assert!(xml.contains(&payable));
        }

        /// Rounded per line, the tax per category is the sum of the lines' rounded tax (what
        /// the books hold): it keeps the CEN artefacts' rules, every other figure exactly.
        #[test]
        fn invoices_rounded_per_line_keep_the_official_rules(lines in proptest::collection::vec(any_line(), 1..40)) {
            let mut doc = invoice(lines);
            doc.rounding = TaxRounding::PerLine;
            doc.paid = Money::zero(doc.currency);
            let (xml, totals) = invoice_xml(&doc).unwrap();
            prop_assert_eq!(check_official_rules(&xml), Vec::<String>::new());
            let strict = check_rules(&xml);
            prop_assert!(strict.iter().all(|p| p.starts_with("BR-S-09") || p.starts_with("BR-Z-09")), "{:?}", strict);
            let again = invoice_totals(&doc.lines, doc.currency, TaxRounding::PerLine);
            prop_assert_eq!(totals.gross, again.gross);
        }
    }

    #[test]
    fn per_line_rounding_misses_the_exact_rate_by_cents_which_the_official_rules_accept() {
        // Three lines of 0.05 at 10%: each line's tax 0.005 rounds to 0.01, so 0.03 in all,
        // where 10% of the 0.15 base is 0.02.
        let lines = vec![
            LineInput {
                description: "Stamp".into(),
                quantity: dec("1"),
                unit_price: dec("0.05"),
                discount_percent: dec("0"),
                tax_rate: dec("10"),
                revenue_account: AccountCode::new("4000"),
                unit: String::new(),
                tax: Default::default(),
            };
            3
        ];
        let mut doc = invoice(lines);
        doc.rounding = TaxRounding::PerLine;
        doc.paid = Money::zero(doc.currency);
        let (xml, totals) = invoice_xml(&doc).unwrap();
        assert_eq!(totals.tax, gbp("0.03"));
        assert_eq!(check_official_rules(&xml), Vec::<String>::new());
        let strict = check_rules(&xml);
        assert_eq!(strict.len(), 1, "{strict:?}");
        assert!(strict[0].starts_with("BR-S-09"), "{strict:?}");
    }
}
