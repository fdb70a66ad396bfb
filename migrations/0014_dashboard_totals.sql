-- Totals the dashboard and the invoice list read, kept by triggers in the same transaction as
-- the invoice, credit note or payment they count, so reading them costs a few rows at any book
-- size. `settle check` verifies both tables against a recomputation from the rows.

-- Per calendar month ('YYYY-MM'): what was invoiced (issued invoices by issue date, less credit
-- notes by their date; a void takes its invoice out again) and what was collected (payments by
-- the day received). These are the cash-flow chart's two series.
CREATE TABLE dashboard_months (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    invoiced_minor INTEGER NOT NULL,
    collected_minor INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- How many invoices are in each lifecycle state (draft, issued, void).
CREATE TABLE invoice_counts (
    lifecycle TEXT PRIMARY KEY,
    invoices INTEGER NOT NULL CHECK (invoices >= 0)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER invoices_totals_on_insert AFTER INSERT ON invoices
BEGIN
    INSERT INTO invoice_counts (lifecycle, invoices) VALUES (NEW.lifecycle, 1)
    ON CONFLICT (lifecycle) DO UPDATE SET invoices = invoices + 1;
    INSERT INTO dashboard_months (month, invoiced_minor, collected_minor)
    SELECT substr(NEW.issue_date, 1, 7), NEW.total_minor, 0 WHERE NEW.lifecycle = 'issued'
    ON CONFLICT (month) DO UPDATE SET invoiced_minor = invoiced_minor + excluded.invoiced_minor;
END;

-- An update takes the old row out of the totals and puts the new one in: issuing a draft adds
-- it, voiding removes it, and a draft's edits change nothing that is counted as invoiced.
CREATE TRIGGER invoices_totals_on_update AFTER UPDATE OF lifecycle, issue_date, total_minor ON invoices
BEGIN
    UPDATE invoice_counts SET invoices = invoices - 1 WHERE lifecycle = OLD.lifecycle;
    INSERT INTO invoice_counts (lifecycle, invoices) VALUES (NEW.lifecycle, 1)
    ON CONFLICT (lifecycle) DO UPDATE SET invoices = invoices + 1;
    UPDATE dashboard_months SET invoiced_minor = invoiced_minor - OLD.total_minor
    WHERE month = substr(OLD.issue_date, 1, 7) AND OLD.lifecycle = 'issued';
    INSERT INTO dashboard_months (month, invoiced_minor, collected_minor)
    SELECT substr(NEW.issue_date, 1, 7), NEW.total_minor, 0 WHERE NEW.lifecycle = 'issued'
    ON CONFLICT (month) DO UPDATE SET invoiced_minor = invoiced_minor + excluded.invoiced_minor;
END;

-- Only drafts can be deleted (invoices_issued_no_delete), but the counts stay exact regardless.
CREATE TRIGGER invoices_totals_on_delete AFTER DELETE ON invoices
BEGIN
    UPDATE invoice_counts SET invoices = invoices - 1 WHERE lifecycle = OLD.lifecycle;
    UPDATE dashboard_months SET invoiced_minor = invoiced_minor - OLD.total_minor
    WHERE month = substr(OLD.issue_date, 1, 7) AND OLD.lifecycle = 'issued';
END;

CREATE TRIGGER credit_notes_totals AFTER INSERT ON credit_notes
BEGIN
    INSERT INTO dashboard_months (month, invoiced_minor, collected_minor)
    VALUES (substr(NEW.date, 1, 7), -NEW.total_minor, 0)
    ON CONFLICT (month) DO UPDATE SET invoiced_minor = invoiced_minor + excluded.invoiced_minor;
END;

CREATE TRIGGER payments_totals AFTER INSERT ON payments
BEGIN
    INSERT INTO dashboard_months (month, invoiced_minor, collected_minor)
    VALUES (substr(NEW.received_on, 1, 7), 0, NEW.amount_minor)
    ON CONFLICT (month) DO UPDATE SET collected_minor = collected_minor + excluded.collected_minor;
END;

INSERT INTO invoice_counts (lifecycle, invoices)
SELECT lifecycle, COUNT(*) FROM invoices GROUP BY lifecycle;

INSERT INTO dashboard_months (month, invoiced_minor, collected_minor)
SELECT month, SUM(invoiced), SUM(collected) FROM (
    SELECT substr(issue_date, 1, 7) AS month, total_minor AS invoiced, 0 AS collected
    FROM invoices WHERE lifecycle = 'issued'
    UNION ALL SELECT substr(date, 1, 7), -total_minor, 0 FROM credit_notes
    UNION ALL SELECT substr(received_on, 1, 7), 0, amount_minor FROM payments)
GROUP BY month;

-- What is open per due date: the number of open invoices and the sum of their open amounts,
-- kept by triggers on open_invoices (itself kept in the posting transaction, migration 0010).
-- The dashboard's aging and the invoice list's counts of overdue and not yet due invoices read
-- one row per due date instead of one per open invoice.
CREATE TABLE open_by_due_date (
    due_date TEXT PRIMARY KEY,
    invoices INTEGER NOT NULL CHECK (invoices >= 0),
    open_minor INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER open_invoices_by_due_on_insert AFTER INSERT ON open_invoices
BEGIN
    INSERT INTO open_by_due_date (due_date, invoices, open_minor)
    VALUES (NEW.due_date, 1, NEW.open_minor)
    ON CONFLICT (due_date) DO UPDATE SET invoices = invoices + 1,
        open_minor = open_minor + excluded.open_minor;
END;

CREATE TRIGGER open_invoices_by_due_on_update AFTER UPDATE ON open_invoices
BEGIN
    UPDATE open_by_due_date SET invoices = invoices - 1, open_minor = open_minor - OLD.open_minor
    WHERE due_date = OLD.due_date;
    INSERT INTO open_by_due_date (due_date, invoices, open_minor)
    VALUES (NEW.due_date, 1, NEW.open_minor)
    ON CONFLICT (due_date) DO UPDATE SET invoices = invoices + 1,
        open_minor = open_minor + excluded.open_minor;
    DELETE FROM open_by_due_date WHERE due_date = OLD.due_date AND invoices = 0;
END;

CREATE TRIGGER open_invoices_by_due_on_delete AFTER DELETE ON open_invoices
BEGIN
    UPDATE open_by_due_date SET invoices = invoices - 1, open_minor = open_minor - OLD.open_minor
    WHERE due_date = OLD.due_date;
    DELETE FROM open_by_due_date WHERE due_date = OLD.due_date AND invoices = 0;
END;

INSERT INTO open_by_due_date (due_date, invoices, open_minor)
SELECT due_date, COUNT(*), SUM(open_minor) FROM open_invoices GROUP BY due_date;

-- Re-deriving a journal entry's cash-basis twin (on every `settle check`) looks up the payment
-- and the bill payments posted by that entry; without these every lookup read all of them,
-- which made the check grow with the square of the book.
CREATE INDEX payments_entry ON payments (entry_id);
CREATE INDEX bill_payments_entry ON bill_payments (entry_id);
