-- Voiding a recorded expense or bill. Expenses, their lines and bill payments are append-only,
-- so a void is a record of its own: the expense it voids and the entry that exactly reverses
-- the expense's entry, dated the expense's own day. A bill with payments is voided together
-- with them: each payment's entry is reversed on its own day first (a reversal links to the
-- entry it reverses through journal_entries.reverses).
CREATE TABLE expense_voids (
    expense_id INTEGER PRIMARY KEY REFERENCES expenses (id),
    entry_id INTEGER NOT NULL UNIQUE REFERENCES journal_entries (id),
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER expense_voids_no_update BEFORE UPDATE ON expense_voids
BEGIN SELECT RAISE(ABORT, 'a void cannot be changed'); END;
CREATE TRIGGER expense_voids_no_delete BEFORE DELETE ON expense_voids
BEGIN SELECT RAISE(ABORT, 'a void cannot be undone'); END;

-- The void must reverse the expense's own entry.
CREATE TRIGGER expense_voids_reverse_the_expense BEFORE INSERT ON expense_voids
WHEN (SELECT reverses FROM journal_entries WHERE id = NEW.entry_id)
    IS NOT (SELECT entry_id FROM expenses WHERE id = NEW.expense_id)
BEGIN SELECT RAISE(ABORT, 'a void must reverse the expense''s own entry'); END;

-- A bill is voided only once every payment against it has been reversed.
CREATE TRIGGER expense_voids_after_payments BEFORE INSERT ON expense_voids
WHEN EXISTS (SELECT 1 FROM bill_payments b WHERE b.bill_id = NEW.expense_id
    AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses = b.entry_id))
BEGIN SELECT RAISE(ABORT, 'the payments of a bill are reversed before the bill is voided'); END;

-- A void bill takes no more payments.
CREATE TRIGGER bill_payments_not_on_void_bills BEFORE INSERT ON bill_payments
WHEN EXISTS (SELECT 1 FROM expense_voids WHERE expense_id = NEW.bill_id)
BEGIN SELECT RAISE(ABORT, 'a void bill cannot be paid'); END;
