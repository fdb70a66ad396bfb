//! An invoice's history: what happened to it and who did it, oldest first.
//!
//! Two sources feed it, each a function returning typed items: the audit log (created, draft
//! edits) and the documents that changed the invoice's balance (issue, payments, reversals,
//! credit notes, write-off, void), which also exist for invoices older than the log. The
//! log names who did each of those where it recorded them. Another source (deliveries by
//! email, views of the private link) adds one more function and one more entry in `sources`.

use super::audit::{entity_log, LogRow};
use crate::domain::audit::{
    assemble_history, field_changes, FieldChange, HistoryEvent, HistoryItem,
};
use crate::domain::{Currency, InvoiceId, Money};
use sqlx::SqliteConnection;

/// The invoice's history, or `None` when there is no such invoice.
pub async fn invoice_history(
    conn: &mut SqliteConnection,
    id: InvoiceId,
) -> anyhow::Result<Option<Vec<HistoryItem>>> {
    let Some((currency, total_minor, created_at)) = sqlx::query_as::<_, (String, i64, String)>(
        "SELECT currency, total_minor, created_at FROM invoices WHERE id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let currency = Currency::parse(&currency)?;
    let sources = vec![
        from_log(conn, id, currency, created_at).await?,
        from_documents(conn, id, currency).await?,
        from_delivery(conn, id, currency).await?,
    ];
    Ok(Some(assemble_history(
        sources,
        Money::from_minor(total_minor, currency),
    )))
}

/// Creation and draft edits, one item per write transaction. An invoice made before the log
/// existed still shows when it was created, by nobody known.
async fn from_log(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    currency: Currency,
    created_at: String,
) -> anyhow::Result<Vec<HistoryItem>> {
    let rows = entity_log(conn, "invoice", id.0).await?;
    let mut items = Vec::new();
    let mut created = false;
    for group in rows.chunk_by(|a, b| a.txn == b.txn) {
        let first = &group[0];
        if group.iter().any(|r| r.action == "created") {
            created = true;
            let event = HistoryEvent::Created;
            items.push(HistoryItem::new(
                first.at.clone(),
                Some(first.actor.clone()),
                event,
                currency,
            ));
            continue;
        }
        let changes: Vec<FieldChange> = group.iter().flat_map(edit_changes).collect();
        if group
            .iter()
            .any(|r| r.action == "edited" || r.action.starts_with("line "))
        {
            let event = HistoryEvent::Edited { changes };
            items.push(HistoryItem::new(
                first.at.clone(),
                Some(first.actor.clone()),
                event,
                currency,
            ));
        }
    }
    if !created {
        items.insert(
            0,
            HistoryItem::new(created_at, None, HistoryEvent::Created, currency),
        );
    }
    Ok(items)
}

/// What a draft edit changed; a line's fields are named with the line's number.
fn edit_changes(row: &LogRow) -> Vec<FieldChange> {
    let parse = |json: &Option<String>| {
        json.as_deref()
            .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
    };
    let (before, after) = (parse(&row.before), parse(&row.after));
    let changes = field_changes(before.as_ref(), after.as_ref());
    if !row.action.starts_with("line ") {
        return if row.action == "edited" {
            changes
        } else {
            Vec::new()
        };
    }
    let position = after
        .as_ref()
        .or(before.as_ref())
        .and_then(|v| v.get("position"))
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    changes
        .into_iter()
        .filter(|c| c.field != "Position")
        .map(|c| FieldChange {
            field: format!("Line {}: {}", position + 1, c.field.to_lowercase()),
            ..c
        })
        .collect()
}

/// What changed the balance: kind, at, actor, document id, number, amount in minor units.
type DocumentRow = (String, String, Option<String>, i64, Option<String>, i64);

/// Issue, payments, reversals, credit notes, write-off and void, from the documents
/// themselves; who did each comes from the log when it recorded it.
async fn from_documents(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    currency: Currency,
) -> anyhow::Result<Vec<HistoryItem>> {
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT 'issued', e.created_at,
                (SELECT actor FROM audit_log WHERE entity_kind = 'invoice' AND entity_id = i.id
                    AND action = 'issued'), i.id, i.number, 0
            FROM invoices i JOIN journal_entries e ON e.id = i.issue_entry_id WHERE i.id = ?1
         UNION ALL
         SELECT 'voided', e.created_at,
                (SELECT actor FROM audit_log WHERE entity_kind = 'invoice' AND entity_id = i.id
                    AND action = 'voided'), i.id, NULL, 0
            FROM invoices i JOIN journal_entries e ON e.id = i.void_entry_id WHERE i.id = ?1
         UNION ALL
         SELECT 'paid', COALESCE(e.created_at, p.created_at),
                (SELECT actor FROM audit_log WHERE entity_kind = 'invoice' AND entity_id = ?1
                    AND action = 'payment allocated'
                    AND json_extract(after, '$.payment_id') = p.id ORDER BY id LIMIT 1),
                p.id, NULL, a.amount_minor
            FROM allocations a JOIN payments p ON p.id = a.payment_id
            LEFT JOIN journal_entries e ON e.id = a.entry_id WHERE a.invoice_id = ?1
         UNION ALL
         SELECT r.kind, r.created_at,
                (SELECT actor FROM audit_log WHERE entity_kind = 'payment'
                    AND entity_id = r.payment_id AND action IN ('reversed', 'refunded')),
                r.payment_id, NULL, SUM(a.amount_minor)
            FROM payment_reversals r JOIN allocations a ON a.payment_id = r.payment_id
            WHERE a.invoice_id = ?1 GROUP BY r.id
         UNION ALL
         SELECT 'credited', c.created_at,
                (SELECT actor FROM audit_log WHERE entity_kind = 'credit_note'
                    AND entity_id = c.id AND action = 'issued'), c.id, c.number, c.total_minor
            FROM credit_notes c WHERE c.invoice_id = ?1
         UNION ALL
         SELECT 'written off', w.created_at,
                (SELECT actor FROM audit_log WHERE entity_kind = 'invoice' AND entity_id = ?1
                    AND action = 'written off'), w.id, NULL, w.amount_minor
            FROM write_offs w WHERE w.invoice_id = ?1",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, at, actor, document, number, minor)| {
            let amount = Money::from_minor(minor, currency);
            let event = match kind.as_str() {
                "issued" => HistoryEvent::Issued {
                    number: number.unwrap_or_default(),
                },
                "voided" => HistoryEvent::Voided,
                "paid" => HistoryEvent::Paid {
                    payment_id: document,
                    amount,
                },
                "credited" => HistoryEvent::Credited {
                    credit_note_id: document,
                    number: number.unwrap_or_default(),
                    amount,
                },
                "written off" => HistoryEvent::WrittenOff { amount },
                refund_or_reversal => HistoryEvent::PaymentReversed {
                    payment_id: document,
                    amount,
                    refund: refund_or_reversal == "refund",
                },
            };
            HistoryItem::new(at, actor, event, currency)
        })
        .collect())
}

