//! Backups. A backup is one SQLite file written with `VACUUM INTO`, which reads a single
//! snapshot, so it is consistent while the server keeps writing. It is written beside its
//! final name, checked (integrity and every bookkeeping invariant) and only then renamed into
//! place, so a backup file that exists is a good one. The server takes one a day and keeps
//! the newest few; `settle restore` puts one back and keeps the file it replaces.

use anyhow::{bail, Context};
use app::store;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a finished backup holds.
#[derive(Debug)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub entries: i64,
}

/// Writes a checked copy of the live database to `out`, which must not exist yet.
pub async fn backup_to(pool: &SqlitePool, out: &Path) -> anyhow::Result<BackupSummary> {
    if out.exists() {
        bail!("{} already exists; choose a new file name", out.display());
    }
    let partial = partial_path(out);
    let _ = std::fs::remove_file(&partial);
    let target = partial
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", partial.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(pool)
        .await
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let checked = verify(&partial).await;
    if let Err(error) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(error.context("the copy failed its checks and was removed"));
    }
    sync_file(&partial)?;
    std::fs::rename(&partial, out)
        .with_context(|| format!("cannot rename the backup to {}", out.display()))?;
    sync_parent(out);
    let entries = checked.unwrap_or_default();
    let bytes = std::fs::metadata(out)?.len();
    Ok(BackupSummary {
        path: out.to_path_buf(),
        bytes,
        entries,
    })
}

/// Checks a backup file without changing it: SQLite's integrity check and every bookkeeping
/// invariant `settle check` verifies. Returns the number of journal entries it holds.
pub async fn verify(path: &Path) -> anyhow::Result<i64> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .with_context(|| format!("cannot open {}", path.display()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a readable SQLite database", path.display()))?;
    if integrity != "ok" {
        bail!("{} is damaged: {integrity}", path.display());
    }
    let settle_tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('journal_entries', '_sqlx_migrations')",
    )
    .fetch_one(&mut conn)
    .await?;
    if settle_tables != 2 {
        bail!("{} is not a Settle database", path.display());
    }
    let problems = store::check::check_books(&mut conn).await?;
    if let Some(first) = problems.first() {
        bail!(
            "{} fails {} check(s), first: {first}",
            path.display(),
            problems.len()
        );
    }
    let entries = sqlx::query_scalar("SELECT COUNT(*) FROM journal_entries")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(entries)
}

