"""DDL of the outbox and inbox tables, called from each service's first migration.

The outbox's ``txid`` is the writing transaction's id (``xid8``): the relay publishes
only rows of transactions older than every running one, ordered by ``(txid, id)``,
so a row whose bigserial id was taken early but committed late is never skipped.

Inserting into the outbox notifies ``wijkwerk_outbox`` (a statement trigger; PostgreSQL
delivers it at commit, once per transaction): the relay listens and publishes at once
instead of polling the table.
"""

from __future__ import annotations

OUTBOX_DDL = (
    """
    CREATE TABLE outbox (
        id           bigserial PRIMARY KEY,
        txid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id     uuid NOT NULL UNIQUE,
        event_type   text NOT NULL,
        topic        text NOT NULL,
        key          text NOT NULL,
        value        bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
    )
    """,
    "CREATE INDEX outbox_unpublished ON outbox (txid, id) WHERE published_at IS NULL",
    "CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL",
)

OUTBOX_CHANNEL = "wijkwerk_outbox"
OUTBOX_NOTIFY_DDL = (
    f"""
    CREATE OR REPLACE FUNCTION wijkwerk_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{OUTBOX_CHANNEL}', '');
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION wijkwerk_outbox_notify()",
)

INBOX_DDL = (
    """
    CREATE TABLE inbox (
        consumer    text NOT NULL,
        event_id    uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
    )
    """,
    "CREATE INDEX inbox_received_at ON inbox (received_at)",
)


def create_messaging_tables(op) -> None:  # alembic.op
    for statement in OUTBOX_DDL + INBOX_DDL:
        op.execute(statement)


def create_outbox_notify(op) -> None:
    """Every service's migration after its first: the outbox notifies its relay."""
    for statement in OUTBOX_NOTIFY_DDL:
        op.execute(statement)


def drop_outbox_notify(op) -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox")
    op.execute("DROP FUNCTION IF EXISTS wijkwerk_outbox_notify()")


def drop_messaging_tables(op) -> None:
    op.execute("DROP TABLE IF EXISTS inbox")
    op.execute("DROP TABLE IF EXISTS outbox")
    op.execute("DROP FUNCTION IF EXISTS wijkwerk_outbox_notify()")
