-- Bookkeeping beyond invoices: the owner's own accounts, vendors, expenses and bills with
-- receipts, manual journal entries, a period lock, year-end close, and two derived tables
-- that make reports fast: per-account monthly balances and the cash-basis journal.

-- The chart of accounts grows: grouping under a parent, archiving instead of deleting, and a
-- flag for accounts money is paid from (bank, cash, card).
ALTER TABLE accounts ADD COLUMN parent_code TEXT REFERENCES accounts (code);
ALTER TABLE accounts ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
ALTER TABLE accounts ADD COLUMN is_money INTEGER NOT NULL DEFAULT 0 CHECK (is_money IN (0, 1));

UPDATE accounts SET is_money = 1 WHERE code = '1000';

INSERT INTO accounts (code, name, kind, is_money) VALUES
    ('1010', 'Cash', 'asset', 1),
    ('1500', 'Equipment', 'asset', 0),
    ('1510', 'Accumulated depreciation', 'asset', 0),
    ('2300', 'Credit card', 'liability', 1),
    ('3100', 'Owner drawings', 'equity', 0),
    ('5000', 'Cost of sales', 'expense', 0),
    ('6100', 'Office supplies', 'expense', 0),
    ('6200', 'Rent', 'expense', 0),
    ('6300', 'Software and subscriptions', 'expense', 0),
    ('6400', 'Travel', 'expense', 0),
    ('6500', 'Bank and card fees', 'expense', 0),
    ('6600', 'Professional fees', 'expense', 0),
    ('6700', 'Depreciation', 'expense', 0);

-- The books are locked up to and including lock_date: nothing can be posted on or before it.
ALTER TABLE business ADD COLUMN lock_date TEXT;

CREATE TRIGGER journal_entries_respect_lock BEFORE INSERT ON journal_entries
WHEN NEW.date <= (SELECT lock_date FROM business WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'the books are locked for this date'); END;

CREATE TABLE vendors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX vendors_name ON vendors (name COLLATE NOCASE);

-- The payables sub-ledger: postings to accounts payable carry their vendor.
ALTER TABLE postings ADD COLUMN vendor_id INTEGER REFERENCES vendors (id);
CREATE INDEX postings_vendor ON postings (vendor_id, account_code);

-- Receipt files are kept inside the database, so a backup of the one file keeps them too.
CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- An expense is paid at once from a money account; a bill is owed to the vendor (accounts
-- payable) until bill payments settle it.
CREATE TABLE expenses (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('expense', 'bill')),
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    date TEXT NOT NULL,
    due_date TEXT,
    paid_from TEXT REFERENCES accounts (code),
    reference TEXT NOT NULL DEFAULT '',
    memo TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    total_minor INTEGER NOT NULL CHECK (total_minor > 0),
    receipt_id INTEGER REFERENCES receipts (id),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'bill') = (due_date IS NOT NULL)),
    CHECK ((kind = 'expense') = (paid_from IS NOT NULL)),
    CHECK (due_date IS NULL OR due_date >= date),
    CHECK (total_minor = net_minor + tax_minor)
) STRICT;

CREATE INDEX expenses_vendor ON expenses (vendor_id);
CREATE INDEX expenses_date ON expenses (date);

CREATE TABLE expense_lines (
    id INTEGER PRIMARY KEY,
    expense_id INTEGER NOT NULL REFERENCES expenses (id),
    position INTEGER NOT NULL,
    account_code TEXT NOT NULL REFERENCES accounts (code),
    description TEXT NOT NULL DEFAULT '',
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    UNIQUE (expense_id, position)
) STRICT;

