-- Settle's foundation: the business, users, customers, invoices, payments and the ledger.
-- Money is INTEGER minor units of the document's currency; unit prices and quantities keep a
-- fixed scale of 4 decimals (x 10^4), percentages a scale of 2 (basis points).

CREATE TABLE business (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    base_currency TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    tax_rounding TEXT NOT NULL CHECK (tax_rounding IN ('per_document', 'per_line'))
) STRICT;

INSERT INTO business (id, name, base_currency, time_zone, tax_rounding)
VALUES (1, 'My business', 'GBP', 'Europe/London', 'per_document');

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'bookkeeper', 'viewer')),
    created_at TEXT NOT NULL
) STRICT;

-- Only a hash of the session token is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    billing_address TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

CREATE TABLE accounts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('asset', 'liability', 'equity', 'revenue', 'expense'))
) STRICT;

INSERT INTO accounts (code, name, kind) VALUES
    ('1000', 'Bank', 'asset'),
    ('1100', 'Accounts receivable', 'asset'),
    ('1200', 'Input tax', 'asset'),
    ('2000', 'Accounts payable', 'liability'),
    ('2100', 'Customer credits', 'liability'),
    ('2200', 'Tax payable', 'liability'),
    ('3000', 'Owner''s equity', 'equity'),
    ('3900', 'Retained earnings', 'equity'),
    ('4000', 'Sales', 'revenue'),
    ('4100', 'Services', 'revenue'),
    ('4900', 'Other income', 'revenue'),
    ('6000', 'General expenses', 'expense'),
    ('6900', 'Bad debts', 'expense'),
    ('7900', 'Realised FX gain / loss', 'expense');

CREATE TABLE number_series (
    name TEXT PRIMARY KEY,
    prefix TEXT NOT NULL,
    next_value INTEGER NOT NULL CHECK (next_value >= 1)
) STRICT;

INSERT INTO number_series (name, prefix, next_value) VALUES ('invoice', 'INV-', 1);

-- The ledger. Entries and postings are append-only (see the triggers below).
CREATE TABLE journal_entries (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    memo TEXT NOT NULL,
    currency TEXT NOT NULL,
    source TEXT NOT NULL,
    reverses INTEGER REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
) STRICT;

-- amount_minor is signed: debit positive, credit negative. customer_id keeps the
-- receivables and customer-credit sub-ledgers per customer.
CREATE TABLE postings (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    account_code TEXT NOT NULL REFERENCES accounts (code),
    amount_minor INTEGER NOT NULL,
    customer_id INTEGER REFERENCES customers (id)
) STRICT;

CREATE INDEX postings_entry ON postings (entry_id);
CREATE INDEX postings_account ON postings (account_code);
CREATE INDEX postings_customer ON postings (customer_id, account_code);
CREATE INDEX journal_entries_date ON journal_entries (date);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('draft', 'issued', 'void')),
    series TEXT REFERENCES number_series (name),
    sequence INTEGER,
    number TEXT UNIQUE,
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    currency TEXT NOT NULL,
    tax_rounding TEXT NOT NULL CHECK (tax_rounding IN ('per_document', 'per_line')),
    notes TEXT NOT NULL DEFAULT '',
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL,
    issue_entry_id INTEGER REFERENCES journal_entries (id),
    void_entry_id INTEGER REFERENCES journal_entries (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (series, sequence),
    CHECK (due_date >= issue_date),
    CHECK ((lifecycle = 'draft') = (number IS NULL)),
    CHECK ((lifecycle = 'draft') = (issue_entry_id IS NULL)),
    CHECK ((lifecycle = 'void') = (void_entry_id IS NOT NULL))
) STRICT;

CREATE INDEX invoices_customer ON invoices (customer_id);
CREATE INDEX invoices_lifecycle_due ON invoices (lifecycle, due_date);
CREATE INDEX invoices_issue_date ON invoices (issue_date);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL,
    unit_price_e4 INTEGER NOT NULL,
    discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    revenue_account TEXT NOT NULL REFERENCES accounts (code),
    net_minor INTEGER NOT NULL,
    UNIQUE (invoice_id, position)
) STRICT;

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    received_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'cheque', 'other')),
    reference TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL UNIQUE,
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX payments_customer ON payments (customer_id);
CREATE INDEX payments_received_on ON payments (received_on);

CREATE TABLE allocations (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0)
) STRICT;

CREATE INDEX allocations_invoice ON allocations (invoice_id);
CREATE INDEX allocations_payment ON allocations (payment_id);

-- Posted records are never edited or deleted; corrections are reversing entries.
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'posted journal entries cannot be changed'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'posted journal entries cannot be deleted'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'postings cannot be changed'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'postings cannot be deleted'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'recorded payments cannot be changed'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'recorded payments cannot be deleted'); END;
CREATE TRIGGER allocations_no_update BEFORE UPDATE ON allocations
BEGIN SELECT RAISE(ABORT, 'allocations cannot be changed'); END;
CREATE TRIGGER allocations_no_delete BEFORE DELETE ON allocations
BEGIN SELECT RAISE(ABORT, 'allocations cannot be deleted'); END;

-- An issued invoice is immutable; the only change allowed is issued -> void.
CREATE TRIGGER invoices_issued_immutable BEFORE UPDATE ON invoices
WHEN OLD.lifecycle <> 'draft' AND NOT (
    OLD.lifecycle = 'issued' AND NEW.lifecycle = 'void'
    AND NEW.customer_id = OLD.customer_id AND NEW.number = OLD.number
    AND NEW.sequence = OLD.sequence AND NEW.series = OLD.series
    AND NEW.issue_date = OLD.issue_date AND NEW.due_date = OLD.due_date
    AND NEW.currency = OLD.currency AND NEW.total_minor = OLD.total_minor
    AND NEW.net_minor = OLD.net_minor AND NEW.tax_minor = OLD.tax_minor
    AND NEW.issue_entry_id = OLD.issue_entry_id
)
BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END;
CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices
WHEN OLD.lifecycle <> 'draft'
BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be deleted'); END;
CREATE TRIGGER invoice_lines_no_insert_after_issue BEFORE INSERT ON invoice_lines
WHEN (SELECT lifecycle FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'lines of an issued invoice cannot be changed'); END;
CREATE TRIGGER invoice_lines_no_update_after_issue BEFORE UPDATE ON invoice_lines
WHEN (SELECT lifecycle FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'lines of an issued invoice cannot be changed'); END;
CREATE TRIGGER invoice_lines_no_delete_after_issue BEFORE DELETE ON invoice_lines
WHEN (SELECT lifecycle FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'lines of an issued invoice cannot be changed'); END;
