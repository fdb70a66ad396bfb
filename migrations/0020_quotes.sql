-- Quotes: numbered when sent (their own gapless series), then accepted or declined (expired
-- is derived: sent and past its valid-until day), and converted into a draft invoice with the
-- same lines and pricing. The link is kept on the quote; deleting that draft unlinks it.

-- The numbering kinds are checked, so the table is rebuilt to admit quotes.
CREATE TABLE numbering_next (
    kind TEXT PRIMARY KEY CHECK (kind IN ('invoice', 'credit_note', 'quote')),
    pattern TEXT NOT NULL CHECK (length(pattern) BETWEEN 1 AND 40),
    updated_at TEXT NOT NULL
) STRICT;
INSERT INTO numbering_next (kind, pattern, updated_at)
    SELECT kind, pattern, updated_at FROM numbering;
DROP TABLE numbering;
ALTER TABLE numbering_next RENAME TO numbering;
INSERT INTO numbering (kind, pattern, updated_at)
VALUES ('quote', 'QUO-{YYYY}-{NNNN}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'declined')),
    series TEXT,
    sequence INTEGER,
    number TEXT UNIQUE,
    issue_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    currency TEXT NOT NULL,
    tax_rounding TEXT NOT NULL CHECK (tax_rounding IN ('per_document', 'per_line')),
    price_entry TEXT NOT NULL DEFAULT 'exclusive' CHECK (price_entry IN ('exclusive', 'inclusive')),
    discount_kind TEXT NOT NULL DEFAULT 'none'
        CHECK (discount_kind IN ('none', 'percent', 'amount')),
    discount_e4 INTEGER NOT NULL DEFAULT 0 CHECK (discount_e4 >= 0),
    notes TEXT NOT NULL DEFAULT '',
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL,
    invoice_id INTEGER UNIQUE REFERENCES invoices (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (series, sequence),
    CHECK (valid_until >= issue_date),
    CHECK ((status = 'draft') = (number IS NULL))
) STRICT;

CREATE INDEX quotes_customer ON quotes (customer_id);

CREATE TABLE quote_lines (
    id INTEGER PRIMARY KEY,
    quote_id INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL,
    unit_price_e4 INTEGER NOT NULL,
    discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    revenue_account TEXT NOT NULL REFERENCES accounts (code),
    net_minor INTEGER NOT NULL,
    tax_category TEXT CHECK (tax_category IN ('standard', 'reduced', 'zero', 'exempt')),
    tax_name TEXT NOT NULL DEFAULT '',
    exemption_reason TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    UNIQUE (quote_id, position)
) STRICT;

-- A sent quote is what the customer was offered: its lines never change.
CREATE TRIGGER quote_lines_fixed_once_sent BEFORE INSERT ON quote_lines
WHEN (SELECT status FROM quotes WHERE id = NEW.quote_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a sent quote cannot be changed'); END;
