-- The cash-basis tax summary finds the bill payments of a period by their day.
CREATE INDEX bill_payments_paid_on ON bill_payments (paid_on, bill_id);
