//! E-credit notes: an issued credit note as a UBL 2.1 `CreditNote` following Peppol BIS
//! Billing 3.0 / EN 16931, pointing at the invoice it credits. Its figures are the credit
//! note's as booked (net per rate and revenue account, tax per rate), so the document cannot
//! disagree with the books; [`check_rules`](super::einvoice::check_rules) verifies it.

use super::credit::Composition;
use super::einvoice::{
    amount, category, country, escape, party, EInvoiceError, EParty, CUSTOMIZATION, PROFILE,
};
use super::money::Money;
use chrono::NaiveDate;
use std::fmt::Write;

/// What an e-credit note is made from.
#[derive(Clone, Debug, PartialEq)]
pub struct ECreditNote {
    pub number: String,
    pub issue_date: NaiveDate,
    pub reason: String,
    /// The credited invoice's number and issue date (the UBL billing reference).
    pub invoice_number: String,
    pub invoice_issue_date: NaiveDate,
    pub seller: EParty,
    pub buyer: EParty,
    /// What the credit note takes back, per rate and revenue account.
    pub credit: Composition,
    /// Used only to tell the business's country when its VAT number does not.
    pub iban: String,
}

/// One credit note line: a revenue account's share at one tax rate.
struct CreditLine {
    account: String,
    rate: rust_decimal::Decimal,
    net: Money,
}

/// The lines of a credit: one per rate and account with something credited; a rate whose
/// tax alone is credited still gets one line (of zero) so that its tax category is used.
fn credit_lines(credit: &Composition) -> Vec<CreditLine> {
    let mut lines = Vec::new();
    for part in credit.rates.iter().filter(|r| !r.gross().is_zero()) {
        let before = lines.len();
        for (account, net) in part.nets.iter().filter(|(_, n)| !n.is_zero()) {
            lines.push(CreditLine {
                account: account.0.clone(),
                rate: part.rate,
                net: *net,
            });
        }
        if lines.len() == before {
            lines.push(CreditLine {
                account: part
                    .nets
                    .first()
                    .map(|(a, _)| a.0.clone())
                    .unwrap_or_default(),
                rate: part.rate,
                net: Money::zero(credit.currency),
            });
        }
    }
    lines
}

