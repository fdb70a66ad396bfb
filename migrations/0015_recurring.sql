-- Recurring invoices: a template (customer, lines, terms) and a schedule. The scheduler inside
-- the server makes each occurrence's invoice once: `recurring_runs` holds one row per
-- template and date, so catching up after downtime never makes one twice.

CREATE TABLE recurring_invoices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 120),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'yearly')),
    day_of_month INTEGER CHECK (day_of_month BETWEEN 1 AND 31),
    start_on TEXT NOT NULL,
    end_on TEXT,
    terms_days INTEGER NOT NULL CHECK (terms_days BETWEEN 0 AND 365),
    currency TEXT NOT NULL,
    tax_rounding TEXT NOT NULL CHECK (tax_rounding IN ('per_document', 'per_line')),
    notes TEXT NOT NULL DEFAULT '',
    auto_issue INTEGER NOT NULL CHECK (auto_issue IN (0, 1)),
    paused_at TEXT,
    -- Set when a paused template resumes: occurrences before this day were skipped on purpose.
    resumed_on TEXT,
    created_at TEXT NOT NULL,
    CHECK ((frequency = 'monthly') = (day_of_month IS NOT NULL)),
    CHECK (end_on IS NULL OR end_on >= start_on)
) STRICT;

CREATE TABLE recurring_lines (
    recurring_id INTEGER NOT NULL REFERENCES recurring_invoices (id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL,
    unit_price_e4 INTEGER NOT NULL,
    discount_bp INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    revenue_account TEXT NOT NULL REFERENCES accounts (code),
    PRIMARY KEY (recurring_id, position)
) STRICT;

-- One row per occurrence made. The invoice may be a draft the owner later deletes.
CREATE TABLE recurring_runs (
    id INTEGER PRIMARY KEY,
    recurring_id INTEGER NOT NULL REFERENCES recurring_invoices (id),
    run_on TEXT NOT NULL,
    invoice_id INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('issued', 'draft')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (recurring_id, run_on)
) STRICT;

CREATE INDEX recurring_invoices_customer ON recurring_invoices (customer_id);
CREATE INDEX recurring_runs_invoice ON recurring_runs (invoice_id);
