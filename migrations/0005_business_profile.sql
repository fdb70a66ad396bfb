-- The business as its documents present it: legal details, where to pay, a footer and a
-- logo. `profile_version` goes up with every save, so a settings page open in two tabs
-- cannot silently overwrite the other's changes.
ALTER TABLE business ADD COLUMN legal_name TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN registration_number TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN iban TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN bic TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN payment_note TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN invoice_footer TEXT NOT NULL DEFAULT '';
ALTER TABLE business ADD COLUMN logo BLOB CHECK (logo IS NULL OR length(logo) <= 1048576);
ALTER TABLE business ADD COLUMN logo_type TEXT
    CHECK (logo_type IS NULL OR logo_type IN ('image/png', 'image/jpeg'));
ALTER TABLE business ADD COLUMN profile_version INTEGER NOT NULL DEFAULT 1;
