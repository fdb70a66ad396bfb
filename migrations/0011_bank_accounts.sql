-- Bank accounts: each is one asset account in the ledger. The first one is the chart's
-- "1000 Bank" that every book already has; more are added by the owner (1001–1099).
-- All are kept in the business's base currency.

CREATE TABLE bank_accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 80),
    account_code TEXT NOT NULL UNIQUE REFERENCES accounts (code),
    iban TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    archived_at TEXT
) STRICT;

INSERT INTO bank_accounts (id, name, account_code, created_at)
VALUES (1, 'Bank', '1000', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- A bank account's ledger account is an asset and never changes.
CREATE TRIGGER bank_accounts_keep_ledger_account BEFORE UPDATE OF account_code ON bank_accounts
WHEN NEW.account_code <> OLD.account_code
BEGIN SELECT RAISE(ABORT, 'a bank account keeps its ledger account'); END;
CREATE TRIGGER bank_accounts_no_delete BEFORE DELETE ON bank_accounts
BEGIN SELECT RAISE(ABORT, 'bank accounts are archived, not deleted'); END;
