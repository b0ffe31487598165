"""Idempotency keys in the service's own database (issue #21, item 8).

A POST with an ``Idempotency-Key`` runs in one *request transaction*
(:data:`request_session`): the caller's key row, the effect and its outbox rows commit
together or not at all, so a retry after a crash or a timeout finds either nothing (and
runs afresh) or the stored answer (and gets it again) — never a second prestatie.

Keys are scoped per caller (issuer, subject and organisation of the token): two partners'
keys never meet. While a request holds its key, a transaction-level advisory lock on the
(caller, key) pair says so; a second request with that key does not wait for it but answers
"in progress, retry". Rows expire (``expires_at``) and are purged in bounded batches.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from wijkwerk.db.ruw import RuwStatement

TABLE = "idempotency_keys"

IDEMPOTENCY_DDL = (
    f"""
    CREATE TABLE {TABLE} (
        caller       text NOT NULL,
        key          text NOT NULL,
        fingerprint  bytea NOT NULL,
        status       smallint NOT NULL,
        content_type text,
        body         bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        PRIMARY KEY (caller, key)
    )
    """,
    f"CREATE INDEX {TABLE}_expires_at ON {TABLE} (expires_at)",
)

# The advisory-lock namespace of idempotency keys: the two-int form, apart from the
# single-bigint locks other parts of a service take (relay leadership, worker locks).
LOCK_NAMESPACE = 0x1DE0

# The session of the request transaction, when the current request carries a key: a unit
# of work opened while it is set works inside it (see UnitOfWork.__aenter__).
request_session: contextvars.ContextVar[AsyncSession | None] = contextvars.ContextVar(
    "wijkwerk_request_session", default=None
)


def create_idempotency_table(op) -> None:  # alembic.op
    for statement in IDEMPOTENCY_DDL:
        op.execute(statement)


def drop_idempotency_table(op) -> None:
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: bytes
    status: int
    content_type: str | None
    body: bytes


# Every POST with a key runs these three (the registration's retry contract): raw asyncpg in
# the request transaction (wijkwerk.db.ruw), as the hot path's own statements. Two statements,
# not one, for the lock and the stored answer: a statement reads as of its start, so when the
# lock was just released by a holder that committed its answer, only a later statement sees it.
_LOCK = RuwStatement(text("SELECT pg_try_advisory_xact_lock(CAST(:ns AS integer), "
                          "hashtext(CAST(:caller AS text) || chr(31) || CAST(:key AS text)))"))
_STORED = RuwStatement(text(f"SELECT fingerprint, status, content_type, body FROM {TABLE} "
                            "WHERE caller = :caller AND key = :key AND expires_at > now()"))
_STORE = RuwStatement(text(
    f"INSERT INTO {TABLE} (caller, key, fingerprint, status, content_type, body, expires_at) "
    "VALUES (:caller, :key, :fingerprint, :status, :content_type, :body, now() + CAST(:ttl AS interval)) "
    "ON CONFLICT (caller, key) DO UPDATE SET fingerprint = excluded.fingerprint, "
    "status = excluded.status, content_type = excluded.content_type, body = excluded.body, "
    "created_at = now(), expires_at = excluded.expires_at"))


async def try_lock(session: AsyncSession, caller: str, key: str) -> bool:
    """Holds the (caller, key) pair for this transaction; False when another request does.
    A hash collision of two different keys only makes one of them retry."""
    row = await _LOCK.een(session, {"ns": LOCK_NAMESPACE, "caller": caller, "key": key})
    return row is not None and bool(next(iter(row)))


async def stored(session: AsyncSession, caller: str, key: str) -> StoredResponse | None:
    """The answer stored under the key, unless it has expired (an expired row not yet purged
    counts as absent and is overwritten)."""
    row = await _STORED.een(session, {"caller": caller, "key": key})
    return StoredResponse(bytes(row.fingerprint), row.status, row.content_type, bytes(row.body)) if row else None


async def store(
    session: AsyncSession, caller: str, key: str, response: StoredResponse, ttl: timedelta
) -> None:
    await _STORE.voer_uit(session, {
        "caller": caller, "key": key, "fingerprint": response.fingerprint, "status": response.status,
        "content_type": response.content_type, "body": response.body, "ttl": ttl})


async def purge_expired(engine: AsyncEngine, *, batch: int = 5000, max_batches: int = 20) -> int:
    """Deletes expired keys, ``batch`` rows per transaction and at most ``max_batches`` per
    call: a backlog is worked off over several runs, never in one long lock."""
    deleted = 0
    for _ in range(max_batches):
        async with engine.begin() as conn:
            result = await conn.execute(
                text(f"DELETE FROM {TABLE} WHERE ctid = ANY(ARRAY("
                     f"SELECT ctid FROM {TABLE} WHERE expires_at <= now() LIMIT :batch FOR UPDATE SKIP LOCKED))"),
                {"batch": batch},
            )
        deleted += result.rowcount or 0
        if (result.rowcount or 0) < batch:
            break
    return deleted
