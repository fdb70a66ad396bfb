//! Group commit for payments. One writer records the payments that arrive together in a
//! single write transaction: a payment that is refused gets its own error and writes
//! nothing, while the others share one commit, and so one wait for the disk. Nobody is
//! answered before that commit has succeeded; if it fails, everybody in the batch gets an
//! error and nothing of the batch is saved.
//!
//! The batch is recorded by `store::payment_batch`, with the outcome of recording the
//! payments one after the other: a later payment in a batch sees the earlier ones, a repeated
//! idempotency key returns the first receipt, and allocations never exceed what is open.

use crate::api::types::PaymentReceipt;
use crate::store::audit::{declare, forget, Actor};
use crate::store::payment_batch::record_payments;
use crate::store::payments::{record_payment, NewPayment, PaymentError};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Notify};

/// The most payments one transaction takes; more wait for the next.
const MAX_BATCH: usize = 64;

/// The writer's page cache, at most (SQLite's default is 2 MiB).
const WRITER_CACHE_KIB: u32 = 32 * 1024;

type Reply = oneshot::Sender<Result<PaymentReceipt, PaymentError>>;

/// The handle requests use; cloning it shares the one writer.
#[derive(Clone)]
pub struct PaymentWriter {
    queue: mpsc::Sender<(NewPayment, Actor, Reply)>,
}

impl PaymentWriter {
    /// Starts the writer on a thread of its own, with its own single-threaded runtime and its
    /// own database connection, kept on one CPU together with the thread SQLite runs on
    /// (see `run`). It stops when the last handle is dropped.
    pub fn start(pool: SqlitePool) -> PaymentWriter {
        let (queue, incoming) = mpsc::channel(1024);
        let wal_grew = Arc::new(Notify::new());
        tokio::spawn(checkpoint_when_told(pool.clone(), wal_grew.clone()));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        match runtime {
            Ok(runtime) => {
                let spawned = std::thread::Builder::new()
                    .name("payment-writer".into())
                    .spawn(move || runtime.block_on(run(pool, incoming, wal_grew)));
                if let Err(e) = spawned {
                    panic!("cannot start the payment writer's thread: {e}");
                }
            }
            Err(e) => panic!("cannot start the payment writer's runtime: {e}"),
        }
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

/// A batch is some twenty statements awaited one after the other, and each is a
/// hand-over to the thread sqlx runs the connection on and back. On a task of the shared
/// runtime every hand-back waits behind the requests in flight; between threads on different
/// CPUs every hand-over wakes the other CPU, which on a virtual machine costs more than the
/// statement. So the writer has its own thread and its own connection, opened from this
/// thread after it is kept to the CPU it runs on: the connection's thread inherits that, and
/// the two take turns on one CPU (measured: about 1.4 instead of 1.9 ms of CPU a payment).
async fn run(
    pool: SqlitePool,
    mut incoming: mpsc::Receiver<(NewPayment, Actor, Reply)>,
    wal_grew: Arc<Notify>,
) {
    stay_on_this_cpu();
    let mut connection: Option<SqliteConnection> = None;
    while let Some(first) = incoming.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match incoming.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let payments: Vec<(&NewPayment, &Actor)> = batch.iter().map(|(p, a, _)| (p, a)).collect();
        let results = match own_connection(&pool, &mut connection).await {
            Ok(conn) => {
                let results = commit_batch(conn, &payments).await;
                // A failed batch may have left the connection unusable: open a new one next time.
                if results
                    .iter()
                    .any(|r| matches!(r, Err(PaymentError::Store(_))))
                {
                    connection = None;
                }
                results
            }
            Err(e) => payments
                .iter()
                .map(|_| Err(PaymentError::Store(anyhow::anyhow!("{e}"))))
                .collect(),
        };
        wal_grew.notify_one();
        for ((_, _, reply), result) in batch.into_iter().zip(results) {
            // A caller that went away meanwhile still has its payment recorded, as before.
            let _ = reply.send(result);
        }
    }
}

/// The writer's connection, opened with the pool's settings when there is none, but with a
/// larger page cache (the indexes a payment adds to are spread over a large file; each page
/// missing from the cache is a read from the operating system) and without checkpoints:
/// copying the write-ahead log into the database is left to `checkpoint_when_told`, off the
/// path every payment waits on.
async fn own_connection<'c>(
    pool: &SqlitePool,
    connection: &'c mut Option<SqliteConnection>,
) -> sqlx::Result<&'c mut SqliteConnection> {
    if connection.is_none() {
        let options = pool
            .connect_options()
            .as_ref()
            .clone()
            .pragma("cache_size", format!("-{WRITER_CACHE_KIB}"))
            .pragma("wal_autocheckpoint", "0");
        *connection = Some(SqliteConnection::connect_with(&options).await?);
    }
    match connection {
        Some(conn) => Ok(conn),
        None => Err(sqlx::Error::PoolClosed),
    }
}

