-- A reversed or refunded payment no longer counts as collected on the dashboard, in the
-- month it was received (as the reports leave it out of that month too).

CREATE TRIGGER payment_reversals_totals AFTER INSERT ON payment_reversals
BEGIN
    UPDATE dashboard_months
    SET collected_minor = collected_minor - (SELECT amount_minor FROM payments WHERE id = NEW.payment_id)
    WHERE month = (SELECT substr(received_on, 1, 7) FROM payments WHERE id = NEW.payment_id);
END;

-- Reversals made before this trigger existed were still counted: take them out once.
UPDATE dashboard_months
SET collected_minor = collected_minor - (
    SELECT COALESCE(SUM(p.amount_minor), 0) FROM payment_reversals r JOIN payments p ON p.id = r.payment_id
    WHERE substr(p.received_on, 1, 7) = dashboard_months.month);
