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


# --- the event archive (issue #17, ADR 0004) -------------------------------------------
#
# Every outbox row is copied, in the inserting transaction, into ``gebeurtenissen``: the
# service's complete history of published events, kept for years (the outbox keeps rows
# only for the transport's retention). Month partitions on ``vastgelegd_op`` (UTC) are
# created ahead by the relay's housekeeping (``wijkwerk_archief_partities``); a default
# partition catches a row whose month has none yet, and the next housekeeping moves it.
# The archive is append-only: UPDATE, DELETE and TRUNCATE raise unless the maintenance
# function itself moves rows out of the default partition.
# ``archief_begin`` says whether the archive holds the service's first event: a replay
# refuses when it does not (an archive added after the outbox had purged rows).
# ``relay_rotatie`` records how far a relay had published when it rotated its topic on the
# embedded broker (``wijkwerk.messaging.rotatie``): a re-fill starts after it.
# ``consumer_geschiedenis`` records the consumers that caught up from the producers'
# archives once, when they were added (``InboxConsumer(geschiedenis=…)``).

ARCHIEF_DDL = (
    """
    CREATE TABLE gebeurtenissen (
        txid          xid8 NOT NULL,
        id            bigint NOT NULL,
        event_id      uuid NOT NULL,
        event_type    text NOT NULL,
        topic         text NOT NULL,
        key           text NOT NULL,
        value         bytea NOT NULL,
        vastgelegd_op timestamptz NOT NULL
    ) PARTITION BY RANGE (vastgelegd_op)
    """,
    "CREATE INDEX gebeurtenissen_volgorde ON gebeurtenissen (txid, id)",
    "CREATE TABLE gebeurtenissen_standaard PARTITION OF gebeurtenissen DEFAULT",
    """
    CREATE TABLE archief_begin (
        enkel      boolean PRIMARY KEY DEFAULT true CHECK (enkel),
        volledig   boolean NOT NULL,
        sinds      timestamptz NOT NULL DEFAULT now(),
        toelichting text NOT NULL
    )
    """,
    """
    CREATE TABLE relay_rotatie (
        topic    text PRIMARY KEY,
        txid     xid8 NOT NULL,
        id       bigint NOT NULL,
        op       timestamptz NOT NULL DEFAULT now(),
        keer     bigint NOT NULL DEFAULT 1
    )
    """,
    """
    CREATE TABLE consumer_geschiedenis (
        consumer     text PRIMARY KEY,
        ingehaald_op timestamptz NOT NULL DEFAULT now(),
        events       bigint NOT NULL
    )
    """,
    """
    CREATE FUNCTION wijkwerk_archiveer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO gebeurtenissen (txid, id, event_id, event_type, topic, key, value, vastgelegd_op)
        SELECT txid, id, event_id, event_type, topic, key, value, created_at FROM nieuw;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER outbox_archiveer AFTER INSERT ON outbox REFERENCING NEW TABLE AS nieuw
    FOR EACH STATEMENT EXECUTE FUNCTION wijkwerk_archiveer()
    """,
    """
    CREATE FUNCTION wijkwerk_archief_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('wijkwerk.archief_onderhoud', true) = 'aan' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        RAISE EXCEPTION 'the event archive is append-only (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER gebeurtenissen_onveranderlijk BEFORE UPDATE OR DELETE ON gebeurtenissen
    FOR EACH ROW EXECUTE FUNCTION wijkwerk_archief_onveranderlijk()
    """,
    """
    CREATE TRIGGER gebeurtenissen_niet_leeg BEFORE TRUNCATE ON gebeurtenissen
    FOR EACH STATEMENT EXECUTE FUNCTION wijkwerk_archief_onveranderlijk()
    """,
    """
    CREATE FUNCTION wijkwerk_archief_partities(maanden_vooruit int DEFAULT 2) RETURNS int
    LANGUAGE plpgsql AS $$
    DECLARE
        maand date;
        naam text;
        nieuw int := 0;
    BEGIN
        PERFORM set_config('wijkwerk.archief_onderhoud', 'aan', true);
        FOR maand IN
            SELECT generate_series(
                LEAST(date_trunc('month', now() AT TIME ZONE 'UTC'),
                      date_trunc('month', COALESCE((SELECT min(vastgelegd_op) FROM gebeurtenissen_standaard),
                                                   now()) AT TIME ZONE 'UTC')),
                date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => maanden_vooruit),
                interval '1 month')::date
        LOOP
            naam := format('gebeurtenissen_%s', to_char(maand, 'YYYY_MM'));
            CONTINUE WHEN to_regclass(naam) IS NOT NULL;
            EXECUTE format('CREATE TABLE %I (LIKE gebeurtenissen INCLUDING DEFAULTS)', naam);
            EXECUTE format(
                'WITH weg AS (DELETE FROM gebeurtenissen_standaard WHERE vastgelegd_op >= %L AND vastgelegd_op < %L '
                'RETURNING *) INSERT INTO %I SELECT * FROM weg',
                maand::timestamp AT TIME ZONE 'UTC', (maand + interval '1 month')::timestamp AT TIME ZONE 'UTC', naam);
            EXECUTE format('ALTER TABLE gebeurtenissen ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', naam,
                maand::timestamp AT TIME ZONE 'UTC', (maand + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            nieuw := nieuw + 1;
        END LOOP;
        PERFORM set_config('wijkwerk.archief_onderhoud', '', true);
        RETURN nieuw;
    END $$
    """,
)

