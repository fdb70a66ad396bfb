-- Delivering invoices: private links a customer opens without signing in, the views of those
-- links, the SMTP account invoices are emailed from, and a log of every email sent or tried.

-- A link's token is stored as it is (not hashed) so the invoice page can show it again and an
-- email can carry it: it reveals only that invoice, which the database itself already holds.
CREATE TABLE invoice_links (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    token TEXT NOT NULL UNIQUE CHECK (length(token) >= 32),
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    revoked_at TEXT
) STRICT;

-- At most one live link per invoice.
CREATE UNIQUE INDEX invoice_links_live ON invoice_links (invoice_id) WHERE revoked_at IS NULL;

CREATE TABLE invoice_link_views (
    id INTEGER PRIMARY KEY,
    link_id INTEGER NOT NULL REFERENCES invoice_links (id),
    viewed_at TEXT NOT NULL
) STRICT;

CREATE INDEX invoice_link_views_link ON invoice_link_views (link_id, viewed_at);

-- One row: the account invoices are sent from. The password is kept so the server can sign in
-- to the mail server; it is never sent back to a browser.
CREATE TABLE email_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    host TEXT NOT NULL,
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    from_address TEXT NOT NULL,
    -- The address customers reach Settle at (https://invoices.example.com), for links in emails.
    site_address TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE invoice_deliveries (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    sent_by INTEGER REFERENCES users (id)
) STRICT;

CREATE INDEX invoice_deliveries_invoice ON invoice_deliveries (invoice_id, sent_at);
