-- What is still owed on each issued invoice (total - paid - credited - written off, the same
-- definition as the view invoice_reductions serves), kept by triggers in the same transaction as
-- the issue, the payment allocation, the credit note, the write-off or the void. The dashboard's aging and a payment's oldest-first
-- allocation read these rows instead of summing the allocations of every invoice ever issued
-- (at a million postings that was a quarter of a second). `settle check` verifies the table
-- against the invoices, their allocations, credit notes and write-offs. Only invoices with something open have a row.
CREATE TABLE open_invoices (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    open_minor INTEGER NOT NULL CHECK (open_minor > 0)
) STRICT;

CREATE INDEX open_invoices_customer ON open_invoices (customer_id, due_date);
CREATE INDEX open_invoices_due ON open_invoices (due_date, open_minor);

CREATE TRIGGER invoices_open_on_issue AFTER UPDATE OF lifecycle ON invoices
WHEN OLD.lifecycle = 'draft' AND NEW.lifecycle = 'issued'
BEGIN
    INSERT INTO open_invoices (invoice_id, customer_id, issue_date, due_date, open_minor)
    SELECT NEW.id, NEW.customer_id, NEW.issue_date, NEW.due_date, NEW.total_minor - settled
    FROM (SELECT r.credited_minor + r.written_off_minor
            + COALESCE((SELECT SUM(amount_minor) FROM allocations WHERE invoice_id = NEW.id), 0) AS settled
          FROM invoice_reductions r WHERE r.invoice_id = NEW.id)
    WHERE NEW.total_minor > settled;
END;

CREATE TRIGGER invoices_open_on_insert AFTER INSERT ON invoices
WHEN NEW.lifecycle = 'issued'
BEGIN
    INSERT INTO open_invoices (invoice_id, customer_id, issue_date, due_date, open_minor)
    SELECT NEW.id, NEW.customer_id, NEW.issue_date, NEW.due_date, NEW.total_minor
    WHERE NEW.total_minor > 0;
END;

CREATE TRIGGER invoices_open_on_void AFTER UPDATE OF lifecycle ON invoices
WHEN NEW.lifecycle <> 'issued'
BEGIN
    DELETE FROM open_invoices WHERE invoice_id = NEW.id;
END;

CREATE TRIGGER allocations_reduce_open AFTER INSERT ON allocations
BEGIN
    DELETE FROM open_invoices
    WHERE invoice_id = NEW.invoice_id AND open_minor <= NEW.amount_minor;
    UPDATE open_invoices SET open_minor = open_minor - NEW.amount_minor
    WHERE invoice_id = NEW.invoice_id;
END;

-- A credit note never exceeds what is open, so it lowers the row or, when it takes back all of
-- it, removes it.
CREATE TRIGGER credit_notes_reduce_open AFTER INSERT ON credit_notes
BEGIN
    DELETE FROM open_invoices
    WHERE invoice_id = NEW.invoice_id AND open_minor <= NEW.total_minor;
    UPDATE open_invoices SET open_minor = open_minor - NEW.total_minor
    WHERE invoice_id = NEW.invoice_id;
END;

-- A write-off takes the whole open balance, so it removes the row. It subtracts like the others
-- rather than deleting outright, so the table stays exact even if a write-off were ever partial.
CREATE TRIGGER write_offs_reduce_open AFTER INSERT ON write_offs
BEGIN
    DELETE FROM open_invoices
    WHERE invoice_id = NEW.invoice_id AND open_minor <= NEW.amount_minor;
    UPDATE open_invoices SET open_minor = open_minor - NEW.amount_minor
    WHERE invoice_id = NEW.invoice_id;
END;

INSERT INTO open_invoices (invoice_id, customer_id, issue_date, due_date, open_minor)
SELECT id, customer_id, issue_date, due_date, open FROM (
    SELECT i.id, i.customer_id, i.issue_date, i.due_date,
        i.total_minor - r.credited_minor - r.written_off_minor - COALESCE(a.paid, 0) AS open
    FROM invoices i
    JOIN invoice_reductions r ON r.invoice_id = i.id
    LEFT JOIN (SELECT invoice_id, SUM(amount_minor) AS paid FROM allocations GROUP BY invoice_id) a
        ON a.invoice_id = i.id
    WHERE i.lifecycle = 'issued')
WHERE open > 0;

-- The dashboard's invoiced and collected per month read these alone, not the rows.
CREATE INDEX invoices_issued_month ON invoices (issue_date, lifecycle, total_minor);
CREATE INDEX payments_received_amount ON payments (received_on, amount_minor);
