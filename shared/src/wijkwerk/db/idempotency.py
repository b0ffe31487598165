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


async def try_lock(session: AsyncSession, caller: str, key: str) -> bool:
    """Holds the (caller, key) pair for this transaction; False when another request does.
    A hash collision of two different keys only makes one of them retry."""
    return bool(await session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:ns, hashtext(:caller || chr(31) || :key))"),
        {"ns": LOCK_NAMESPACE, "caller": caller, "key": key},
    ))


async def stored(session: AsyncSession, caller: str, key: str) -> StoredResponse | None:
    """The answer stored under the key, unless it has expired (an expired row not yet purged
    counts as absent and is overwritten)."""
    row = (await session.execute(
        text(f"SELECT fingerprint, status, content_type, body FROM {TABLE} "
             "WHERE caller = :caller AND key = :key AND expires_at > now()"),
        {"caller": caller, "key": key},
    )).first()
    return StoredResponse(bytes(row[0]), row[1], row[2], bytes(row[3])) if row else None


async def store(
    session: AsyncSession, caller: str, key: str, response: StoredResponse, ttl: timedelta
) -> None:
    await session.execute(
        text(f"INSERT INTO {TABLE} (caller, key, fingerprint, status, content_type, body, expires_at) "
             "VALUES (:caller, :key, :fingerprint, :status, :content_type, :body, now() + :ttl) "
             "ON CONFLICT (caller, key) DO UPDATE SET fingerprint = excluded.fingerprint, "
             "status = excluded.status, content_type = excluded.content_type, body = excluded.body, "
             "created_at = now(), expires_at = excluded.expires_at"),
        {"caller": caller, "key": key, "fingerprint": response.fingerprint, "status": response.status,
         "content_type": response.content_type, "body": response.body, "ttl": ttl},
    )


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
