-- The audit trail: who changed what, when, with the row before and after, in an append-only
-- log written by triggers inside the very transaction that makes the change. A change that
-- rolls back takes its record with it; a record cannot exist without its change.
--
-- "Who" comes from `audit_actor`, one row that every write transaction sets first
-- (`store::begin_write`) and resets before it commits. SQLite lets one writer in at a time,
-- so inside a write transaction that row names exactly the writer of that transaction.
-- `txn` numbers the write transactions, so the rows of one change can be shown together.
--
-- What is recorded: the documents and settings people create and change (see the triggers
-- below). What is not, and why, is listed in `store::audit::NOT_AUDITED`, which a test keeps
-- complete: journal postings, cash-basis twins and kept totals are derived from recorded
-- documents; lines of append-only documents (credit notes, expenses) never change after the
-- document's own record; sessions and idempotency records are plumbing.

CREATE TABLE audit_actor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    txn INTEGER NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    -- 0 only inside a bulk load that writes its own summary row (`settle demo --scale`).
    recording INTEGER NOT NULL DEFAULT 1 CHECK (recording IN (0, 1))
) STRICT;

INSERT INTO audit_actor (id, txn, user_id, actor, recording) VALUES (1, 0, NULL, 'unknown', 1);

CREATE TRIGGER audit_actor_no_delete BEFORE DELETE ON audit_actor
BEGIN SELECT RAISE(ABORT, 'the audit actor row cannot be deleted'); END;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    txn INTEGER NOT NULL,
    -- No foreign key: the log outlives whatever it names.
    user_id INTEGER,
    actor TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    -- What people call the thing: an invoice number, a customer's name, an account code.
    entity_ref TEXT,
    action TEXT NOT NULL,
    before TEXT,
    after TEXT
) STRICT;

CREATE INDEX audit_log_by_entity ON audit_log (entity_kind, entity_id, id);
-- People look documents up by number or name in any case.
CREATE INDEX audit_log_by_ref ON audit_log (entity_ref COLLATE NOCASE);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;

-- One trigger per audited table and kind of change. Updates that change nothing recorded
-- (a timestamp, a usage counter) write nothing. Lines are recorded under their document.

