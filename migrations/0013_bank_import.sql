-- Bank statement import: the files imported, each line of them (recognised by its fingerprint
-- within its bank account, so importing the same export again adds nothing), what became of
-- each line, the CSV column mapping saved per bank account and the rules learnt from booking
-- lines ("text contains X -> account Y").

CREATE TABLE bank_statements (
    id INTEGER PRIMARY KEY,
    bank_account_id INTEGER NOT NULL REFERENCES bank_accounts (id),
    file_name TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('csv', 'ofx', 'camt053', 'mt940')),
    sha256 TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    opening_minor INTEGER,
    closing_minor INTEGER,
    closing_date TEXT,
    line_count INTEGER NOT NULL CHECK (line_count >= 0)
) STRICT;

CREATE INDEX bank_statements_account ON bank_statements (bank_account_id, imported_at);

CREATE TABLE bank_lines (
    id INTEGER PRIMARY KEY,
    bank_account_id INTEGER NOT NULL REFERENCES bank_accounts (id),
    statement_id INTEGER NOT NULL REFERENCES bank_statements (id),
    booking_date TEXT NOT NULL,
    value_date TEXT,
    amount_minor INTEGER NOT NULL,
    description TEXT NOT NULL,
    counterparty TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '',
    bank_id TEXT,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'unmatched'
        CHECK (state IN ('unmatched', 'matched', 'booked', 'ignored')),
    payment_id INTEGER REFERENCES payments (id),
    entry_id INTEGER REFERENCES journal_entries (id),
    account_code TEXT REFERENCES accounts (code),
    settled_at TEXT,
    reconciled_at TEXT,
    UNIQUE (bank_account_id, fingerprint),
    CHECK (state <> 'matched' OR payment_id IS NOT NULL),
    CHECK (state <> 'booked' OR entry_id IS NOT NULL)
) STRICT;

CREATE INDEX bank_lines_state ON bank_lines (bank_account_id, state, booking_date);

-- A line that posted money (matched to a payment or booked) keeps what it posted: a correction
-- is a reversal of that payment or entry, never a silent edit. A reconciled line is locked.
CREATE TRIGGER bank_lines_posted_stay BEFORE UPDATE ON bank_lines
WHEN OLD.state IN ('matched', 'booked')
    AND (NEW.state <> OLD.state OR NEW.payment_id IS NOT OLD.payment_id
         OR NEW.entry_id IS NOT OLD.entry_id OR NEW.amount_minor <> OLD.amount_minor)
BEGIN SELECT RAISE(ABORT, 'a matched or booked bank line keeps what it posted'); END;

CREATE TRIGGER bank_lines_reconciled_locked BEFORE UPDATE ON bank_lines
WHEN OLD.reconciled_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a reconciled bank line is locked'); END;

CREATE TRIGGER bank_lines_fixed_money BEFORE UPDATE OF amount_minor, booking_date, fingerprint,
    bank_account_id ON bank_lines
WHEN NEW.amount_minor <> OLD.amount_minor OR NEW.booking_date <> OLD.booking_date
    OR NEW.fingerprint <> OLD.fingerprint OR NEW.bank_account_id <> OLD.bank_account_id
BEGIN SELECT RAISE(ABORT, 'an imported bank line is what the bank said'); END;

CREATE TRIGGER bank_lines_no_delete BEFORE DELETE ON bank_lines
BEGIN SELECT RAISE(ABORT, 'imported bank lines are ignored, not deleted'); END;

CREATE TRIGGER bank_statements_no_delete BEFORE DELETE ON bank_statements
BEGIN SELECT RAISE(ABORT, 'imported statements are kept'); END;

-- The CSV settings that read a bank account's exports, saved from the last preview.
CREATE TABLE bank_csv_profiles (
    bank_account_id INTEGER PRIMARY KEY REFERENCES bank_accounts (id),
    profile_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- "Text contains `pattern` -> book to `account_code`", learnt when the owner books a line.
CREATE TABLE bank_rules (
    id INTEGER PRIMARY KEY,
    pattern TEXT NOT NULL CHECK (length(trim(pattern)) BETWEEN 2 AND 80),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    account_code TEXT NOT NULL REFERENCES accounts (code),
    times_used INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    UNIQUE (pattern, direction)
) STRICT;
