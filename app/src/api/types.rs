//! What travels between the browser and the server. Amounts are `Money` (decimal strings);
//! forms carry the text people typed, parsed on the server into domain types.

use crate::domain::aging::AgingReport;
use crate::domain::cash_flow::MonthFlow;
use crate::domain::{
    AccountKind, Basis, Currency, CustomerId, InvoiceId, InvoiceStatus, InvoiceTotals, Money,
    PaymentId, Period,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The signed-in person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub email: String,
    pub role: String,
    pub business_name: String,
}

/// What the sign-in page needs to know before anyone is signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    pub user: Option<UserInfo>,
    /// True on a fresh installation: the first person to sign up becomes the owner.
    pub needs_owner: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerForm {
    pub name: String,
    pub email: String,
    pub billing_address: String,
    pub tax_id: String,
    /// The reference the customer quotes when paying; helps match their bank transfers.
    #[serde(default)]
    pub payment_reference: String,
    pub currency: String,
    pub payment_terms_days: String,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub email: String,
    pub billing_address: String,
    pub tax_id: String,
    pub payment_reference: String,
    pub currency: Currency,
    pub payment_terms_days: u32,
    pub notes: String,
    /// Sum of the open balances of the customer's issued invoices.
    pub open_balance: Money,
    /// Money the customer has paid beyond what they owed.
    pub credit: Money,
    /// Archived: kept with their documents, left out of lists and new documents.
    #[serde(default)]
    pub archived: bool,
}

