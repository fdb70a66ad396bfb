-- Named tax rates, the items catalogue, and how an invoice is priced.
--
-- A line keeps the rate it was billed at (percent, category, name and exemption reason) as
-- copied from the named rate when it was written, so editing or archiving a rate later never
-- changes an issued invoice.

CREATE TABLE tax_rates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    rate_bp INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    category TEXT NOT NULL CHECK (category IN ('standard', 'reduced', 'zero', 'exempt')),
    exemption_reason TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    -- Zero-rated and exempt supplies charge nothing; standard and reduced rates charge some.
    CHECK ((category IN ('zero', 'exempt')) = (rate_bp = 0)),
    CHECK (category <> 'exempt' OR length(trim(exemption_reason)) > 0)
) STRICT;

INSERT INTO tax_rates (name, rate_bp, category, exemption_reason, created_at) VALUES
    ('Standard', 2000, 'standard', '', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('Reduced', 500, 'reduced', '', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('Zero-rated', 0, 'zero', '', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('Exempt', 0, 'exempt', 'Exempt from VAT', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    unit_price_e4 INTEGER NOT NULL CHECK (unit_price_e4 >= 0),
    tax_rate_id INTEGER NOT NULL REFERENCES tax_rates (id),
    revenue_account TEXT NOT NULL REFERENCES accounts (code),
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX items_name ON items (archived, name);

-- Lines written before named rates have no category: a 0% line reads as zero-rated, any
-- other as standard (what the e-invoice always said of them).
ALTER TABLE invoice_lines ADD COLUMN tax_category TEXT
    CHECK (tax_category IN ('standard', 'reduced', 'zero', 'exempt'));
ALTER TABLE invoice_lines ADD COLUMN tax_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN exemption_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice_lines ADD COLUMN unit TEXT NOT NULL DEFAULT '';

ALTER TABLE invoices ADD COLUMN price_entry TEXT NOT NULL DEFAULT 'exclusive'
    CHECK (price_entry IN ('exclusive', 'inclusive'));
ALTER TABLE invoices ADD COLUMN discount_kind TEXT NOT NULL DEFAULT 'none'
    CHECK (discount_kind IN ('none', 'percent', 'amount'));
-- The percent or the amount, scaled by 10^4.
ALTER TABLE invoices ADD COLUMN discount_e4 INTEGER NOT NULL DEFAULT 0 CHECK (discount_e4 >= 0);

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
    AND NEW.tax_rounding = OLD.tax_rounding AND NEW.price_entry = OLD.price_entry
    AND NEW.discount_kind = OLD.discount_kind AND NEW.discount_e4 = OLD.discount_e4
)
BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END;
