-- Payments in full: the bank account and processor fee of each payment, customer credit
-- applied to later invoices, refunds, and reversals. Everything here is append-only like the
-- payments themselves: a reversal or refund is a new row and a new entry, never an edit.

-- The expense a processor's fee posts to (the default chart has it; an older book may not).
INSERT INTO accounts (code, name, kind)
SELECT '6500', 'Bank and card fees', 'expense' WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE code = '6500');

-- NULL bank account: a payment recorded before this migration, whose entry names its bank
-- account (always the first one then). The fee is part of the amount the customer paid: the
-- bank receives amount - fee.
ALTER TABLE payments ADD COLUMN bank_account_id INTEGER REFERENCES bank_accounts (id);
ALTER TABLE payments ADD COLUMN fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0);
ALTER TABLE payments ADD COLUMN fee_account TEXT REFERENCES accounts (code);

-- An allocation made later, when a payment's credit is applied to an invoice, has its own
-- entry (Dr customer credits / Cr receivables); NULL means the payment's own entry.
ALTER TABLE allocations ADD COLUMN entry_id INTEGER REFERENCES journal_entries (id);

-- The result of each credit application, credit refund, payment reversal or payment refund,
-- by its idempotency key: a retry with the same key and content gets the same answer.
CREATE TABLE payment_requests (
    idempotency_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('apply_credit', 'refund_credit', 'reversal', 'refund')),
    content TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- A payment taken back whole: a reversal (it was recorded in error) or a refund (the money
-- went back to the customer). Either releases all its allocations, so their invoices reopen.
CREATE TABLE payment_reversals (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    kind TEXT NOT NULL CHECK (kind IN ('reversal', 'refund')),
    reversed_on TEXT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    created_at TEXT NOT NULL
) STRICT;

-- Customer credit paid back out of a bank account, drawn from one payment's unallocated part.
CREATE TABLE credit_refunds (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    refunded_on TEXT NOT NULL,
    bank_account_id INTEGER NOT NULL REFERENCES bank_accounts (id),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id)
) STRICT;

CREATE INDEX credit_refunds_payment ON credit_refunds (payment_id);
CREATE INDEX allocations_entry ON allocations (entry_id) WHERE entry_id IS NOT NULL;

CREATE TRIGGER payment_requests_no_update BEFORE UPDATE ON payment_requests
BEGIN SELECT RAISE(ABORT, 'recorded requests cannot be changed'); END;
CREATE TRIGGER payment_requests_no_delete BEFORE DELETE ON payment_requests
BEGIN SELECT RAISE(ABORT, 'recorded requests cannot be deleted'); END;
CREATE TRIGGER payment_reversals_no_update BEFORE UPDATE ON payment_reversals
BEGIN SELECT RAISE(ABORT, 'payment reversals cannot be changed'); END;
CREATE TRIGGER payment_reversals_no_delete BEFORE DELETE ON payment_reversals
BEGIN SELECT RAISE(ABORT, 'payment reversals cannot be deleted'); END;
CREATE TRIGGER credit_refunds_no_update BEFORE UPDATE ON credit_refunds
BEGIN SELECT RAISE(ABORT, 'credit refunds cannot be changed'); END;
CREATE TRIGGER credit_refunds_no_delete BEFORE DELETE ON credit_refunds
BEGIN SELECT RAISE(ABORT, 'credit refunds cannot be deleted'); END;

-- A reversed payment takes no new allocation (its credit cannot be applied any more).
CREATE TRIGGER allocations_not_from_reversed BEFORE INSERT ON allocations
WHEN EXISTS (SELECT 1 FROM payment_reversals WHERE payment_id = NEW.payment_id)
BEGIN SELECT RAISE(ABORT, 'a reversed payment has no credit to apply'); END;

-- The allocations that still settle their invoices: those of payments not reversed. Every
-- query of what an invoice has been paid reads this view.
CREATE VIEW live_allocations AS
SELECT a.* FROM allocations a
WHERE NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = a.payment_id);

-- A reversal puts back what each released allocation had settled: the invoices it paid get
-- their open row recomputed (allocations of this payment no longer count).
CREATE TRIGGER payment_reversals_reopen AFTER INSERT ON payment_reversals
BEGIN
    DELETE FROM open_invoices
    WHERE invoice_id IN (SELECT invoice_id FROM allocations WHERE payment_id = NEW.payment_id);
    INSERT INTO open_invoices (invoice_id, customer_id, issue_date, due_date, open_minor)
    SELECT id, customer_id, issue_date, due_date, open FROM (
        SELECT i.id, i.customer_id, i.issue_date, i.due_date,
            i.total_minor - r.credited_minor - r.written_off_minor
                - COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0) AS open
        FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
        WHERE i.lifecycle = 'issued'
            AND i.id IN (SELECT invoice_id FROM allocations WHERE payment_id = NEW.payment_id))
    WHERE open > 0;
END;