/// The credit note as UBL 2.1 XML, with its gross total.
pub fn credit_note_xml(doc: &ECreditNote) -> Result<(String, Money), EInvoiceError> {
    let lines = credit_lines(&doc.credit);
    if lines.is_empty() {
        return Err(EInvoiceError::NoLines);
    }
    let seller_country =
        country(&doc.seller.tax_id, &doc.iban).ok_or(EInvoiceError::NoCountry("business"))?;
    let buyer_country = country(&doc.buyer.tax_id, "").unwrap_or_else(|| seller_country.clone());
    let currency = doc.credit.currency;
    let c = currency.code();
    let money = |m: Money| format!("currencyID=\"{c}\">{}", amount(m));
    let mut x = String::with_capacity(4096 + lines.len() * 600);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">");
    // 381 is the UNTDID 1001 code of a credit note.
    let _ = write!(
        x,
        "<cbc:CustomizationID>{CUSTOMIZATION}</cbc:CustomizationID><cbc:ProfileID>{PROFILE}</cbc:ProfileID>\
         <cbc:ID>{}</cbc:ID><cbc:IssueDate>{}</cbc:IssueDate><cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        escape(&doc.number),
        doc.issue_date
    );
    if !doc.reason.trim().is_empty() {
        let _ = write!(x, "<cbc:Note>{}</cbc:Note>", escape(doc.reason.trim()));
    }
    let _ = write!(
        x,
        "<cbc:DocumentCurrencyCode>{c}</cbc:DocumentCurrencyCode><cbc:BuyerReference>{}</cbc:BuyerReference>\
         <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{}</cbc:ID><cbc:IssueDate>{}</cbc:IssueDate>\
         </cac:InvoiceDocumentReference></cac:BillingReference>",
        escape(&doc.invoice_number),
        escape(&doc.invoice_number),
        doc.invoice_issue_date
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
    let credited = doc.credit.rates.iter().filter(|r| !r.gross().is_zero());
    let _ = write!(
        x,
        "<cac:TaxTotal><cbc:TaxAmount {}</cbc:TaxAmount>",
        money(doc.credit.tax())
    );
    for part in credited {
        let _ = write!(
            x,
            "<cac:TaxSubtotal><cbc:TaxableAmount {}</cbc:TaxableAmount><cbc:TaxAmount {}</cbc:TaxAmount>\
             <cac:TaxCategory><cbc:ID>{}</cbc:ID><cbc:Percent>{}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>",
            money(part.net()),
            money(part.tax),
            category(part.rate),
            part.rate.normalize()
        );
    }
    x.push_str("</cac:TaxTotal>");
    let net = doc.credit.net();
    let gross = doc.credit.gross();
    let _ = write!(
        x,
        "<cac:LegalMonetaryTotal><cbc:LineExtensionAmount {}</cbc:LineExtensionAmount>\
         <cbc:TaxExclusiveAmount {}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount {}</cbc:TaxInclusiveAmount>\
         <cbc:PayableAmount {}</cbc:PayableAmount></cac:LegalMonetaryTotal>",
        money(net),
        money(net),
        money(gross),
        money(gross)
    );
    for (i, line) in lines.iter().enumerate() {
        let name = format!(
            "Credit on invoice {} (revenue account {})",
            doc.invoice_number, line.account
        );
        let _ = write!(
            x,
            "<cac:CreditNoteLine><cbc:ID>{}</cbc:ID><cbc:CreditedQuantity unitCode=\"C62\">1</cbc:CreditedQuantity>\
             <cbc:LineExtensionAmount {}</cbc:LineExtensionAmount>\
             <cac:Item><cbc:Name>{}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>{}</cbc:ID><cbc:Percent>{}</cbc:Percent>\
             <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>\
             <cac:Price><cbc:PriceAmount currencyID=\"{c}\">{}</cbc:PriceAmount></cac:Price></cac:CreditNoteLine>",
            i + 1,
            money(line.net),
            escape(&name),
            category(line.rate),
            line.rate.normalize(),
            amount(line.net)
        );
    }
    x.push_str("</CreditNote>\n");
    Ok((x, gross))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credit::split_credit;
    use crate::domain::einvoice::check_rules;
    use crate::domain::fixtures::{any_line, currency, day, line};
    use crate::domain::totals::{invoice_totals, TaxRounding};
    use proptest::prelude::*;

    fn seller() -> EParty {
        EParty {
            name: "Harbour Studio Ltd".into(),
            address: "1 Quay Street\nBristol BS1 4XE".into(),
            email: "billing@harbour.example".into(),
            tax_id: "GB123456789".into(),
            registration_number: "12345678".into(),
        }
    }

    fn note(credit: Composition) -> ECreditNote {
        ECreditNote {
            number: "CN-2026-0001".into(),
            issue_date: day("2026-03-20"),
            reason: "Agreed discount <late delivery>".into(),
            invoice_number: "INV-2026-0007".into(),
            invoice_issue_date: day("2026-03-02"),
            seller: seller(),
            buyer: EParty {
                name: "Harbor Cafe".into(),
                ..EParty::default()
            },
            credit,
            iban: String::new(),
        }
    }

    fn harbor_cafe() -> Composition {
        let lines = vec![
            line("Service hours", "12", "45.50", "0", "20"),
            line("Descaling kit", "3", "19.99", "10", "20"),
            line("Call-out fee", "1", "120.00", "0", "0"),
        ];
        let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);
        Composition::of_invoice(&lines, &totals)
    }

    #[test]
    fn fifty_off_harbor_cafe_is_a_credit_note_for_that_invoice_that_keeps_every_rule() {
        let credit = split_credit(&harbor_cafe(), Money::new(50.into(), currency("GBP")));

        let (xml, gross) = credit_note_xml(&note(credit)).unwrap();

        assert_eq!(gross.to_minor(), 5000);
        assert_eq!(check_rules(&xml), Vec::<String>::new());
        assert!(xml.contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"));
        assert!(xml.contains("<cac:InvoiceDocumentReference><cbc:ID>INV-2026-0007</cbc:ID><cbc:IssueDate>2026-03-02</cbc:IssueDate>"));
        assert!(xml.contains("<cbc:PayableAmount currencyID=\"GBP\">50.00</cbc:PayableAmount>"));
        assert!(xml.contains("Agreed discount &lt;late delivery&gt;"));
        assert!(xml.contains("<cbc:ID>Z</cbc:ID><cbc:Percent>0</cbc:Percent>"));
    }

    #[test]
    fn the_checker_reads_credit_note_lines_and_finds_one_that_does_not_add_up() {
        let credit = split_credit(&harbor_cafe(), Money::new(50.into(), currency("GBP")));
        let (xml, _) = credit_note_xml(&note(credit)).unwrap();

        let tampered = xml.replacen(
            "<cbc:CreditedQuantity unitCode=\"C62\">1</cbc:CreditedQuantity>",
            "<cbc:CreditedQuantity unitCode=\"C62\">2</cbc:CreditedQuantity>",
            1,
        );

        let problems = check_rules(&tampered);
        assert!(
            problems.iter().any(|p| p.starts_with("line 1")),
            "{problems:?}"
        );
    }

    #[test]
    fn nothing_credited_is_refused() {
        let empty = harbor_cafe().minus(&harbor_cafe());

        assert_eq!(credit_note_xml(&note(empty)), Err(EInvoiceError::NoLines));
    }

    proptest! {
        /// Whatever the invoice and however much of it is credited, in one or two credit
        /// notes, each e-credit note keeps the EN 16931 calculation rules and totals exactly
        /// what was credited.
        #[test]
        fn every_generated_credit_note_keeps_the_calculation_rules(
            lines in proptest::collection::vec(any_line(), 1..8),
            first_share in 1i64..=1000,
        ) {
            // Per-document rounding, the EN 16931 way; with per-line rounding (a business
            // setting) the tax per rate is a sum of rounded lines and the e-invoice and
            // e-credit note can miss BR-S-09 by a few cents on many-line documents.
            let totals = invoice_totals(&lines, currency("GBP"), TaxRounding::PerDocument);
            let whole = Composition::of_invoice(&lines, &totals);
            let gross = whole.gross().to_minor();
            prop_assume!(gross > 1);
            let first = (gross * first_share / 1000).clamp(1, gross - 1);
            let first_credit = split_credit(&whole, Money::from_minor(first, whole.currency));
            let rest = whole.minus(&first_credit);
            let second_credit = split_credit(&rest, rest.gross());
            for credit in [first_credit, second_credit] {
                let expected = credit.gross();
                let (xml, gross) = credit_note_xml(&note(credit)).unwrap();
                prop_assert_eq!(check_rules(&xml), Vec::<String>::new());
                prop_assert_eq!(gross, expected);
                let payable = format!("<cbc:PayableAmount currencyID=\"GBP\">{}</cbc:PayableAmount>", amount(expected));
                prop_assert!(xml.contains(&payable));
            }
        }
    }
}
