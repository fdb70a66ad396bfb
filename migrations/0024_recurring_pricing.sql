-- Recurring templates keep the pricing of the invoice they were made from: tax-inclusive
-- prices, a document discount, and each line's unit and named tax rate as billed. Without
-- these a template could only repeat invoices priced without tax and with no discount.

ALTER TABLE recurring_invoices ADD COLUMN price_entry TEXT NOT NULL DEFAULT 'exclusive'
    CHECK (price_entry IN ('exclusive', 'inclusive'));
ALTER TABLE recurring_invoices ADD COLUMN discount_kind TEXT NOT NULL DEFAULT 'none'
    CHECK (discount_kind IN ('none', 'percent', 'amount'));
ALTER TABLE recurring_invoices ADD COLUMN discount_e4 INTEGER NOT NULL DEFAULT 0
    CHECK (discount_e4 >= 0);

ALTER TABLE recurring_lines ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE recurring_lines ADD COLUMN tax_category TEXT
    CHECK (tax_category IN ('standard', 'reduced', 'zero', 'exempt'));
ALTER TABLE recurring_lines ADD COLUMN tax_name TEXT NOT NULL DEFAULT '';
ALTER TABLE recurring_lines ADD COLUMN exemption_reason TEXT NOT NULL DEFAULT '';

-- The audit log records the new columns too.

DROP TRIGGER audit_recurring_invoices_insert;
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
            'resumed_on', NEW.resumed_on, 'price_entry', NEW.price_entry, 'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_recurring_invoices_update;
CREATE TRIGGER audit_recurring_invoices_update AFTER UPDATE ON recurring_invoices
WHEN json_object('name', OLD.name, 'customer_id', OLD.customer_id, 'frequency', OLD.frequency,
            'day_of_month', OLD.day_of_month, 'start_on', OLD.start_on,
            'end_on', OLD.end_on, 'terms_days', OLD.terms_days, 'currency', OLD.currency,
            'tax_rounding', OLD.tax_rounding, 'notes', OLD.notes,
            'auto_issue', OLD.auto_issue, 'paused_at', OLD.paused_at,
            'resumed_on', OLD.resumed_on, 'price_entry', OLD.price_entry, 'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4)
        IS NOT json_object('name', NEW.name, 'customer_id', NEW.customer_id, 'frequency', NEW.frequency,
            'day_of_month', NEW.day_of_month, 'start_on', NEW.start_on,
            'end_on', NEW.end_on, 'terms_days', NEW.terms_days, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'auto_issue', NEW.auto_issue, 'paused_at', NEW.paused_at,
            'resumed_on', NEW.resumed_on, 'price_entry', NEW.price_entry, 'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4)
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
            'resumed_on', OLD.resumed_on, 'price_entry', OLD.price_entry, 'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4),
        json_object('name', NEW.name, 'customer_id', NEW.customer_id, 'frequency', NEW.frequency,
            'day_of_month', NEW.day_of_month, 'start_on', NEW.start_on,
            'end_on', NEW.end_on, 'terms_days', NEW.terms_days, 'currency', NEW.currency,
            'tax_rounding', NEW.tax_rounding, 'notes', NEW.notes,
            'auto_issue', NEW.auto_issue, 'paused_at', NEW.paused_at,
            'resumed_on', NEW.resumed_on, 'price_entry', NEW.price_entry, 'discount_kind', NEW.discount_kind, 'discount_e4', NEW.discount_e4)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_recurring_invoices_delete;
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
            'resumed_on', OLD.resumed_on, 'price_entry', OLD.price_entry, 'discount_kind', OLD.discount_kind, 'discount_e4', OLD.discount_e4),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_recurring_lines_insert;
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
            'revenue_account', NEW.revenue_account, 'unit', NEW.unit, 'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name, 'exemption_reason', NEW.exemption_reason)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_recurring_lines_update;
CREATE TRIGGER audit_recurring_lines_update AFTER UPDATE ON recurring_lines
WHEN json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'unit', OLD.unit, 'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name, 'exemption_reason', OLD.exemption_reason)
        IS NOT json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'unit', NEW.unit, 'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name, 'exemption_reason', NEW.exemption_reason)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'recurring', NEW.recurring_id, NULL,
        'line changed',
        json_object('position', OLD.position, 'description', OLD.description,
            'quantity_e4', OLD.quantity_e4, 'unit_price_e4', OLD.unit_price_e4,
            'discount_bp', OLD.discount_bp, 'tax_rate_bp', OLD.tax_rate_bp,
            'revenue_account', OLD.revenue_account, 'unit', OLD.unit, 'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name, 'exemption_reason', OLD.exemption_reason),
        json_object('position', NEW.position, 'description', NEW.description,
            'quantity_e4', NEW.quantity_e4, 'unit_price_e4', NEW.unit_price_e4,
            'discount_bp', NEW.discount_bp, 'tax_rate_bp', NEW.tax_rate_bp,
            'revenue_account', NEW.revenue_account, 'unit', NEW.unit, 'tax_category', NEW.tax_category, 'tax_name', NEW.tax_name, 'exemption_reason', NEW.exemption_reason)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_recurring_lines_delete;
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
            'revenue_account', OLD.revenue_account, 'unit', OLD.unit, 'tax_category', OLD.tax_category, 'tax_name', OLD.tax_name, 'exemption_reason', OLD.exemption_reason),
        NULL
    FROM audit_actor WHERE recording = 1;
END;

