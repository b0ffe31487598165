"""a retention period for finished webhook deliveries (issue #23 item 6, ADR 0018)

Delivery attempts are append-only: the application role may only SELECT and INSERT them
(wijkwerk.db.rollen). The retention job deletes through ``wijkwerk_leveringen_opruimen``,
which runs with the owner's rights (SECURITY DEFINER, like the archive's partitions) and
deletes only finished deliveries (delivered or given up) past the period, with their
attempts; the trigger lets a DELETE through only inside that function (a transaction-local
setting it sets) and only for a finished delivery's attempt. A partial index finds the
finished deliveries by age without reading the pending ones.

Revision ID: 2026_12_06_h_bewaren_1
Revises: 2026_12_05_h_uitgaand_2
Create Date: 2026-12-03
"""

from alembic import op

revision = "2026_12_06_h_bewaren_1"
down_revision = "2026_12_05_h_uitgaand_2"
branch_labels = None
depends_on = None

_ALLEEN_TOEVOEGEN = """
    CREATE OR REPLACE FUNCTION leveringspogingen_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {uitzondering}
        RAISE EXCEPTION 'delivery attempts are append-only (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$
"""
_UITZONDERING = """
        IF TG_OP = 'DELETE' AND current_setting('wijkwerk.bewaartermijn', true) = 'opruimen'
           AND EXISTS (SELECT 1 FROM leveringen l WHERE l.id = OLD.levering_id AND l.status <> 'wachtend') THEN
            RETURN OLD;
        END IF;
"""


def upgrade() -> None:
    op.execute(_ALLEEN_TOEVOEGEN.format(uitzondering=_UITZONDERING))
    op.execute("CREATE INDEX leveringen_afgehandeld ON leveringen (aangemaakt_om) WHERE status <> 'wachtend'")
    op.execute("""
        CREATE FUNCTION wijkwerk_leveringen_opruimen(bewaar_dagen int, aantal int) RETURNS int
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE ids uuid[];
        BEGIN
            SELECT array_agg(id) INTO ids FROM (
                SELECT id FROM leveringen WHERE status <> 'wachtend'
                  AND aangemaakt_om < now() - make_interval(days => bewaar_dagen)
                ORDER BY aangemaakt_om LIMIT aantal FOR UPDATE SKIP LOCKED) te_oud;
            IF ids IS NULL THEN
                RETURN 0;
            END IF;
            PERFORM set_config('wijkwerk.bewaartermijn', 'opruimen', true);
            DELETE FROM leveringspogingen WHERE levering_id = ANY (ids);
            DELETE FROM leveringen WHERE id = ANY (ids);
            PERFORM set_config('wijkwerk.bewaartermijn', '', true);
            RETURN cardinality(ids);
        END $$
    """)


def downgrade() -> None:
    op.execute("DROP FUNCTION wijkwerk_leveringen_opruimen(int, int)")
    op.execute("DROP INDEX leveringen_afgehandeld")
    op.execute(_ALLEEN_TOEVOEGEN.format(uitzondering=""))
