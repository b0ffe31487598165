"""The audit trail (issue #18): who changed what, and who read personal data.

One append-only ``audit`` table per service, written in the transaction of the change
itself by the unit of work (``wijkwerk.db.uow``), so a change without its record cannot
be committed:

- ``wijziging``: one row per event a command emits, with the principal that sent the
  command (``wijkwerk.actor``), the event's id and type, its aggregate and the dossier
  (``wijkwerker_id``) where the event has one. Events caused by consumed events carry the
  originating actor in their envelope instead; the row is in the service that took the
  command.
- ``inzage``: a read of an INSZ or bank details (toeleiding), with the dossier read.

The application's database role may only INSERT and SELECT here (``wijkwerk.db.rollen``);
the triggers below also stop the owner's own sessions from changing a row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from wijkwerk.events.envelope import Actor

WIJZIGING = "wijziging"
INZAGE = "inzage"

AUDIT_DDL = (
    """
    CREATE TABLE audit (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        op             timestamptz NOT NULL DEFAULT now(),
        soort          text NOT NULL CHECK (soort IN ('wijziging', 'inzage')),
        handeling      text NOT NULL,
        subject        text,
        org            text,
        org_type       text,
        wijkwerker_id  uuid,
        aggregate_id   text,
        event_id       uuid,
        correlation_id text
    )
    """,
    "CREATE INDEX audit_op ON audit (op, id)",
    "CREATE INDEX audit_wijkwerker ON audit (wijkwerker_id, op) WHERE wijkwerker_id IS NOT NULL",
    "CREATE INDEX audit_subject ON audit (subject, op)",
    """
    CREATE FUNCTION wijkwerk_audit_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER audit_alleen_toevoegen BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION wijkwerk_audit_onveranderlijk()
    """,
    """
    CREATE TRIGGER audit_niet_leeg BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION wijkwerk_audit_onveranderlijk()
    """,
    # The relay's housekeeping creates the archive's month partitions; with the owner split
    # from the application role (wijkwerk.db.rollen) only the owner may, so the function
    # runs with its owner's rights. It takes no input that reaches SQL but a month count.
    "ALTER FUNCTION wijkwerk_archief_partities(int) SECURITY DEFINER SET search_path = public, pg_temp",
)


def create_audit(op) -> None:  # alembic.op
    for statement in AUDIT_DDL:
        op.execute(statement)


def drop_audit(op) -> None:
    op.execute("ALTER FUNCTION wijkwerk_archief_partities(int) SECURITY INVOKER RESET search_path")
    op.execute("DROP TABLE IF EXISTS audit")
    op.execute("DROP FUNCTION IF EXISTS wijkwerk_audit_onveranderlijk()")


INSERT_AUDIT = text(
    "INSERT INTO audit (soort, handeling, subject, org, org_type, wijkwerker_id, aggregate_id, event_id, "
    "correlation_id) VALUES (:soort, :handeling, :subject, :org, :org_type, :wijkwerker_id, :aggregate_id, "
    ":event_id, :correlation_id)"
)


def rij(soort: str, handeling: str, actor: Actor | None, *, wijkwerker_id: object = None,
        aggregate_id: str | None = None, event_id: object = None, correlation_id: str | None = None) -> dict:
    return {
        "soort": soort, "handeling": handeling,
        "subject": actor.subject if actor else None, "org": actor.org if actor else None,
        "org_type": actor.org_type if actor else None,
        "wijkwerker_id": _uuid(wijkwerker_id), "aggregate_id": aggregate_id,
        "event_id": _uuid(event_id), "correlation_id": correlation_id,
    }


def _uuid(value: object) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None  # a key that is not a worker's id (an aggregate keyed otherwise)


@dataclass(frozen=True)
class Filter:
    wijkwerker_id: uuid.UUID | None = None
    subject: str | None = None
    soort: str | None = None
    van: datetime | None = None  # inclusive
    tot: datetime | None = None  # exclusive


async def zoek(session: AsyncSession, criteria: Filter, *, limit: int, offset: int) -> list[dict]:
    """Audit records, newest first."""
    voorwaarden, waarden = [], {"limit": limit, "offset": offset}
    for kolom, waarde, vergelijking in (
        ("wijkwerker_id", criteria.wijkwerker_id, "="), ("subject", criteria.subject, "="),
        ("soort", criteria.soort, "="), ("op", criteria.van, ">="), ("op", criteria.tot, "<"),
    ):
        if waarde is not None:
            naam = f"p{len(waarden)}"
            voorwaarden.append(f"{kolom} {vergelijking} :{naam}")
            waarden[naam] = waarde
    where = f"WHERE {' AND '.join(voorwaarden)}" if voorwaarden else ""
    rows = await session.execute(
        text(f"SELECT * FROM audit {where} ORDER BY op DESC, id DESC LIMIT :limit OFFSET :offset"), waarden)
    return [dict(r._mapping) for r in rows]