/// Puts `backup` in place of the database at `db`, which no process may have open. The
/// replaced file (with any WAL beside it) is kept as `<db>.replaced-<time>`; returns that
/// path, if any.
pub async fn restore(backup: &Path, db: &Path) -> anyhow::Result<Option<PathBuf>> {
    verify(backup)
        .await
        .context("the backup cannot be restored")?;
    let kept = if db.exists() {
        ensure_unused(db).await?;
        let kept = sibling(db, &format!("replaced-{}", stamp(Utc::now())));
        std::fs::rename(db, &kept)
            .with_context(|| format!("cannot move {} aside", db.display()))?;
        // A WAL left beside the old file must not be replayed into the restored one.
        for suffix in ["-wal", "-shm", "-journal"] {
            let (from, to) = (with_suffix(db, suffix), with_suffix(&kept, suffix));
            if from.exists() {
                std::fs::rename(&from, &to)
                    .with_context(|| format!("cannot move {} aside", from.display()))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    let incoming = partial_path(db);
    std::fs::copy(backup, &incoming)
        .with_context(|| format!("cannot copy {} next to the database", backup.display()))?;
    sync_file(&incoming)?;
    std::fs::rename(&incoming, db)?;
    sync_parent(db);
    Ok(kept)
}

/// Refuses when another process (a running server) has the database open. Leaving WAL mode
/// needs sole access, so it fails with "busy" exactly then; it also folds the WAL into the
/// main file. A file too damaged to open is not in use by a working server, so it may be
/// replaced.
async fn ensure_unused(db: &Path) -> anyhow::Result<()> {
    let in_use = || {
        anyhow::anyhow!(
            "{} is in use (is the server running?); stop it before restoring",
            db.display()
        )
    };
    let opened = SqliteConnectOptions::new()
        .filename(db)
        .busy_timeout(Duration::ZERO)
        .connect()
        .await;
    let Ok(mut conn) = opened else {
        return Ok(());
    };
    let switched = sqlx::query_scalar::<_, String>("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    match switched {
        Ok(mode) if mode.eq_ignore_ascii_case("wal") => Err(in_use()),
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if is_busy(e.code().as_deref()) => Err(in_use()),
        Err(error) => {
            tracing::warn!(%error, db = %db.display(), "the database being replaced cannot be read");
            Ok(())
        }
    }
}

/// SQLITE_BUSY or SQLITE_LOCKED, in any of their extended forms.
fn is_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// Daily backups: where they go and how many are kept.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub dir: PathBuf,
    pub keep: usize,
    /// How often the server looks whether a day has passed since the newest backup.
    pub every: Duration,
}

/// The default backup folder: `<db file name>-backups` beside the database.
pub fn default_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push("-backups");
    db.with_file_name(name)
}

/// Runs for the life of the server: whenever the newest backup is a day old (or there is
/// none), takes one and drops the oldest beyond `keep`.
pub async fn run_daily(pool: SqlitePool, schedule: Schedule) {
    // The first look comes a few minutes after start (not at once: start-up stays quick, and
    // a server restarted in a loop does not copy the database each time).
    let mut wait = schedule.every.min(Duration::from_secs(300));
    loop {
        tokio::time::sleep(wait).await;
        wait = schedule.every;
        if let Err(error) = take_if_due(&pool, &schedule, Utc::now()).await {
            tracing::error!(error = format!("{error:#}"), dir = %schedule.dir.display(), "daily backup failed");
        }
    }
}

async fn take_if_due(
    pool: &SqlitePool,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&schedule.dir)
        .with_context(|| format!("cannot create {}", schedule.dir.display()))?;
    let existing = list_backups(&schedule.dir)?;
    if !is_due(existing.last().map(|(taken, _)| *taken), now) {
        return Ok(());
    }
    let out = schedule.dir.join(format!("settle-{}.sqlite", stamp(now)));
    let summary = backup_to(pool, &out).await?;
    tracing::info!(path = %summary.path.display(), bytes = summary.bytes, entries = summary.entries, "daily backup written");
    for (_, old) in excess(list_backups(&schedule.dir)?, schedule.keep) {
        std::fs::remove_file(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        tracing::info!(path = %old.display(), "old backup removed");
    }
    Ok(())
}

/// A backup is due when none exists or the newest is at least a day old (or from the future,
/// after the clock was set back).
pub fn is_due(newest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match newest {
        None => true,
        Some(taken) => now - taken >= chrono::Duration::days(1) || taken > now,
    }
}

/// The backups beyond the newest `keep`, oldest first.
pub fn excess<T>(
    mut oldest_first: Vec<(DateTime<Utc>, T)>,
    keep: usize,
) -> Vec<(DateTime<Utc>, T)> {
    let surplus = oldest_first.len().saturating_sub(keep);
    oldest_first.truncate(surplus);
    oldest_first
}

/// The daily backups in a folder, oldest first, by the time in their names.
fn list_backups(dir: &Path) -> anyhow::Result<Vec<(DateTime<Utc>, PathBuf)>> {
    let mut found = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let path = item?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(taken) = parse_name(name) {
            found.push((taken, path));
        }
    }
    found.sort();
    Ok(found)
}

fn parse_name(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix("settle-")?.strip_suffix(".sqlite")?;
    let naive = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ").ok()?;
    Some(naive.and_utc())
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `<path>.<suffix>` in the same folder.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

/// `<path><suffix>`, as SQLite names its WAL and shared-memory files.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn partial_path(path: &Path) -> PathBuf {
    sibling(path, "partial")
}

fn sync_file(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {} to disk", path.display()))
}

/// Makes a rename durable; best effort where directories cannot be opened.
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

/// Opens a database for the commands, refusing a path that does not exist (`open` would
/// otherwise create an empty one).
pub async fn open_existing(db: &Path) -> anyhow::Result<SqlitePool> {
    if !db.exists() {
        bail!("{} does not exist", db.display());
    }
    store::open(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_backup_is_due_after_a_day_or_when_none_exists() {
        let now = at("2026-12-04T12:00:00Z");

        assert!(is_due(None, now));
        assert!(!is_due(Some(at("2026-12-03T12:00:01Z")), now));
        assert!(is_due(Some(at("2026-12-03T12:00:00Z")), now));
        assert!(is_due(Some(at("2026-12-05T00:00:00Z")), now));
    }

    #[test]
    fn only_the_newest_are_kept() {
        let taken: Vec<(DateTime<Utc>, u8)> = (1..=5)
            .map(|d| (at(&format!("2026-12-0{d}T03:00:00Z")), d))
            .collect();

        let dropped: Vec<u8> = excess(taken.clone(), 3)
            .into_iter()
            .map(|(_, d)| d)
            .collect();

        assert_eq!(dropped, vec![1, 2]);
        assert!(excess(taken, 10).is_empty());
    }

    #[test]
    fn backup_names_carry_their_time_and_nothing_else_counts() {
        let taken = at("2026-12-04T03:04:05Z");

        assert_eq!(
            parse_name(&format!("settle-{}.sqlite", stamp(taken))),
            Some(taken)
        );
        assert_eq!(parse_name("settle-20261204T030405Z.sqlite.partial"), None);
        assert_eq!(parse_name("notes.txt"), None);
    }

    #[test]
    fn the_default_folder_sits_beside_the_database() {
        assert_eq!(
            default_dir(Path::new("/var/lib/settle/settle.sqlite")),
            PathBuf::from("/var/lib/settle/settle.sqlite-backups")
        );
    }
}
