-- Auditing for what came after the audit log (0018): the customer's payment reference, the
-- pricing of invoices and their lines, tax rates, items, quotes, private links and the mail
-- server settings, and the numbering table,
-- which 0020 rebuilt (dropping its audit triggers with it). Same shape as 0018: one row per
-- change, written in the change's own transaction, naming the actor of that transaction.

DROP TRIGGER audit_customers_insert;
CREATE TRIGGER audit_customers_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes, 'payment_reference', NEW.payment_reference)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_customers_update;
CREATE TRIGGER audit_customers_update AFTER UPDATE ON customers
WHEN json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes, 'payment_reference', OLD.payment_reference)
        IS NOT json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes, 'payment_reference', NEW.payment_reference)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', NEW.id, NEW.name,
        'edited',
        json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes, 'payment_reference', OLD.payment_reference),
        json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes, 'payment_reference', NEW.payment_reference)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_customers_delete;
CREATE TRIGGER audit_customers_delete AFTER DELETE ON customers
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', OLD.id, OLD.name,
        'deleted',
        json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes, 'payment_reference', OLD.payment_reference),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_invoices_insert;
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
            'billed_tax_id', NEW.billed_tax_id, 'price_entry', NEW.price_entry, 'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_invoices_update;
CREATE TRIGGER audit_invoices_update AFTER UPDATE ON invoices
WHEN json_object('customer_id', OLD.customer_id, 'lifecycle', OLD.lifecycle,
            'series', OLD.series, 'sequence', OLD.sequence, 'number', OLD.number,
            'issue_date', OLD.issue_date, 'due_date', OLD.due_date,
            'currency', OLD.currency, 'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'issue_entry_id', OLD.issue_entry_id,
            'void_entry_id', OLD.void_entry_id, 'billed_name', OLD.billed_name,
            'billed_address', OLD.billed_address, 'billed_email', OLD.billed_email,
            'billed_tax_id', OLD.billed_tax_id, 'price_entry', OLD.price_entry, 'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4)
        IS NOT json_object('customer_id', NEW.customer_id, 'lifecycle', NEW.lifecycle,
            'series', NEW.series, 'sequence', NEW.sequence, 'number', NEW.number,
            'issue_date', NEW.issue_date, 'due_date', NEW.due_date,
            'currency', NEW.currency, 'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'issue_entry_id', NEW.issue_entry_id,
            'void_entry_id', NEW.void_entry_id, 'billed_name', NEW.billed_name,
            'billed_address', NEW.billed_address, 'billed_email', NEW.billed_email,
            'billed_tax_id', NEW.billed_tax_id, 'price_entry', NEW.price_entry, 'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4)
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
            'billed_tax_id', OLD.billed_tax_id, 'price_entry', OLD.price_entry, 'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4),
        json_object('customer_id', NEW.customer_id, 'lifecycle', NEW.lifecycle,
            'series', NEW.series, 'sequence', NEW.sequence, 'number', NEW.number,
            'issue_date', NEW.issue_date, 'due_date', NEW.due_date,
            'currency', NEW.currency, 'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'issue_entry_id', NEW.issue_entry_id,
            'void_entry_id', NEW.void_entry_id, 'billed_name', NEW.billed_name,
            'billed_address', NEW.billed_address, 'billed_email', NEW.billed_email,
            'billed_tax_id', NEW.billed_tax_id, 'price_entry', NEW.price_entry, 'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_invoices_delete;
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
            'billed_tax_id', OLD.billed_tax_id, 'price_entry', OLD.price_entry, 'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_invoice_lines_insert;
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
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor, 'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name, 'exemption_reason', NEW.exemption_reason, 'unit', NEW.unit)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_invoice_lines_update;
CREATE TRIGGER audit_invoice_lines_update AFTER UPDATE ON invoice_lines
WHEN json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor, 'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name, 'exemption_reason', OLD.exemption_reason, 'unit', OLD.unit)
        IS NOT json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor, 'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name, 'exemption_reason', NEW.exemption_reason, 'unit', NEW.unit)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        'line changed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor, 'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name, 'exemption_reason', OLD.exemption_reason, 'unit', OLD.unit),
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor, 'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name, 'exemption_reason', NEW.exemption_reason, 'unit', NEW.unit)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_invoice_lines_delete;
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
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor, 'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name, 'exemption_reason', OLD.exemption_reason, 'unit', OLD.unit),
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

CREATE TRIGGER audit_tax_rates_insert AFTER INSERT ON tax_rates
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'tax_rate', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'rate_bp', NEW.rate_bp, 'category', NEW.category,
            'exemption_reason', NEW.exemption_reason, 'archived', NEW.archived)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_tax_rates_update AFTER UPDATE ON tax_rates
WHEN json_object('name', OLD.name, 'rate_bp', OLD.rate_bp, 'category', OLD.category,
            'exemption_reason', OLD.exemption_reason, 'archived', OLD.archived)
        IS NOT json_object('name', NEW.name, 'rate_bp', NEW.rate_bp, 'category', NEW.category,
            'exemption_reason', NEW.exemption_reason, 'archived', NEW.archived)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'tax_rate', NEW.id, NEW.name,
        'edited',
        json_object('name', OLD.name, 'rate_bp', OLD.rate_bp, 'category', OLD.category,
            'exemption_reason', OLD.exemption_reason, 'archived', OLD.archived),
        json_object('name', NEW.name, 'rate_bp', NEW.rate_bp, 'category', NEW.category,
            'exemption_reason', NEW.exemption_reason, 'archived', NEW.archived)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_tax_rates_delete AFTER DELETE ON tax_rates
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'tax_rate', OLD.id, OLD.name,
        'deleted',
        json_object('name', OLD.name, 'rate_bp', OLD.rate_bp, 'category', OLD.category,
            'exemption_reason', OLD.exemption_reason, 'archived', OLD.archived),
        NULL
    FROM audit_actor WHERE recording = 1;
END;


CREATE TRIGGER audit_items_insert AFTER INSERT ON items
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'item', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('name', NEW.name, 'description', NEW.description, 'unit', NEW.unit,
            'unit_price_e4', NEW.unit_price_e4, 'tax_rate_id', NEW.tax_rate_id,
            'revenue_account', NEW.revenue_account, 'archived', NEW.archived)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_items_update AFTER UPDATE ON items
WHEN json_object('name', OLD.name, 'description', OLD.description, 'unit', OLD.unit,
            'unit_price_e4', OLD.unit_price_e4, 'tax_rate_id', OLD.tax_rate_id,
            'revenue_account', OLD.revenue_account, 'archived', OLD.archived)
        IS NOT json_object('name', NEW.name, 'description', NEW.description, 'unit', NEW.unit,
            'unit_price_e4', NEW.unit_price_e4, 'tax_rate_id', NEW.tax_rate_id,
            'revenue_account', NEW.revenue_account, 'archived', NEW.archived)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'item', NEW.id, NEW.name,
        'edited',
        json_object('name', OLD.name, 'description', OLD.description, 'unit', OLD.unit,
            'unit_price_e4', OLD.unit_price_e4, 'tax_rate_id', OLD.tax_rate_id,
            'revenue_account', OLD.revenue_account, 'archived', OLD.archived),
        json_object('name', NEW.name, 'description', NEW.description, 'unit', NEW.unit,
            'unit_price_e4', NEW.unit_price_e4, 'tax_rate_id', NEW.tax_rate_id,
            'revenue_account', NEW.revenue_account, 'archived', NEW.archived)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_items_delete AFTER DELETE ON items
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'item', OLD.id, OLD.name,
        'deleted',
        json_object('name', OLD.name, 'description', OLD.description, 'unit', OLD.unit,
            'unit_price_e4', OLD.unit_price_e4, 'tax_rate_id', OLD.tax_rate_id,
            'revenue_account', OLD.revenue_account, 'archived', OLD.archived),
        NULL
    FROM audit_actor WHERE recording = 1;
END;


CREATE TRIGGER audit_quotes_insert AFTER INSERT ON quotes
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'quote', NEW.id, NEW.number,
        'created',
        NULL,
        json_object('customer_id', NEW.customer_id, 'status', NEW.status, 'series', NEW.series,
            'sequence', NEW.sequence, 'number', NEW.number, 'issue_date', NEW.issue_date,
            'valid_until', NEW.valid_until, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'price_entry', NEW.price_entry,
            'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4,
            'notes', NEW.notes, 'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'invoice_id', NEW.invoice_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_quotes_update AFTER UPDATE ON quotes
WHEN json_object('customer_id', OLD.customer_id, 'status', OLD.status, 'series', OLD.series,
            'sequence', OLD.sequence, 'number', OLD.number, 'issue_date', OLD.issue_date,
            'valid_until', OLD.valid_until, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'price_entry', OLD.price_entry,
            'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4,
            'notes', OLD.notes, 'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'invoice_id', OLD.invoice_id)
        IS NOT json_object('customer_id', NEW.customer_id, 'status', NEW.status, 'series', NEW.series,
            'sequence', NEW.sequence, 'number', NEW.number, 'issue_date', NEW.issue_date,
            'valid_until', NEW.valid_until, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'price_entry', NEW.price_entry,
            'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4,
            'notes', NEW.notes, 'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'invoice_id', NEW.invoice_id)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'quote', NEW.id, NEW.number,
        'edited',
        json_object('customer_id', OLD.customer_id, 'status', OLD.status, 'series', OLD.series,
            'sequence', OLD.sequence, 'number', OLD.number, 'issue_date', OLD.issue_date,
            'valid_until', OLD.valid_until, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'price_entry', OLD.price_entry,
            'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4,
            'notes', OLD.notes, 'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'invoice_id', OLD.invoice_id),
        json_object('customer_id', NEW.customer_id, 'status', NEW.status, 'series', NEW.series,
            'sequence', NEW.sequence, 'number', NEW.number, 'issue_date', NEW.issue_date,
            'valid_until', NEW.valid_until, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'price_entry', NEW.price_entry,
            'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4,
            'notes', NEW.notes, 'net_minor', NEW.net_minor, 'tax_minor', NEW.tax_minor,
            'total_minor', NEW.total_minor, 'invoice_id', NEW.invoice_id)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_quotes_delete AFTER DELETE ON quotes
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'quote', OLD.id, OLD.number,
        'deleted',
        json_object('customer_id', OLD.customer_id, 'status', OLD.status, 'series', OLD.series,
            'sequence', OLD.sequence, 'number', OLD.number, 'issue_date', OLD.issue_date,
            'valid_until', OLD.valid_until, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'price_entry', OLD.price_entry,
            'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4,
            'notes', OLD.notes, 'net_minor', OLD.net_minor, 'tax_minor', OLD.tax_minor,
            'total_minor', OLD.total_minor, 'invoice_id', OLD.invoice_id),
        NULL
    FROM audit_actor WHERE recording = 1;
END;


CREATE TRIGGER audit_quote_lines_insert AFTER INSERT ON quote_lines
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'quote', NEW.quote_id, NULL,
        'line added',
        NULL,
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor,
            'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name,
            'exemption_reason', NEW.exemption_reason, 'unit', NEW.unit)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_quote_lines_update AFTER UPDATE ON quote_lines
WHEN json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor,
            'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name,
            'exemption_reason', OLD.exemption_reason, 'unit', OLD.unit)
        IS NOT json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor,
            'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name,
            'exemption_reason', NEW.exemption_reason, 'unit', NEW.unit)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'quote', NEW.quote_id, NULL,
        'line changed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor,
            'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name,
            'exemption_reason', OLD.exemption_reason, 'unit', OLD.unit),
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'net_minor', NEW.net_minor,
            'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name,
            'exemption_reason', NEW.exemption_reason, 'unit', NEW.unit)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_quote_lines_delete AFTER DELETE ON quote_lines
WHEN EXISTS (SELECT 1 FROM quotes WHERE id = OLD.quote_id)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'quote', OLD.quote_id, NULL,
        'line removed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'net_minor', OLD.net_minor,
            'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name,
            'exemption_reason', OLD.exemption_reason, 'unit', OLD.unit),
        NULL
    FROM audit_actor WHERE recording = 1;
