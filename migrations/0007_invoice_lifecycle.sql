-- The rest of an invoice's life: numbering patterns per document kind, credit notes against
-- an issued invoice, and writing off what a customer will never pay.

-- How each kind of document is numbered. A pattern holds literal text and the placeholders
-- {YYYY} (the year, which then restarts the counter every year) and {NNNN} (the counter,
-- zero-padded to as many digits as there are N). Counters live in number_series: one row per
-- kind for a running counter ('invoice'), one per kind and year for a yearly one
-- ('invoice-2027'). Books that already hold issued invoices keep their running INV-00001
-- numbering; new books number by year.
CREATE TABLE numbering (
    kind TEXT PRIMARY KEY CHECK (kind IN ('invoice', 'credit_note')),
    pattern TEXT NOT NULL CHECK (length(pattern) BETWEEN 1 AND 40),
    updated_at TEXT NOT NULL
) STRICT;

INSERT INTO numbering (kind, pattern, updated_at)
SELECT 'invoice',
    CASE WHEN EXISTS (SELECT 1 FROM invoices WHERE number IS NOT NULL)
        THEN 'INV-{NNNNN}' ELSE 'INV-{YYYY}-{NNNN}' END,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now');

INSERT INTO numbering (kind, pattern, updated_at)
VALUES ('credit_note', 'CN-{YYYY}-{NNNN}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- A credit note reduces what an issued invoice asks for: Dr revenue and tax payable,
-- Cr receivables. It never exceeds what is still open on the invoice.
CREATE TABLE credit_notes (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    series TEXT NOT NULL REFERENCES number_series (name),
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    number TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,
    reason TEXT NOT NULL,
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL CHECK (total_minor > 0),
    entry_id INTEGER NOT NULL UNIQUE REFERENCES journal_entries (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    UNIQUE (series, sequence),
    CHECK (total_minor = net_minor + tax_minor)
) STRICT;

CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);
CREATE INDEX credit_notes_customer ON credit_notes (customer_id);
CREATE INDEX credit_notes_date ON credit_notes (date);

-- What a credit note takes back, per tax rate and revenue account (net) ...
CREATE TABLE credit_note_lines (
    id INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    revenue_account TEXT NOT NULL REFERENCES accounts (code),
    net_minor INTEGER NOT NULL CHECK (net_minor >= 0),
    UNIQUE (credit_note_id, tax_rate_bp, revenue_account)
) STRICT;

-- ... and per tax rate (base and tax).
CREATE TABLE credit_note_taxes (
    id INTEGER PRIMARY KEY,
    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    base_minor INTEGER NOT NULL CHECK (base_minor >= 0),
    tax_minor INTEGER NOT NULL CHECK (tax_minor >= 0),
    UNIQUE (credit_note_id, tax_rate_bp)
) STRICT;

-- Writing off an invoice's whole open balance: Dr Bad debts, Cr receivables. Once per invoice.
CREATE TABLE write_offs (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices (id),
    date TEXT NOT NULL,
    reason TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    entry_id INTEGER NOT NULL UNIQUE REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX write_offs_date ON write_offs (date);

-- The Bad debts expense account (6900) a write-off debits is in the chart since 0001.
INSERT INTO accounts (code, name, kind)
SELECT '6900', 'Bad debts', 'expense' WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE code = '6900');

CREATE TRIGGER credit_notes_no_update BEFORE UPDATE ON credit_notes
BEGIN SELECT RAISE(ABORT, 'credit notes cannot be changed'); END;
CREATE TRIGGER credit_notes_no_delete BEFORE DELETE ON credit_notes
BEGIN SELECT RAISE(ABORT, 'credit notes cannot be deleted'); END;
CREATE TRIGGER credit_note_lines_no_update BEFORE UPDATE ON credit_note_lines
BEGIN SELECT RAISE(ABORT, 'credit notes cannot be changed'); END;
CREATE TRIGGER credit_note_lines_no_delete BEFORE DELETE ON credit_note_lines
BEGIN SELECT RAISE(ABORT, 'credit notes cannot be deleted'); END;
CREATE TRIGGER credit_note_taxes_no_update BEFORE UPDATE ON credit_note_taxes
BEGIN SELECT RAISE(ABORT, 'credit notes cannot be changed'); END;
CREATE TRIGGER credit_note_taxes_no_delete BEFORE DELETE ON credit_note_taxes
BEGIN SELECT RAISE(ABORT, 'credit notes cannot be deleted'); END;
CREATE TRIGGER write_offs_no_update BEFORE UPDATE ON write_offs
BEGIN SELECT RAISE(ABORT, 'write-offs cannot be changed'); END;
CREATE TRIGGER write_offs_no_delete BEFORE DELETE ON write_offs
BEGIN SELECT RAISE(ABORT, 'write-offs cannot be deleted'); END;

-- What settles each issued invoice besides payments, summed: read by every query that needs
-- an open balance (open = total - paid - credited - written off).
CREATE VIEW invoice_reductions AS
SELECT i.id AS invoice_id,
    COALESCE((SELECT SUM(c.total_minor) FROM credit_notes c WHERE c.invoice_id = i.id), 0) AS credited_minor,
    COALESCE((SELECT SUM(w.amount_minor) FROM write_offs w WHERE w.invoice_id = i.id), 0) AS written_off_minor
FROM invoices i;