/// Emails sent (or tried) and the customer opening the private link: the first view of each
/// link, with how often it was opened.
async fn from_delivery(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    currency: Currency,
) -> anyhow::Result<Vec<HistoryItem>> {
    let rows: Vec<(String, String, Option<String>, String, String, i64)> = sqlx::query_as(
        "SELECT 'emailed', d.sent_at, u.email, d.recipient,
                CASE WHEN d.outcome = 'sent' THEN '' ELSE d.error END, 0
            FROM invoice_deliveries d LEFT JOIN users u ON u.id = d.sent_by
            WHERE d.invoice_id = ?1
         UNION ALL
         SELECT 'viewed', MIN(v.viewed_at), NULL, '', '', COUNT(*)
            FROM invoice_link_views v JOIN invoice_links l ON l.id = v.link_id
            WHERE l.invoice_id = ?1 GROUP BY l.id",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, at, actor, to, error, times)| {
            let event = match kind.as_str() {
                "emailed" => HistoryEvent::Emailed {
                    to,
                    error: (!error.is_empty()).then_some(error),
                },
                _ => HistoryEvent::Viewed { times },
            };
            let actor = actor.or_else(|| (kind == "viewed").then(|| "the customer".to_string()));
            HistoryItem::new(at, actor, event, currency)
        })
        .collect())
}
