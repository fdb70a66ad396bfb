-- An issued invoice shows the customer as they were when it was issued: renaming a customer
-- or moving their address later must not change a document already sent.
ALTER TABLE invoices ADD COLUMN billed_name TEXT;
ALTER TABLE invoices ADD COLUMN billed_address TEXT;
ALTER TABLE invoices ADD COLUMN billed_email TEXT;
ALTER TABLE invoices ADD COLUMN billed_tax_id TEXT;

UPDATE invoices SET
    billed_name = (SELECT name FROM customers WHERE id = invoices.customer_id),
    billed_address = (SELECT billing_address FROM customers WHERE id = invoices.customer_id),
    billed_email = (SELECT email FROM customers WHERE id = invoices.customer_id),
    billed_tax_id = (SELECT tax_id FROM customers WHERE id = invoices.customer_id)
WHERE lifecycle <> 'draft';

DROP TRIGGER invoices_issued_immutable;
CREATE TRIGGER invoices_issued_immutable BEFORE UPDATE ON invoices
WHEN OLD.lifecycle <> 'draft' AND NOT (
    OLD.lifecycle = 'issued' AND NEW.lifecycle = 'void'
    AND NEW.customer_id = OLD.customer_id AND NEW.number = OLD.number
    AND NEW.sequence = OLD.sequence AND NEW.series = OLD.series
    AND NEW.issue_date = OLD.issue_date AND NEW.due_date = OLD.due_date
    AND NEW.currency = OLD.currency AND NEW.total_minor = OLD.total_minor
    AND NEW.net_minor = OLD.net_minor AND NEW.tax_minor = OLD.tax_minor
    AND NEW.issue_entry_id = OLD.issue_entry_id
    AND NEW.billed_name IS OLD.billed_name AND NEW.billed_address IS OLD.billed_address
    AND NEW.billed_email IS OLD.billed_email AND NEW.billed_tax_id IS OLD.billed_tax_id
)
BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END;