/// Checkpoints the write-ahead log after the writer has committed, on a connection of the
/// pool: at most one at a time and, under a stream of payments, about five times a second.
/// A passive checkpoint never blocks the writer; what it cannot copy yet waits for the next.
async fn checkpoint_when_told(pool: SqlitePool, wal_grew: Arc<Notify>) {
    loop {
        wal_grew.notified().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(error = %e, "checkpointing the write-ahead log failed");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Keeps the calling thread, and threads it starts from now on, on the CPU it is running on.
/// Where that cannot be done the writer only runs a little slower.
fn stay_on_this_cpu() {
    #[cfg(target_os = "linux")]
    {
        use nix::sched::{sched_getcpu, sched_setaffinity, CpuSet};
        use nix::unistd::Pid;
        let mut set = CpuSet::new();
        let kept = sched_getcpu()
            .and_then(|cpu| set.set(cpu))
            .and_then(|()| sched_setaffinity(Pid::from_raw(0), &set));
        if let Err(e) = kept {
            tracing::debug!(error = %e, "the payment writer could not be kept on one CPU");
        }
    }
}

/// Records `payments` in one transaction, under each one's actor in the audit log; one
/// result each, in order. Only results of a committed transaction are `Ok`.
///
/// The payments of one actor are recorded together (`store::payment_batch`). Should the
/// database refuse that batch, it is rolled back and its payments are recorded one at a
/// time, each in its own savepoint, so one bad payment cannot fail the others.
pub async fn commit_batch(
    conn: &mut SqliteConnection,
    payments: &[(&NewPayment, &Actor)],
) -> Vec<Result<PaymentReceipt, PaymentError>> {
    let failed_all = |why: &dyn std::fmt::Display| -> Vec<Result<PaymentReceipt, PaymentError>> {
        payments
            .iter()
            .map(|_| Err(PaymentError::Store(anyhow::anyhow!("{why}"))))
            .collect()
    };
    // As `store::begin_write`: the write lock from the start, and the actor forgotten
    // before the commit.
    let mut tx = match conn.begin_with("BEGIN IMMEDIATE").await {
        Ok(tx) => tx,
        Err(e) => return failed_all(&e),
    };
    let mut results = Vec::with_capacity(payments.len());
    for run in payments.chunk_by(|(_, a), (_, b)| a == b) {
        let actor = run[0].1;
        let run: Vec<&NewPayment> = run.iter().map(|(payment, _)| *payment).collect();
        match record_run(&mut tx, actor, &run).await {
            Ok(recorded) => results.extend(recorded),
            Err(e) => return failed_all(&e),
        }
    }
    if let Err(e) = forget(&mut tx).await {
        return failed_all(&e);
    }
    match tx.commit().await {
        Ok(()) => results,
        Err(e) => failed_all(&e),
    }
}

/// One actor's payments: together, or one by one if the database refuses them together.
/// `Err` when even that cannot be done (the whole transaction is then lost).
async fn record_run(
    conn: &mut SqliteConnection,
    actor: &Actor,
    run: &[&NewPayment],
) -> sqlx::Result<Vec<Result<PaymentReceipt, PaymentError>>> {
    declare(&mut *conn, actor).await?;
    sqlx::query("SAVEPOINT payments")
        .execute(&mut *conn)
        .await?;
    match record_payments(&mut *conn, run).await {
        Ok(results) => {
            sqlx::query("RELEASE payments").execute(&mut *conn).await?;
            return Ok(results);
        }
        Err(e) => {
            tracing::warn!(error = %e, payments = run.len(), "recording payments together failed; recording them one by one");
            sqlx::query("ROLLBACK TO payments")
                .execute(&mut *conn)
                .await?;
            sqlx::query("RELEASE payments").execute(&mut *conn).await?;
        }
    }
    let mut results = Vec::with_capacity(run.len());
    for payment in run {
        sqlx::query("SAVEPOINT payment").execute(&mut *conn).await?;
        let result = record_payment(&mut *conn, payment).await;
        if result.is_err() {
            sqlx::query("ROLLBACK TO payment")
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query("RELEASE payment").execute(&mut *conn).await?;
        results.push(result);
    }
    Ok(results)
}