impl Customer {
    pub fn to_form(&self) -> CustomerForm {
        CustomerForm {
            name: self.name.clone(),
            email: self.email.clone(),
            billing_address: self.billing_address.clone(),
            tax_id: self.tax_id.clone(),
            payment_reference: self.payment_reference.clone(),
            currency: self.currency.code().to_string(),
            payment_terms_days: self.payment_terms_days.to_string(),
            notes: self.notes.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineForm {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: String,
    /// A bare percentage, used only when no named rate is chosen (older clients, imports).
    pub tax_rate: String,
    pub revenue_account: String,
    /// The named tax rate chosen, by id; empty to use `tax_rate` as a bare percentage.
    #[serde(default)]
    pub tax_rate_id: String,
    /// The name of the rate the line was billed under, so an editor can find it again.
    #[serde(default)]
    pub tax_name: String,
    #[serde(default)]
    pub unit: String,
}

/// A draft invoice as edited. `id` is `None` for a new draft.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftForm {
    pub id: Option<InvoiceId>,
    pub customer_id: Option<CustomerId>,
    pub issue_date: String,
    pub due_date: String,
    pub currency: String,
    pub notes: String,
    pub lines: Vec<LineForm>,
    /// Whether the unit prices include tax.
    #[serde(default)]
    pub prices_include_tax: bool,
    /// "none", "percent" or "amount".
    #[serde(default)]
    pub discount_kind: String,
    /// The document discount as typed: a percentage or an amount.
    #[serde(default)]
    pub discount: String,
    /// For a new draft: the key the device gave it, so that sending it again (after a lost
    /// answer, or from the offline queue) returns the draft the first request made.
    #[serde(default)]
    pub request_key: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: InvoiceId,
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total: Money,
    pub open: Money,
    pub status: InvoiceStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLineView {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub tax_rate: Decimal,
    pub revenue_account: String,
    /// The line's amount as written, net of tax, before the document discount.
    pub net: Money,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub tax: crate::domain::LineTax,
}

impl InvoiceLineView {
    pub fn of(line: &crate::domain::LineInput, net: Money) -> InvoiceLineView {
        InvoiceLineView {
            description: line.description.clone(),
            quantity: line.quantity,
            unit_price: line.unit_price,
            discount_percent: line.discount_percent,
            tax_rate: line.tax_rate,
            revenue_account: line.revenue_account.0.clone(),
            net,
            unit: line.unit.clone(),
            tax: line.tax.clone(),
        }
    }

    /// "Reduced 5%", "Exempt 0%" or "20%".
    pub fn tax_label(&self) -> String {
        let rate = format!("{}%", self.tax_rate.normalize());
        match self.tax.name.as_str() {
            "" => rate,
            name => format!("{name} {rate}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationView {
    pub payment_id: PaymentId,
    pub received_on: NaiveDate,
    pub method: String,
    pub reference: String,
    /// The part of the payment applied to this invoice.
    pub amount: Money,
    /// The whole payment, which may also have paid other invoices or become customer credit.
    pub payment_total: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub summary: InvoiceSummary,
    pub customer_email: String,
    pub customer_address: String,
    /// As billed: kept on the invoice from the day it was issued.
    #[serde(default)]
    pub customer_tax_id: String,
    pub currency: Currency,
    pub notes: String,
    pub lines: Vec<InvoiceLineView>,
    /// Tax-inclusive prices, document discount, tax rounding.
    #[serde(default)]
    pub pricing: crate::domain::Pricing,
    pub totals: InvoiceTotals,
    pub paid: Money,
    pub payments: Vec<AllocationView>,
    /// The sum of its credit notes, and each of them.
    pub credited: Money,
    pub credit_notes: Vec<super::credit_notes::CreditNoteSummary>,
    /// Its open balance written off as a bad debt, if it was.
    pub write_off: Option<WriteOffView>,
    /// The business's today, for forms that default to it.
    pub today: NaiveDate,
    /// The quote it was made from (id and number), if any.
    #[serde(default)]
    pub quote: Option<(i64, Option<String>)>,
}

/// An invoice's write-off: when, how much, why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WriteOffView {
    pub date: NaiveDate,
    pub amount: Money,
    pub reason: String,
}

impl InvoiceDetail {
    /// The draft form to edit this invoice with.
    pub fn to_form(&self) -> DraftForm {
        let parts = InvoiceDetailParts {
            lines: &self.lines,
            pricing: self.pricing,
        };
        DraftForm {
            id: Some(self.summary.id),
            customer_id: Some(self.summary.customer_id),
            issue_date: self.summary.issue_date.to_string(),
            due_date: self.summary.due_date.to_string(),
            currency: self.currency.code().to_string(),
            notes: self.notes.clone(),
            ..parts.form()
        }
    }
}

/// The lines and pricing of a document, as the editor's form holds them (shared by invoices
/// and quotes).
pub struct InvoiceDetailParts<'a> {
    pub lines: &'a [InvoiceLineView],
    pub pricing: crate::domain::Pricing,
}

impl InvoiceDetailParts<'_> {
    pub fn form(&self) -> DraftForm {
        use crate::domain::DocumentDiscount;
        DraftForm {
            lines: self
                .lines
                .iter()
                .map(|l| LineForm {
                    description: l.description.clone(),
                    quantity: l.quantity.normalize().to_string(),
                    unit_price: l.unit_price.normalize().to_string(),
                    discount_percent: l.discount_percent.normalize().to_string(),
                    tax_rate: l.tax_rate.normalize().to_string(),
                    revenue_account: l.revenue_account.clone(),
                    tax_rate_id: String::new(),
                    tax_name: l.tax.name.clone(),
                    unit: l.unit.clone(),
                })
                .collect(),
            prices_include_tax: self.pricing.entry == crate::domain::PriceEntry::TaxInclusive,
            discount_kind: match self.pricing.discount {
                DocumentDiscount::None => "none",
                DocumentDiscount::Percent(_) => "percent",
                DocumentDiscount::Amount(_) => "amount",
            }
            .to_string(),
            discount: match self.pricing.discount {
                DocumentDiscount::None => String::new(),
                DocumentDiscount::Percent(d) | DocumentDiscount::Amount(d) => {
                    d.normalize().to_string()
                }
            },
            ..DraftForm::default()
        }
    }
}

/// One page of a list, cut on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        (self.total.div_ceil(u64::from(self.per_page.max(1))) as u32).max(1)
    }
}

/// How money arrived. Read also in the HTTP API's spelling ("bank_transfer"), which is
/// how the API writes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMethod {
    #[default]
    #[serde(alias = "bank_transfer")]
    BankTransfer,
    #[serde(alias = "card")]
    Card,
    #[serde(alias = "cash")]
    Cash,
    #[serde(alias = "cheque")]
    Cheque,
    #[serde(alias = "other")]
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Card,
        PaymentMethod::Cash,
        PaymentMethod::Cheque,
        PaymentMethod::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "Bank transfer",
            PaymentMethod::Card => "Card",
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Cheque => "Cheque",
            PaymentMethod::Other => "Other",
        }
    }

    pub fn from_key(key: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// A payment as entered. With no allocations, the amount goes to the customer's open
/// invoices, oldest due first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub customer_id: Option<CustomerId>,
    pub amount: String,
    pub received_on: String,
    pub method: PaymentMethod,
    /// The bank account the money arrived in; none means the first (the chart's "Bank").
    #[serde(default)]
    pub bank_account_id: Option<i64>,
    pub reference: String,
    pub allocations: Vec<(InvoiceId, String)>,
    pub keep_excess_as_credit: bool,
    /// Generated once per form; a repeated submission with the same key records nothing new.
    pub idempotency_key: String,
    /// A processor's fee kept back from the amount ("" for none).
    #[serde(default)]
    pub fee: String,
    /// The expense account the fee posts to; none means "Bank and card fees" (6500).
    #[serde(default)]
    pub fee_account: Option<String>,
}

