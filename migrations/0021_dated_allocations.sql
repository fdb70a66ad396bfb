-- When each allocation settled its invoice and, if its payment was later reversed or refunded,
-- when it was released again. A payment's own allocations settle on the day it was received;
-- credit applied later settles on the day of its own entry. Reports of a past day or period
-- read this instead of `live_allocations`, so a reversal counts on its own day and never
-- rewrites a period that has already been reported.
CREATE VIEW dated_allocations AS
SELECT a.id, a.payment_id, a.invoice_id, a.amount_minor,
    COALESCE((SELECT j.date FROM journal_entries j WHERE j.id = a.entry_id), p.received_on) AS settled_on,
    r.reversed_on AS released_on
FROM allocations a
JOIN payments p ON p.id = a.payment_id
LEFT JOIN payment_reversals r ON r.payment_id = a.payment_id;

CREATE INDEX payment_reversals_reversed_on ON payment_reversals (reversed_on);

-- The reference a customer quotes when paying (a customer number, an account code): bank
-- lines that carry it are matched to that customer's invoices.
ALTER TABLE customers ADD COLUMN payment_reference TEXT NOT NULL DEFAULT '';