CREATE TRIGGER audit_business_update AFTER UPDATE ON business
WHEN json_object('name', OLD.name, 'base_currency', OLD.base_currency,
            'time_zone', OLD.time_zone, 'tax_rounding', OLD.tax_rounding,
            'lock_date', OLD.lock_date, 'legal_name', OLD.legal_name,
            'address', OLD.address, 'email', OLD.email, 'phone', OLD.phone,
            'tax_id', OLD.tax_id, 'registration_number', OLD.registration_number,
            'bank_name', OLD.bank_name, 'iban', OLD.iban, 'bic', OLD.bic,
            'payment_note', OLD.payment_note, 'invoice_footer', OLD.invoice_footer,
            'logo_type', OLD.logo_type, 'logo_bytes', length(OLD.logo))
        IS NOT json_object('name', NEW.name, 'base_currency', NEW.base_currency,
            'time_zone', NEW.time_zone, 'tax_rounding', NEW.tax_rounding,
            'lock_date', NEW.lock_date, 'legal_name', NEW.legal_name,
            'address', NEW.address, 'email', NEW.email, 'phone', NEW.phone,
            'tax_id', NEW.tax_id, 'registration_number', NEW.registration_number,
            'bank_name', NEW.bank_name, 'iban', NEW.iban, 'bic', NEW.bic,
            'payment_note', NEW.payment_note, 'invoice_footer', NEW.invoice_footer,
            'logo_type', NEW.logo_type, 'logo_bytes', length(NEW.logo))
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'business', NEW.id, NULL,
        'settings changed',
        json_object('name', OLD.name, 'base_currency', OLD.base_currency,
            'time_zone', OLD.time_zone, 'tax_rounding', OLD.tax_rounding,
            'lock_date', OLD.lock_date, 'legal_name', OLD.legal_name,
            'address', OLD.address, 'email', OLD.email, 'phone', OLD.phone,
            'tax_id', OLD.tax_id, 'registration_number', OLD.registration_number,
            'bank_name', OLD.bank_name, 'iban', OLD.iban, 'bic', OLD.bic,
            'payment_note', OLD.payment_note, 'invoice_footer', OLD.invoice_footer,
            'logo_type', OLD.logo_type, 'logo_bytes', length(OLD.logo)),
        json_object('name', NEW.name, 'base_currency', NEW.base_currency,
            'time_zone', NEW.time_zone, 'tax_rounding', NEW.tax_rounding,
            'lock_date', NEW.lock_date, 'legal_name', NEW.legal_name,
            'address', NEW.address, 'email', NEW.email, 'phone', NEW.phone,
            'tax_id', NEW.tax_id, 'registration_number', NEW.registration_number,
            'bank_name', NEW.bank_name, 'iban', NEW.iban, 'bic', NEW.bic,
            'payment_note', NEW.payment_note, 'invoice_footer', NEW.invoice_footer,
            'logo_type', NEW.logo_type, 'logo_bytes', length(NEW.logo))
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_users_insert AFTER INSERT ON users
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'user', NEW.id, NEW.email,
        'created',
        NULL,
        json_object('email', NEW.email, 'role', NEW.role, 'disabled_at', NEW.disabled_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_users_update AFTER UPDATE ON users
WHEN (json_object('email', OLD.email, 'role', OLD.role, 'disabled_at', OLD.disabled_at)
        IS NOT json_object('email', NEW.email, 'role', NEW.role, 'disabled_at', NEW.disabled_at)
        OR OLD.password_hash IS NOT NEW.password_hash)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'user', NEW.id, NEW.email,
        CASE WHEN OLD.password_hash IS NOT NEW.password_hash THEN 'password changed' WHEN NEW.disabled_at IS NOT NULL AND OLD.disabled_at IS NULL THEN 'disabled' ELSE 'changed' END,
        json_object('email', OLD.email, 'role', OLD.role, 'disabled_at', OLD.disabled_at),
        json_object('email', NEW.email, 'role', NEW.role, 'disabled_at', NEW.disabled_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_users_delete AFTER DELETE ON users
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'user', OLD.id, OLD.email,
        'deleted',
        json_object('email', OLD.email, 'role', OLD.role, 'disabled_at', OLD.disabled_at),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invitations_insert AFTER INSERT ON invitations
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invitation', NEW.rowid, NEW.email,
        'invited',
        NULL,
        json_object('email', NEW.email, 'role', NEW.role, 'invited_by', NEW.invited_by,
            'expires_at', NEW.expires_at, 'accepted_at', NEW.accepted_at,
            'revoked_at', NEW.revoked_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invitations_update AFTER UPDATE ON invitations
WHEN json_object('email', OLD.email, 'role', OLD.role, 'invited_by', OLD.invited_by,
            'expires_at', OLD.expires_at, 'accepted_at', OLD.accepted_at,
            'revoked_at', OLD.revoked_at)
        IS NOT json_object('email', NEW.email, 'role', NEW.role, 'invited_by', NEW.invited_by,
            'expires_at', NEW.expires_at, 'accepted_at', NEW.accepted_at,
            'revoked_at', NEW.revoked_at)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invitation', NEW.rowid, NEW.email,
        CASE WHEN NEW.accepted_at IS NOT NULL AND OLD.accepted_at IS NULL THEN 'accepted' WHEN NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN 'revoked' ELSE 'changed' END,
        json_object('email', OLD.email, 'role', OLD.role, 'invited_by', OLD.invited_by,
            'expires_at', OLD.expires_at, 'accepted_at', OLD.accepted_at,
            'revoked_at', OLD.revoked_at),
        json_object('email', NEW.email, 'role', NEW.role, 'invited_by', NEW.invited_by,
            'expires_at', NEW.expires_at, 'accepted_at', NEW.accepted_at,
            'revoked_at', NEW.revoked_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_customers_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_customers_update AFTER UPDATE ON customers
WHEN json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes)
        IS NOT json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', NEW.id, NEW.name,
        'edited',
        json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes),
        json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_customers_delete AFTER DELETE ON customers
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', OLD.id, OLD.name,
        'deleted',
        json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_vendors_insert AFTER INSERT ON vendors
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'vendor', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'email', NEW.email, 'tax_id', NEW.tax_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_vendors_update AFTER UPDATE ON vendors
WHEN json_object('name', OLD.name, 'email', OLD.email, 'tax_id', OLD.tax_id)
        IS NOT json_object('name', NEW.name, 'email', NEW.email, 'tax_id', NEW.tax_id)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'vendor', NEW.id, NEW.name,
        'edited',
        json_object('name', OLD.name, 'email', OLD.email, 'tax_id', OLD.tax_id),
        json_object('name', NEW.name, 'email', NEW.email, 'tax_id', NEW.tax_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_vendors_delete AFTER DELETE ON vendors
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'vendor', OLD.id, OLD.name,
        'deleted',
        json_object('name', OLD.name, 'email', OLD.email, 'tax_id', OLD.tax_id),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_accounts_insert AFTER INSERT ON accounts
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'account', NEW.rowid, NEW.code,
        'created',
        NULL,
        json_object('code', NEW.code, 'name', NEW.name, 'kind', NEW.kind,
            'parent_code', NEW.parent_code, 'archived', NEW.archived,
            'is_money', NEW.is_money)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_accounts_update AFTER UPDATE ON accounts
WHEN json_object('code', OLD.code, 'name', OLD.name, 'kind', OLD.kind,
            'parent_code', OLD.parent_code, 'archived', OLD.archived,
            'is_money', OLD.is_money)
        IS NOT json_object('code', NEW.code, 'name', NEW.name, 'kind', NEW.kind,
            'parent_code', NEW.parent_code, 'archived', NEW.archived,
            'is_money', NEW.is_money)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'account', NEW.rowid, NEW.code,
        'edited',
        json_object('code', OLD.code, 'name', OLD.name, 'kind', OLD.kind,
            'parent_code', OLD.parent_code, 'archived', OLD.archived,
            'is_money', OLD.is_money),
        json_object('code', NEW.code, 'name', NEW.name, 'kind', NEW.kind,
            'parent_code', NEW.parent_code, 'archived', NEW.archived,
            'is_money', NEW.is_money)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_accounts_delete AFTER DELETE ON accounts
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'account', OLD.rowid, OLD.code,
        'deleted',
        json_object('code', OLD.code, 'name', OLD.name, 'kind', OLD.kind,
            'parent_code', OLD.parent_code, 'archived', OLD.archived,
            'is_money', OLD.is_money),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_numbering_insert AFTER INSERT ON numbering
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'numbering', NEW.rowid, NEW.kind,
        'created',
        NULL,
        json_object('kind', NEW.kind, 'pattern', NEW.pattern)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_numbering_update AFTER UPDATE ON numbering
WHEN json_object('kind', OLD.kind, 'pattern', OLD.pattern)
        IS NOT json_object('kind', NEW.kind, 'pattern', NEW.pattern)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'numbering', NEW.rowid, NEW.kind,
        'edited',
        json_object('kind', OLD.kind, 'pattern', OLD.pattern),
        json_object('kind', NEW.kind, 'pattern', NEW.pattern)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoices_insert AFTER INSERT ON invoices
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.id, NEW.number,
        'created',
        NULL,
        json_object('customer_id', NEW.customer_id, 'lifecycle', NEW.lifecycle,
            'series', NEW.series, 'sequence', NEW.sequence, 'number', NEW.number,
            'issue_date', NEW.issue_date, 'due_date', NEW.due_date,
            'currency', NEW.currency, 'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'issue_entry_id', NEW.issue_entry_id,
            'void_entry_id', NEW.void_entry_id, 'billed_name', NEW.billed_name,
            'billed_address', NEW.billed_address, 'billed_email', NEW.billed_email,
            'billed_tax_id', NEW.billed_tax_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoices_update AFTER UPDATE ON invoices
WHEN json_object('customer_id', OLD.customer_id, 'lifecycle', OLD.lifecycle,
            'series', OLD.series, 'sequence', OLD.sequence, 'number', OLD.number,
            'issue_date', OLD.issue_date, 'due_date', OLD.due_date,
            'currency', OLD.currency, 'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'issue_entry_id', OLD.issue_entry_id,
            'void_entry_id', OLD.void_entry_id, 'billed_name', OLD.billed_name,
            'billed_address', OLD.billed_address, 'billed_email', OLD.billed_email,
            'billed_tax_id', OLD.billed_tax_id)
        IS NOT json_object('customer_id', NEW.customer_id, 'lifecycle', NEW.lifecycle,
            'series', NEW.series, 'sequence', NEW.sequence, 'number', NEW.number,
            'issue_date', NEW.issue_date, 'due_date', NEW.due_date,
            'currency', NEW.currency, 'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'issue_entry_id', NEW.issue_entry_id,
            'void_entry_id', NEW.void_entry_id, 'billed_name', NEW.billed_name,
            'billed_address', NEW.billed_address, 'billed_email', NEW.billed_email,
            'billed_tax_id', NEW.billed_tax_id)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.id, NEW.number,
        CASE WHEN OLD.lifecycle = 'draft' AND NEW.lifecycle = 'issued' THEN 'issued' WHEN NEW.lifecycle = 'void' AND OLD.lifecycle <> 'void' THEN 'voided' ELSE 'edited' END,
        json_object('customer_id', OLD.customer_id, 'lifecycle', OLD.lifecycle,
            'series', OLD.series, 'sequence', OLD.sequence, 'number', OLD.number,
            'issue_date', OLD.issue_date, 'due_date', OLD.due_date,
            'currency', OLD.currency, 'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'issue_entry_id', OLD.issue_entry_id,
            'void_entry_id', OLD.void_entry_id, 'billed_name', OLD.billed_name,
            'billed_address', OLD.billed_address, 'billed_email', OLD.billed_email,
            'billed_tax_id', OLD.billed_tax_id),
        json_object('customer_id', NEW.customer_id, 'lifecycle', NEW.lifecycle,
            'series', NEW.series, 'sequence', NEW.sequence, 'number', NEW.number,
            'issue_date', NEW.issue_date, 'due_date', NEW.due_date,
            'currency', NEW.currency, 'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'issue_entry_id', NEW.issue_entry_id,
            'void_entry_id', NEW.void_entry_id, 'billed_name', NEW.billed_name,
            'billed_address', NEW.billed_address, 'billed_email', NEW.billed_email,
            'billed_tax_id', NEW.billed_tax_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoices_delete AFTER DELETE ON invoices
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', OLD.id, OLD.number,
        'deleted',
        json_object('customer_id', OLD.customer_id, 'lifecycle', OLD.lifecycle,
            'series', OLD.series, 'sequence', OLD.sequence, 'number', OLD.number,
            'issue_date', OLD.issue_date, 'due_date', OLD.due_date,
            'currency', OLD.currency, 'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'issue_entry_id', OLD.issue_entry_id,
            'void_entry_id', OLD.void_entry_id, 'billed_name', OLD.billed_name,
            'billed_address', OLD.billed_address, 'billed_email', OLD.billed_email,
            'billed_tax_id', OLD.billed_tax_id),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoice_lines_insert AFTER INSERT ON invoice_lines
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        'line added',
        NULL,
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoice_lines_update AFTER UPDATE ON invoice_lines
WHEN json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor)
        IS NOT json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        'line changed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor),
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoice_lines_delete AFTER DELETE ON invoice_lines
WHEN EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', OLD.invoice_id, NULL,
        'line removed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_payments_insert AFTER INSERT ON payments
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'payment', NEW.id, NEW.reference,
        'recorded',
        NULL,
        json_object('customer_id', NEW.customer_id, 'received_on', NEW.received_on,
            'amount_minor', NEW.amount_minor, 'currency', NEW.currency,
            'method', NEW.method, 'reference', NEW.reference, 'entry_id', NEW.entry_id,
            'bank_account_id', NEW.bank_account_id, 'fee_minor', NEW.fee_minor,
            'fee_account', NEW.fee_account)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_allocations_insert AFTER INSERT ON allocations
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        'payment allocated',
        NULL,
        json_object('payment_id', NEW.payment_id, 'amount_minor', NEW.amount_minor,
            'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_payment_reversals_insert AFTER INSERT ON payment_reversals
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'payment', NEW.payment_id, NULL,
        CASE NEW.kind WHEN 'refund' THEN 'refunded' ELSE 'reversed' END,
        NULL,
        json_object('kind', NEW.kind, 'reversed_on', NEW.reversed_on, 'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_credit_refunds_insert AFTER INSERT ON credit_refunds
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'payment', NEW.payment_id, NULL,
        'credit refunded',
        NULL,
        json_object('amount_minor', NEW.amount_minor, 'refunded_on', NEW.refunded_on,
            'bank_account_id', NEW.bank_account_id, 'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_credit_notes_insert AFTER INSERT ON credit_notes
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'credit_note', NEW.id, NEW.number,
        'issued',
        NULL,
        json_object('invoice_id', NEW.invoice_id, 'customer_id', NEW.customer_id,
            'series', NEW.series, 'sequence', NEW.sequence, 'number', NEW.number,
            'date', NEW.date, 'reason', NEW.reason, 'currency', NEW.currency,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_write_offs_insert AFTER INSERT ON write_offs
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        'written off',
        NULL,
        json_object('date', NEW.date, 'reason', NEW.reason, 'amount_minor', NEW.amount_minor,
            'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_expenses_insert AFTER INSERT ON expenses
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'expense', NEW.id, NEW.reference,
        'recorded',
        NULL,
        json_object('kind', NEW.kind, 'vendor_id', NEW.vendor_id, 'date', NEW.date,
            'due_date', NEW.due_date, 'paid_from', NEW.paid_from,
            'reference', NEW.reference, 'memo', NEW.memo, 'currency', NEW.currency,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'receipt_id', NEW.receipt_id,
            'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_expense_voids_insert AFTER INSERT ON expense_voids
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'expense', NEW.expense_id, NULL,
        'voided',
        NULL,
        json_object('entry_id', NEW.entry_id, 'reason', NEW.reason)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bill_payments_insert AFTER INSERT ON bill_payments
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'expense', NEW.bill_id, NULL,
        'bill paid',
        NULL,
        json_object('paid_on', NEW.paid_on, 'paid_from', NEW.paid_from,
            'amount_minor', NEW.amount_minor, 'entry_id', NEW.entry_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_journal_entries_insert AFTER INSERT ON journal_entries
WHEN NEW.source IN ('journal', 'year_end_close')
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'journal_entry', NEW.id, NULL,
        'posted',
        NULL,
        json_object('date', NEW.date, 'memo', NEW.memo, 'currency', NEW.currency,
            'source', NEW.source, 'reverses', NEW.reverses)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_accounts_insert AFTER INSERT ON bank_accounts
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_account', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'account_code', NEW.account_code, 'iban', NEW.iban,
            'archived_at', NEW.archived_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_accounts_update AFTER UPDATE ON bank_accounts
WHEN json_object('name', OLD.name, 'account_code', OLD.account_code, 'iban', OLD.iban,
            'archived_at', OLD.archived_at)
        IS NOT json_object('name', NEW.name, 'account_code', NEW.account_code, 'iban', NEW.iban,
            'archived_at', NEW.archived_at)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_account', NEW.id, NEW.name,
        'edited',
        json_object('name', OLD.name, 'account_code', OLD.account_code, 'iban', OLD.iban,
            'archived_at', OLD.archived_at),
        json_object('name', NEW.name, 'account_code', NEW.account_code, 'iban', NEW.iban,
            'archived_at', NEW.archived_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_statements_insert AFTER INSERT ON bank_statements
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_statement', NEW.id, NEW.file_name,
        'imported',
        NULL,
        json_object('bank_account_id', NEW.bank_account_id, 'file_name', NEW.file_name,
            'format', NEW.format, 'imported_by', NEW.imported_by,
            'imported_at', NEW.imported_at, 'opening_minor', NEW.opening_minor,
            'closing_minor', NEW.closing_minor, 'closing_date', NEW.closing_date,
            'line_count', NEW.line_count)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_lines_update AFTER UPDATE ON bank_lines
WHEN json_object('bank_account_id', OLD.bank_account_id, 'statement_id', OLD.statement_id,
            'booking_date', OLD.booking_date, 'value_date', OLD.value_date,
            'amount_minor', OLD.amount_minor, 'description', OLD.description,
            'counterparty', OLD.counterparty, 'refs', OLD.refs, 'bank_id', OLD.bank_id,
            'state', OLD.state, 'payment_id', OLD.payment_id, 'entry_id', OLD.entry_id,
            'account_code', OLD.account_code, 'settled_at', OLD.settled_at,
            'reconciled_at', OLD.reconciled_at)
        IS NOT json_object('bank_account_id', NEW.bank_account_id, 'statement_id', NEW.statement_id,
            'booking_date', NEW.booking_date, 'value_date', NEW.value_date,
            'amount_minor', NEW.amount_minor, 'description', NEW.description,
            'counterparty', NEW.counterparty, 'refs', NEW.refs, 'bank_id', NEW.bank_id,
            'state', NEW.state, 'payment_id', NEW.payment_id, 'entry_id', NEW.entry_id,
            'account_code', NEW.account_code, 'settled_at', NEW.settled_at,
            'reconciled_at', NEW.reconciled_at)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_line', NEW.id, NULL,
        CASE WHEN NEW.reconciled_at IS NOT NULL AND OLD.reconciled_at IS NULL THEN 'reconciled' WHEN NEW.state <> OLD.state THEN NEW.state ELSE 'changed' END,
        json_object('bank_account_id', OLD.bank_account_id, 'statement_id', OLD.statement_id,
            'booking_date', OLD.booking_date, 'value_date', OLD.value_date,
            'amount_minor', OLD.amount_minor, 'description', OLD.description,
            'counterparty', OLD.counterparty, 'refs', OLD.refs, 'bank_id', OLD.bank_id,
            'state', OLD.state, 'payment_id', OLD.payment_id, 'entry_id', OLD.entry_id,
            'account_code', OLD.account_code, 'settled_at', OLD.settled_at,
            'reconciled_at', OLD.reconciled_at),
        json_object('bank_account_id', NEW.bank_account_id, 'statement_id', NEW.statement_id,
            'booking_date', NEW.booking_date, 'value_date', NEW.value_date,
            'amount_minor', NEW.amount_minor, 'description', NEW.description,
            'counterparty', NEW.counterparty, 'refs', NEW.refs, 'bank_id', NEW.bank_id,
            'state', NEW.state, 'payment_id', NEW.payment_id, 'entry_id', NEW.entry_id,
            'account_code', NEW.account_code, 'settled_at', NEW.settled_at,
            'reconciled_at', NEW.reconciled_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_rules_insert AFTER INSERT ON bank_rules
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_rule', NEW.id, NEW.pattern,
        'created',
        NULL,
        json_object('pattern', NEW.pattern, 'direction', NEW.direction,
            'account_code', NEW.account_code)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_rules_update AFTER UPDATE ON bank_rules
WHEN json_object('pattern', OLD.pattern, 'direction', OLD.direction,
            'account_code', OLD.account_code)
        IS NOT json_object('pattern', NEW.pattern, 'direction', NEW.direction,
            'account_code', NEW.account_code)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_rule', NEW.id, NEW.pattern,
        'edited',
        json_object('pattern', OLD.pattern, 'direction', OLD.direction,
            'account_code', OLD.account_code),
        json_object('pattern', NEW.pattern, 'direction', NEW.direction,
            'account_code', NEW.account_code)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_bank_rules_delete AFTER DELETE ON bank_rules
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'bank_rule', OLD.id, OLD.pattern,
        'deleted',
        json_object('pattern', OLD.pattern, 'direction', OLD.direction,
            'account_code', OLD.account_code),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_recurring_invoices_insert AFTER INSERT ON recurring_invoices
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'customer_id', NEW.customer_id, 'frequency', NEW.frequency,
            'day_of_month', NEW.day_of_month, 'start_on', NEW.start_on,
            'end_on', NEW.end_on, 'terms_days', NEW.terms_days, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'auto_issue', NEW.auto_issue, 'paused_at', NEW.paused_at,
            'resumed_on', NEW.resumed_on)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_recurring_invoices_update AFTER UPDATE ON recurring_invoices
WHEN json_object('name', OLD.name, 'customer_id', OLD.customer_id, 'frequency', OLD.frequency,
            'day_of_month', OLD.day_of_month, 'start_on', OLD.start_on,
            'end_on', OLD.end_on, 'terms_days', OLD.terms_days, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'auto_issue', OLD.auto_issue, 'paused_at', OLD.paused_at,
            'resumed_on', OLD.resumed_on)
        IS NOT json_object('name', NEW.name, 'customer_id', NEW.customer_id, 'frequency', NEW.frequency,
            'day_of_month', NEW.day_of_month, 'start_on', NEW.start_on,
            'end_on', NEW.end_on, 'terms_days', NEW.terms_days, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'auto_issue', NEW.auto_issue, 'paused_at', NEW.paused_at,
            'resumed_on', NEW.resumed_on)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', NEW.id, NEW.name,
        CASE WHEN NEW.paused_at IS NOT NULL AND OLD.paused_at IS NULL THEN 'paused' WHEN NEW.paused_at IS NULL AND OLD.paused_at IS NOT NULL THEN 'resumed' ELSE 'edited' END,
        json_object('name', OLD.name, 'customer_id', OLD.customer_id, 'frequency', OLD.frequency,
            'day_of_month', OLD.day_of_month, 'start_on', OLD.start_on,
            'end_on', OLD.end_on, 'terms_days', OLD.terms_days, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'auto_issue', OLD.auto_issue, 'paused_at', OLD.paused_at,
            'resumed_on', OLD.resumed_on),
        json_object('name', NEW.name, 'customer_id', NEW.customer_id, 'frequency', NEW.frequency,
            'day_of_month', NEW.day_of_month, 'start_on', NEW.start_on,
            'end_on', NEW.end_on, 'terms_days', NEW.terms_days, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'auto_issue', NEW.auto_issue, 'paused_at', NEW.paused_at,
            'resumed_on', NEW.resumed_on)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_recurring_invoices_delete AFTER DELETE ON recurring_invoices
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', OLD.id, OLD.name,
        'deleted',
        json_object('name', OLD.name, 'customer_id', OLD.customer_id, 'frequency', OLD.frequency,
            'day_of_month', OLD.day_of_month, 'start_on', OLD.start_on,
            'end_on', OLD.end_on, 'terms_days', OLD.terms_days, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'auto_issue', OLD.auto_issue, 'paused_at', OLD.paused_at,
            'resumed_on', OLD.resumed_on),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_recurring_lines_insert AFTER INSERT ON recurring_lines
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', NEW.recurring_id, NULL,
        'line added',
        NULL,
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_recurring_lines_update AFTER UPDATE ON recurring_lines
WHEN json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account)
        IS NOT json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', NEW.recurring_id, NULL,
        'line changed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account),
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_recurring_lines_delete AFTER DELETE ON recurring_lines
WHEN EXISTS (SELECT 1 FROM recurring_invoices WHERE id = OLD.recurring_id)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', OLD.recurring_id, NULL,
        'line removed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

