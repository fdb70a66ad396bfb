//! How an invoice's pricing (tax-inclusive prices, document discount, tax rounding) is kept in
//! its row, and the one place its figures are computed from what is stored, so the screen,
//! the PDF, the e-invoice, the ledger and credit notes all read the same numbers.

use super::{from_scaled, to_scaled};
use crate::domain::{
    document_totals, Currency, DocumentDiscount, InvoiceId, InvoiceTotals, LineInput, PriceEntry,
    Pricing,
};
use anyhow::anyhow;
use sqlx::SqliteConnection;

/// The invoice columns `price_entry`, `discount_kind`, `discount_e4`.
pub fn to_columns(pricing: &Pricing) -> anyhow::Result<(&'static str, &'static str, i64)> {
    let entry = match pricing.entry {
        PriceEntry::TaxExclusive => "exclusive",
        PriceEntry::TaxInclusive => "inclusive",
    };
    let scaled = |d| to_scaled(d, 4).ok_or_else(|| anyhow!("the discount has too many decimals"));
    Ok(match pricing.discount {
        DocumentDiscount::None => (entry, "none", 0),
        DocumentDiscount::Percent(p) => (entry, "percent", scaled(p)?),
        DocumentDiscount::Amount(a) => (entry, "amount", scaled(a)?),
    })
}

pub fn from_columns(rounding: &str, entry: &str, kind: &str, e4: i64) -> Pricing {
    let value = from_scaled(e4, 4);
    Pricing {
        entry: if entry == "inclusive" {
            PriceEntry::TaxInclusive
        } else {
            PriceEntry::TaxExclusive
        },
        discount: match kind {
            "percent" => DocumentDiscount::Percent(value),
            "amount" => DocumentDiscount::Amount(value),
            _ => DocumentDiscount::None,
        },
        rounding: super::business::rounding_from_text(rounding),
    }
}

/// An invoice's stored pricing.
pub async fn invoice_pricing(
    conn: &mut SqliteConnection,
    id: InvoiceId,
) -> anyhow::Result<Pricing> {
    let (rounding, entry, kind, e4): (String, String, String, i64) = sqlx::query_as(
        "SELECT tax_rounding, price_entry, discount_kind, discount_e4 FROM invoices WHERE id = ?",
    )
    .bind(id.0)
    .fetch_one(conn)
    .await?;
    Ok(from_columns(&rounding, &entry, &kind, e4))
}

/// An invoice's lines, pricing and totals, as stored.
pub async fn invoice_figures(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    currency: Currency,
) -> anyhow::Result<(Vec<LineInput>, Pricing, InvoiceTotals)> {
    let pricing = invoice_pricing(conn, id).await?;
    let lines = super::invoices::load_lines(conn, id).await?;
    // Every stored invoice was priced when it was saved; a refusal now means the row was
    // changed behind the app's back.
    let totals = document_totals(&lines, currency, pricing)
        .map_err(|e| anyhow!("invoice {} can no longer be priced: {e}", id.0))?;
    Ok((lines, pricing, totals))
}