CREATE TABLE bill_payments (
    id INTEGER PRIMARY KEY,
    bill_id INTEGER NOT NULL REFERENCES expenses (id),
    paid_on TEXT NOT NULL,
    paid_from TEXT NOT NULL REFERENCES accounts (code),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX bill_payments_bill ON bill_payments (bill_id);

CREATE TRIGGER expenses_no_update BEFORE UPDATE ON expenses
BEGIN SELECT RAISE(ABORT, 'recorded expenses cannot be changed'); END;
CREATE TRIGGER expenses_no_delete BEFORE DELETE ON expenses
BEGIN SELECT RAISE(ABORT, 'recorded expenses cannot be deleted'); END;
CREATE TRIGGER expense_lines_no_update BEFORE UPDATE ON expense_lines
BEGIN SELECT RAISE(ABORT, 'recorded expenses cannot be changed'); END;
CREATE TRIGGER expense_lines_no_delete BEFORE DELETE ON expense_lines
BEGIN SELECT RAISE(ABORT, 'recorded expenses cannot be deleted'); END;
CREATE TRIGGER bill_payments_no_update BEFORE UPDATE ON bill_payments
BEGIN SELECT RAISE(ABORT, 'bill payments cannot be changed'); END;
CREATE TRIGGER bill_payments_no_delete BEFORE DELETE ON bill_payments
BEGIN SELECT RAISE(ABORT, 'bill payments cannot be deleted'); END;
CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts cannot be changed'); END;
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts cannot be deleted'); END;

-- Manual journal entries (opening balances, depreciation, drawings) and the year-end close
-- are ordinary journal entries with source 'journal' and 'year_end_close'. A reversed entry
-- is found by the `reverses` column of its reversal.
CREATE UNIQUE INDEX journal_entries_reversed_once ON journal_entries (reverses)
WHERE reverses IS NOT NULL;

-- The cash-basis journal, derived from the accrual one when money moves: a payment credits
-- the revenue and tax of the invoices it settles (in proportion) instead of receivables; a
-- bill payment debits the bill's expenses and input tax instead of payables; entries that
-- involve no receivable or payable are copied as they are. Append-only like the ledger.
CREATE TABLE cash_postings (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES journal_entries (id),
    date TEXT NOT NULL,
    account_code TEXT NOT NULL REFERENCES accounts (code),
    amount_minor INTEGER NOT NULL
) STRICT;

CREATE INDEX cash_postings_entry ON cash_postings (entry_id);
CREATE INDEX cash_postings_account_date ON cash_postings (account_code, date);
CREATE INDEX cash_postings_date ON cash_postings (date, account_code, amount_minor);

CREATE TRIGGER cash_postings_no_update BEFORE UPDATE ON cash_postings
BEGIN SELECT RAISE(ABORT, 'postings cannot be changed'); END;
CREATE TRIGGER cash_postings_no_delete BEFORE DELETE ON cash_postings
BEGIN SELECT RAISE(ABORT, 'postings cannot be deleted'); END;

-- Per account and month, the sum of postings (amount_minor) and the part of it that comes
-- from year-end closing entries (closing_minor), on each basis. Kept up to date by triggers in
-- the posting transaction, so a trial balance over millions of postings reads a few hundred
-- rows. Profit and loss for a period excludes closing entries; balances include them.
CREATE TABLE ledger_months (
    basis TEXT NOT NULL CHECK (basis IN ('accrual', 'cash')),
    account_code TEXT NOT NULL,
    month TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    closing_minor INTEGER NOT NULL,
    PRIMARY KEY (basis, account_code, month)
) STRICT, WITHOUT ROWID;

-- The date of a posting lives on its entry; a posting's own date column keeps date-range
-- scans of the ledger on one index.
ALTER TABLE postings ADD COLUMN date TEXT;
DROP TRIGGER postings_no_update;
UPDATE postings SET date = (SELECT date FROM journal_entries WHERE id = postings.entry_id);
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'postings cannot be changed'); END;
CREATE INDEX postings_account_date ON postings (account_code, date);
CREATE INDEX postings_date ON postings (date, account_code, amount_minor);

CREATE TRIGGER postings_date_from_entry AFTER INSERT ON postings
WHEN NEW.date IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a posting needs its entry''s date');
END;

CREATE TRIGGER postings_fill_months AFTER INSERT ON postings
BEGIN
    INSERT INTO ledger_months (basis, account_code, month, amount_minor, closing_minor)
    VALUES ('accrual', NEW.account_code, substr(NEW.date, 1, 7), NEW.amount_minor,
        CASE WHEN (SELECT source FROM journal_entries WHERE id = NEW.entry_id) = 'year_end_close'
            THEN NEW.amount_minor ELSE 0 END)
    ON CONFLICT (basis, account_code, month) DO UPDATE SET
        amount_minor = amount_minor + excluded.amount_minor,
        closing_minor = closing_minor + excluded.closing_minor;
END;

CREATE TRIGGER cash_postings_fill_months AFTER INSERT ON cash_postings
BEGIN
    INSERT INTO ledger_months (basis, account_code, month, amount_minor, closing_minor)
    VALUES ('cash', NEW.account_code, substr(NEW.date, 1, 7), NEW.amount_minor,
        CASE WHEN (SELECT source FROM journal_entries WHERE id = NEW.entry_id) = 'year_end_close'
            THEN NEW.amount_minor ELSE 0 END)
    ON CONFLICT (basis, account_code, month) DO UPDATE SET
        amount_minor = amount_minor + excluded.amount_minor,
        closing_minor = closing_minor + excluded.closing_minor;
END;

INSERT INTO ledger_months (basis, account_code, month, amount_minor, closing_minor)
SELECT 'accrual', p.account_code, substr(p.date, 1, 7), SUM(p.amount_minor), 0
FROM postings p GROUP BY p.account_code, substr(p.date, 1, 7);

-- Existing databases get their cash-basis journal derived by the server at start (see
-- store::cash_basis::rebuild_if_missing); this flag says whether that has happened.
ALTER TABLE business ADD COLUMN cash_basis_ready INTEGER NOT NULL DEFAULT 0;