END;


-- Private links, under their invoice. The token itself is never copied into the log: the log
-- is readable by the bookkeeper, and the token opens the invoice to anyone.
CREATE TRIGGER audit_invoice_links_insert AFTER INSERT ON invoice_links
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        'private link created',
        NULL,
        json_object('invoice_id', NEW.invoice_id, 'created_by', NEW.created_by,
            'revoked_at', NEW.revoked_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_invoice_links_update AFTER UPDATE ON invoice_links
WHEN OLD.revoked_at IS NOT NEW.revoked_at OR OLD.invoice_id IS NOT NEW.invoice_id
    OR OLD.created_by IS NOT NEW.created_by
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'invoice', NEW.invoice_id, NULL,
        CASE WHEN NEW.revoked_at IS NOT NULL THEN 'private link revoked' ELSE 'private link changed' END,
        json_object('invoice_id', OLD.invoice_id, 'created_by', OLD.created_by,
            'revoked_at', OLD.revoked_at),
        json_object('invoice_id', NEW.invoice_id, 'created_by', NEW.created_by,
            'revoked_at', NEW.revoked_at)
    FROM audit_actor WHERE recording = 1;
END;

-- The mail server settings. The password is recorded only as set, replaced or none.
CREATE TRIGGER audit_email_settings_insert AFTER INSERT ON email_settings
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'email_settings', NEW.id, NEW.host,
        'created',
        NULL,
        json_object('host', NEW.host, 'port', NEW.port, 'security', NEW.security,
            'username', NEW.username, 'from_address', NEW.from_address,
            'site_address', NEW.site_address,
            'password', CASE WHEN NEW.password = '' THEN 'none' ELSE 'set' END)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_email_settings_update AFTER UPDATE ON email_settings
WHEN json_object('host', OLD.host, 'port', OLD.port, 'security', OLD.security,
            'username', OLD.username, 'from_address', OLD.from_address,
            'site_address', OLD.site_address)
        IS NOT json_object('host', NEW.host, 'port', NEW.port, 'security', NEW.security,
            'username', NEW.username, 'from_address', NEW.from_address,
            'site_address', NEW.site_address)
    OR OLD.password IS NOT NEW.password
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'email_settings', NEW.id, NEW.host,
        'edited',
        json_object('host', OLD.host, 'port', OLD.port, 'security', OLD.security,
            'username', OLD.username, 'from_address', OLD.from_address,
            'site_address', OLD.site_address,
            'password', CASE WHEN OLD.password = '' THEN 'none' ELSE 'set' END),
        json_object('host', NEW.host, 'port', NEW.port, 'security', NEW.security,
            'username', NEW.username, 'from_address', NEW.from_address,
            'site_address', NEW.site_address,
            'password', CASE WHEN NEW.password = '' THEN 'none'
                WHEN NEW.password IS OLD.password THEN 'set' ELSE 'replaced' END)
    FROM audit_actor WHERE recording = 1;
END;

