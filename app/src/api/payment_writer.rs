//! Group commit for payments. One writer task records the payments that arrive together in a
//! single write transaction, each inside its own savepoint: a payment that is refused (or
//! fails) is rolled back alone and its caller gets its own error, while the others share one
//! commit, and so one wait for the disk. Nobody is answered before that commit has succeeded;
//! if it fails, everybody in the batch gets an error and nothing of the batch is saved.
//!
//! Each payment still runs the very same `store::payments::record_payment` one after the
//! other, so a later payment in a batch sees the earlier ones: a repeated idempotency key
//! returns the first receipt, and allocations never exceed what is open.

use crate::api::types::PaymentReceipt;
use crate::store::audit::{declare, Actor};
use crate::store::payments::{record_payment, NewPayment, PaymentError};
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

/// The most payments one transaction takes; more wait for the next.
const MAX_BATCH: usize = 64;

type Reply = oneshot::Sender<Result<PaymentReceipt, PaymentError>>;

/// The handle requests use; cloning it shares the one writer.
#[derive(Clone)]
pub struct PaymentWriter {
    queue: mpsc::Sender<(NewPayment, Actor, Reply)>,
}

impl PaymentWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(pool: SqlitePool) -> PaymentWriter {
        let (queue, incoming) = mpsc::channel(1024);
        tokio::spawn(run(pool, incoming));
        PaymentWriter { queue }
    }

    /// Records one payment (see `store::payments::record_payment`) by `actor` once it is
    /// durably committed.
    pub async fn record(
        &self,
        payment: NewPayment,
        actor: Actor,
    ) -> Result<PaymentReceipt, PaymentError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((payment, actor, reply))
            .await
            .map_err(|_| PaymentError::Store(anyhow::anyhow!("the payment writer has stopped")))?;
        answer.await.map_err(|_| {
            PaymentError::Store(anyhow::anyhow!("the payment writer dropped the payment"))
        })?
    }
}

async fn run(pool: SqlitePool, mut incoming: mpsc::Receiver<(NewPayment, Actor, Reply)>) {
    while let Some(first) = incoming.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match incoming.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let payments: Vec<(&NewPayment, &Actor)> = batch.iter().map(|(p, a, _)| (p, a)).collect();
        let results = commit_batch(&pool, &payments).await;
        for ((_, _, reply), result) in batch.into_iter().zip(results) {
            // A caller that went away meanwhile still has its payment recorded, as before.
            let _ = reply.send(result);
        }
    }
}

/// Records `payments` in one transaction, each in its own savepoint and under its own actor
/// in the audit log; one result each, in order. Only results of a committed transaction are
/// `Ok`.
pub async fn commit_batch(
    pool: &SqlitePool,
    payments: &[(&NewPayment, &Actor)],
) -> Vec<Result<PaymentReceipt, PaymentError>> {
    let failed_all = |why: &dyn std::fmt::Display| -> Vec<Result<PaymentReceipt, PaymentError>> {
        payments
            .iter()
            .map(|_| Err(PaymentError::Store(anyhow::anyhow!("{why}"))))
            .collect()
    };
    let mut tx = match crate::store::begin_write(pool, &crate::store::audit::Actor::System).await {
        Ok(tx) => tx,
        Err(e) => return failed_all(&e),
    };
    let mut results = Vec::with_capacity(payments.len());
    for (payment, actor) in payments {
        if let Err(e) = sqlx::query("SAVEPOINT payment").execute(&mut *tx).await {
            return failed_all(&e);
        }
        if let Err(e) = declare(&mut tx, actor).await {
            return failed_all(&e);
        }
        let result = record_payment(&mut tx, payment).await;
        let end: &[&'static str] = if result.is_ok() {
            &["RELEASE payment"]
        } else {
            &["ROLLBACK TO payment", "RELEASE payment"]
        };
        for statement in end {
            if let Err(e) = sqlx::query(*statement).execute(&mut *tx).await {
                return failed_all(&e);
            }
        }
        results.push(result);
    }
    match tx.commit().await {
        Ok(()) => results,
        Err(e) => failed_all(&e),
    }
}