/// Whether a payment taken back was a mistake (reversal) or money sent back (refund).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReversalKind {
    #[default]
    Reversal,
    Refund,
}

impl ReversalKind {
    pub fn key(self) -> &'static str {
        match self {
            ReversalKind::Reversal => "reversal",
            ReversalKind::Refund => "refund",
        }
    }
}

/// Reversing or refunding a whole payment, dated `date` (empty: the payment's own day).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReversalForm {
    pub payment_id: PaymentId,
    pub kind: ReversalKind,
    pub date: String,
    pub idempotency_key: String,
}

/// Applying customer credit to an invoice, or (with no invoice) refunding it from a bank
/// account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditForm {
    pub customer_id: CustomerId,
    pub invoice_id: Option<InvoiceId>,
    pub bank_account_id: Option<i64>,
    pub amount: String,
    /// Empty: today.
    pub date: String,
    pub idempotency_key: String,
}

/// What a credit application, credit refund, reversal or refund posted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeReceipt {
    pub amount: Money,
    pub entry_ids: Vec<i64>,
}

/// One allocation of a payment, as its detail page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentAllocation {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub amount: Money,
    /// Applied later from the payment's credit, rather than when it was received.
    pub from_credit: bool,
}

/// Everything about one payment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentDetail {
    pub id: PaymentId,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub received_on: NaiveDate,
    pub method: String,
    pub reference: String,
    pub bank_account: String,
    pub amount: Money,
    pub fee: Money,
    pub fee_account: Option<String>,
    pub allocations: Vec<PaymentAllocation>,
    /// Refunded from this payment's credit.
    pub credit_refunded: Money,
    /// Credit still unapplied (zero once reversed).
    pub credit_left: Money,
    /// "reversal" or "refund" and its day, once taken back.
    pub reversal: Option<(ReversalKind, NaiveDate)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentReceipt {
    pub payment_id: PaymentId,
    pub amount: Money,
    pub allocated: Vec<(InvoiceId, Money)>,
    pub credit: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub currency: Currency,
    pub outstanding: Money,
    pub overdue: Money,
    pub collected_this_month: Money,
    pub bank_balance: Money,
    /// Invoices ever issued (void ones included): none means there is nothing to chase yet.
    pub issued_invoices: u64,
    pub cash_flow: Vec<MonthFlow>,
    pub aging: AgingReport,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialBalanceRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// Debit-positive balance.
    pub balance: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialBalance {
    pub as_of: NaiveDate,
    pub basis: Basis,
    pub rows: Vec<TrialBalanceRow>,
    pub total_debit: Money,
    pub total_credit: Money,
}

/// A bank account: money is received into it and paid from it, and its statements are
/// imported against it. `account_code` is its asset account in the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BankAccount {
    pub id: i64,
    pub name: String,
    pub account_code: String,
    pub iban: String,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountOption {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerOption {
    pub id: CustomerId,
    pub name: String,
    pub payment_terms_days: u32,
}

/// What a new document's form starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentDefaults {
    pub today: NaiveDate,
    pub currency: Currency,
    /// The business's tax rounding, so a preview computes what the server will.
    pub tax_rounding: crate::domain::TaxRounding,
    pub revenue_accounts: Vec<AccountOption>,
    pub customers: Vec<CustomerOption>,
    /// Named tax rates, archived ones too (so a line billed under one can still show it).
    #[serde(default)]
    pub tax_rates: Vec<crate::domain::TaxRate>,
    /// Items in use, for the line picker.
    #[serde(default)]
    pub items: Vec<crate::domain::items::Item>,
}

/// A recorded payment, for the list of everything received.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentSummary {
    pub id: PaymentId,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub received_on: NaiveDate,
    pub method: String,
    pub reference: String,
    pub amount: Money,
    /// What went to invoices; the rest became customer credit.
    pub allocated: Money,
    /// The invoices it paid: id and number.
    pub invoices: Vec<(InvoiceId, String)>,
    pub bank_account: String,
    pub fee: Money,
    /// Reversed or refunded whole.
    pub reversed: bool,
}

