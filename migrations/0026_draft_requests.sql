-- A draft invoice written on a device that was offline is sent again when the connection
-- returns, with the key the device gave it: a second arrival of the same key returns the
-- draft the first one made instead of making another.

ALTER TABLE invoices ADD COLUMN idempotency_key TEXT;

CREATE UNIQUE INDEX invoices_idempotency_key ON invoices (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
