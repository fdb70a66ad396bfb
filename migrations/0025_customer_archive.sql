-- Customers are archived rather than deleted once they have documents: an archived customer
-- is left out of the customer list and the pickers and cannot be put on a new document, while
-- everything already naming them stays as it is. A customer without documents can be deleted.

ALTER TABLE customers ADD COLUMN archived_at TEXT;

-- The audit log records archiving and restoring as such.

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
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes, 'payment_reference', NEW.payment_reference,
            'archived_at', NEW.archived_at)
    FROM audit_actor WHERE recording = 1;
END;

DROP TRIGGER audit_customers_update;
CREATE TRIGGER audit_customers_update AFTER UPDATE ON customers
WHEN json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes, 'payment_reference', OLD.payment_reference,
            'archived_at', OLD.archived_at)
        IS NOT json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes, 'payment_reference', NEW.payment_reference,
            'archived_at', NEW.archived_at)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'customer', NEW.id, NEW.name,
        CASE WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN 'archived'
            WHEN NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN 'restored'
            ELSE 'edited' END,
        json_object('name', OLD.name, 'email', OLD.email, 'billing_address', OLD.billing_address,
            'tax_id', OLD.tax_id, 'currency', OLD.currency,
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes, 'payment_reference', OLD.payment_reference,
            'archived_at', OLD.archived_at),
        json_object('name', NEW.name, 'email', NEW.email, 'billing_address', NEW.billing_address,
            'tax_id', NEW.tax_id, 'currency', NEW.currency,
            'payment_terms_days', NEW.payment_terms_days, 'notes', NEW.notes, 'payment_reference', NEW.payment_reference,
            'archived_at', NEW.archived_at)
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
            'payment_terms_days', OLD.payment_terms_days, 'notes', OLD.notes, 'payment_reference', OLD.payment_reference,
            'archived_at', OLD.archived_at),
        NULL
    FROM audit_actor WHERE recording = 1;
END;