/// One account's postings over a period, with the running balance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub basis: Basis,
    pub period: Period,
    pub opening: Money,
    pub closing: Money,
    pub rows: Vec<RegisterRow>,
    pub page: i64,
    pub pages: i64,
    /// Postings in the period.
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub date: NaiveDate,
    pub entry_id: i64,
    pub memo: String,
    pub source: String,
    /// Debit-positive.
    pub amount: Money,
    /// Debit-positive balance after this posting.
    pub balance: Money,
}

/// An expense or a bill in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpenseSummary {
    pub id: i64,
    pub is_bill: bool,
    /// The entry that reversed it, when it was voided.
    pub void_entry_id: Option<i64>,
    pub vendor_id: i64,
    pub vendor: String,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub memo: String,
    pub total: Money,
    /// What is still owed on a bill; zero for an expense paid when recorded.
    pub open: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpenseLineView {
    pub account: String,
    pub account_name: String,
    pub description: String,
    pub tax_rate: Decimal,
    pub net: Money,
    pub tax: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpenseDetail {
    pub summary: ExpenseSummary,
    pub paid_from: Option<String>,
    pub reference: String,
    pub net: Money,
    pub tax: Money,
    pub entry_id: i64,
    pub receipt_id: Option<i64>,
    pub receipt_name: Option<String>,
    /// The receipt's content type, so a page can preview images.
    pub receipt_type: Option<String>,
    pub lines: Vec<ExpenseLineView>,
    /// (date, account paid from, amount)
    pub payments: Vec<(NaiveDate, String, Money)>,
}

/// A journal entry with its postings: (account code, account name, debit-positive amount).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntryView {
    pub id: i64,
    pub date: NaiveDate,
    pub memo: String,
    pub source: String,
    pub reverses: Option<i64>,
    pub reversed_by: Option<i64>,
    pub postings: Vec<(String, String, Money)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountChoice {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
}

/// What the books page needs: the lock date, today, and the accounts entries may use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BooksSettings {
    pub lock_date: Option<NaiveDate>,
    pub today: NaiveDate,
    pub accounts: Vec<AccountChoice>,
}

/// A manual journal entry as typed: lines of (account code, debit, credit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalForm {
    pub date: String,
    pub memo: String,
    pub lines: Vec<(String, String, String)>,
}

/// An expense or a bill as typed: splits of (account code, description, amount, tax rate %).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExpenseForm {
    pub vendor: String,
    pub date: String,
    /// A money account code for an expense paid now; empty for a bill.
    pub paid_from: String,
    /// Required for a bill.
    pub due_date: String,
    pub reference: String,
    pub memo: String,
    pub tax_inclusive: bool,
    pub splits: Vec<(String, String, String, String)>,
    /// A receipt file uploaded beforehand (POST /receipts), not yet linked to an expense.
    #[serde(default)]
    pub receipt_id: Option<i64>,
    pub idempotency_key: String,
}

/// Accounts for the expense form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpenseOptions {
    pub money_accounts: Vec<AccountOption>,
    pub expense_accounts: Vec<AccountOption>,
    pub today: NaiveDate,
}

/// An account in the chart of accounts page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub parent: Option<String>,
    pub is_money: bool,
    pub archived: bool,
    /// Settle posts to it itself; it can be renamed but not archived.
    pub system: bool,
    pub has_postings: bool,
    /// Debit-positive, as of today.
    pub balance: Money,
}

/// An account as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: String,
    pub is_money: bool,
}

/// One account's line in the general ledger summary: opening balance, movements, closing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerSummaryRow {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub opening: Money,
    pub debits: Money,
    pub credits: Money,
    pub closing: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerSummary {
    pub period: Period,
    pub basis: Basis,
    pub rows: Vec<LedgerSummaryRow>,
}

