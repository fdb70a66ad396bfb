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