# The outbox still holds every row it ever had when its first id is still there (or it is
# empty and its sequence was never used): then the archive, filled from it, is complete.
ARCHIEF_VULLEN = (
    """
    INSERT INTO gebeurtenissen (txid, id, event_id, event_type, topic, key, value, vastgelegd_op)
    SELECT txid, id, event_id, event_type, topic, key, value, created_at FROM outbox
    """,
    """
    INSERT INTO archief_begin (volledig, toelichting)
    SELECT volledig, CASE WHEN volledig THEN 'the archive holds every event since the first'
        ELSE 'the archive was added after the outbox had purged published rows: history before '
             || COALESCE((SELECT min(created_at)::text FROM outbox), 'now') || ' is not in it' END
    FROM (SELECT COALESCE((SELECT min(id) = 1 FROM outbox),
                          NOT (SELECT is_called FROM outbox_id_seq)) AS volledig) AS s
    """,
    "SELECT wijkwerk_archief_partities(2)",
)


def create_archief(op) -> None:  # alembic.op
    for statement in ARCHIEF_DDL + ARCHIEF_VULLEN:
        op.execute(statement)


def drop_archief(op) -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_archiveer ON outbox")
    op.execute("DROP TABLE IF EXISTS gebeurtenissen CASCADE")
    op.execute("DROP TABLE IF EXISTS archief_begin")
    op.execute("DROP TABLE IF EXISTS consumer_geschiedenis")
    op.execute("DROP TABLE IF EXISTS relay_rotatie")
    for function in ("wijkwerk_archiveer()", "wijkwerk_archief_onveranderlijk()", "wijkwerk_archief_partities(int)"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")


# --- the dead letters per consumer (issue #22, park and halt per key) -------------------
#
# An event a consumer cannot apply is parked here, in the consuming service's database,
# for that consumer (= its consumer group) only (``wijkwerk.messaging.parkeren``). A consumer
# that halts per key (the money streams) parks every later event of the same key behind it
# (``wachtend``) until an operator re-drives (``opnieuw``) or discards (``verworpen``) the
# parked one; then the consumer applies the key's rows in order. A row is never deleted:
# what was parked, why, and who resolved it stays.

GEPARKEERD_DDL = (
    """
    CREATE TABLE geparkeerd (
        id            bigserial PRIMARY KEY,
        consumer      text NOT NULL,
        sleutel       text NOT NULL,
        event_id      uuid,
        event_type    text,
        bron          text NOT NULL,
        waarde        bytea NOT NULL,
        fout          text,
        status        text NOT NULL DEFAULT 'geparkeerd'
                      CHECK (status IN ('geparkeerd', 'wachtend', 'opnieuw', 'toegepast', 'verworpen')),
        geparkeerd_op timestamptz NOT NULL DEFAULT now(),
        opgelost_op   timestamptz,
        opgelost_door text
    )
    """,
    "CREATE UNIQUE INDEX geparkeerd_event ON geparkeerd (consumer, event_id) WHERE event_id IS NOT NULL",
    "CREATE INDEX geparkeerd_open ON geparkeerd (consumer, sleutel, id) "
    "WHERE status IN ('geparkeerd', 'wachtend', 'opnieuw')",
)


def create_geparkeerd(op) -> None:
    for statement in GEPARKEERD_DDL:
        op.execute(statement)


def drop_geparkeerd(op) -> None:
    op.execute("DROP TABLE IF EXISTS geparkeerd")