impl LedgerSummary {
    /// For a comparison: adds a row of zeros for each account that moved in `earlier` but has
    /// neither a balance nor postings in this period, keeping the rows in code order.
    pub fn with_earlier_accounts(mut self, earlier: &LedgerSummary) -> LedgerSummary {
        for e in &earlier.rows {
            if self.rows.iter().any(|r| r.code == e.code) {
                continue;
            }
            let zero = Money::zero(e.closing.currency());
            let at = self.rows.partition_point(|r| r.code < e.code);
            self.rows.insert(
                at,
                LedgerSummaryRow {
                    code: e.code.clone(),
                    name: e.name.clone(),
                    kind: e.kind,
                    opening: zero,
                    debits: zero,
                    credits: zero,
                    closing: zero,
                },
            );
        }
        self
    }
}

/// What moved a customer's balance on a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatementLineKind {
    InvoiceIssued,
    InvoiceVoided,
    PaymentReceived,
    /// Any other entry on the customer's sub-ledgers, described by its memo.
    Other,
}

/// A balance on a statement: receivables, minus the credit the customer holds, is what they owe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementBalance {
    pub receivable: Money,
    pub credit: Money,
    pub owed: Money,
}

/// One dated movement on a statement. `amount` raises (+) or lowers (−) what is owed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementLine {
    pub date: NaiveDate,
    pub kind: StatementLineKind,
    pub description: String,
    pub invoice_id: Option<InvoiceId>,
    pub payment_id: Option<PaymentId>,
    /// For a payment: the invoices it settled (id, number, amount applied).
    pub settled: Vec<(InvoiceId, String, Money)>,
    pub amount: Money,
    /// What is owed after this line.
    pub balance: Money,
}

/// A customer's statement for a period: opening balance, every movement, closing balance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerStatement {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub customer_address: String,
    pub customer_email: String,
    pub business_name: String,
    pub currency: Currency,
    pub period: Period,
    /// As of the day before the period starts.
    pub opening: StatementBalance,
    pub lines: Vec<StatementLine>,
    /// As of the last day of the period.
    pub closing: StatementBalance,
}

/// A recurring invoice: a template and its schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurringSummary {
    pub id: i64,
    pub name: String,
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// "Every month on day 1".
    pub schedule: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// The next invoice's date; none when paused or finished.
    pub next: Option<NaiveDate>,
    pub amount: Money,
    pub terms_days: u32,
    pub auto_issue: bool,
    pub paused: bool,
    pub runs: i64,
}

/// One occurrence made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurringRun {
    pub run_on: NaiveDate,
    /// None when the draft it made was deleted.
    pub invoice: Option<InvoiceId>,
    pub number: Option<String>,
    pub issued: bool,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurringDetail {
    pub summary: RecurringSummary,
    pub notes: String,
    /// The template's line descriptions.
    pub lines: Vec<String>,
    pub runs: Vec<RecurringRun>,
}

/// Repeating an invoice: its customer, lines, notes and terms, on a schedule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecurringForm {
    pub invoice_id: Option<InvoiceId>,
    pub name: String,
    /// "weekly", "monthly" or "yearly".
    pub frequency: String,
    /// For monthly: 1–31 (31: the month's last day).
    pub day_of_month: String,
    pub start: String,
    /// Empty: no end.
    pub end: String,
    pub auto_issue: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{day, gbp};

    fn row(code: &str, closing: &str) -> LedgerSummaryRow {
        LedgerSummaryRow {
            code: code.into(),
            name: format!("Account {code}"),
            kind: AccountKind::Expense,
            opening: gbp("0"),
            debits: gbp(closing),
            credits: gbp("0"),
            closing: gbp(closing),
        }
    }

    fn ledger(rows: Vec<LedgerSummaryRow>) -> LedgerSummary {
        LedgerSummary {
            period: Period {
                from: day("2026-04-01"),
                to: day("2026-06-30"),
            },
            basis: Basis::Accrual,
            rows,
        }
    }

    #[test]
    fn a_compared_ledger_lists_accounts_that_moved_only_earlier_as_zeros_in_code_order() {
        let now = ledger(vec![row("1000", "50.00"), row("6200", "10.00")]);
        let earlier = ledger(vec![
            row("6100", "7.00"),
            row("6200", "3.00"),
            row("7000", "1.00"),
        ]);

        let compared = now.with_earlier_accounts(&earlier);

        let codes: Vec<(&str, Money)> = compared
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.closing))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("1000", gbp("50.00")),
                ("6100", gbp("0.00")),
                ("6200", gbp("10.00")),
                ("7000", gbp("0.00")),
            ]
        );
    }
}
