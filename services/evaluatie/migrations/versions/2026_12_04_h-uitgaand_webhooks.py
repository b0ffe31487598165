"""outbound webhooks for partners: subscriptions, deliveries and their attempts (issue #23
item 6, ADR 0018)

Revision ID: 2026_12_05_h_uitgaand_1
Revises: 2026_12_04_h_consumenten_1
Create Date: 2026-12-03
"""

from alembic import op

revision = "2026_12_05_h_uitgaand_1"
down_revision = "2026_12_04_h_consumenten_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE abonnementen (
            id uuid PRIMARY KEY,
            eigenaar_type text NOT NULL,
            eigenaar_org text NOT NULL,        -- '' for a central caller without org
            aangemaakt_door text NOT NULL,
            url text NOT NULL,
            types text[] NOT NULL,
            organisator_id uuid,               -- NULL: every organiser (central callers only)
            geheim text NOT NULL,
            vorig_geheim text,
            vorig_geldig_tot timestamptz,
            aangemaakt_om timestamptz NOT NULL DEFAULT now(),
            opgezegd_om timestamptz
        )
    """)
    op.execute("CREATE INDEX abonnementen_eigenaar ON abonnementen (eigenaar_type, eigenaar_org)")
    op.execute("CREATE INDEX abonnementen_actief ON abonnementen USING gin (types) WHERE opgezegd_om IS NULL")
    op.execute("""
        CREATE TABLE leveringen (
            id uuid PRIMARY KEY,               -- webhook-id: the same on every attempt
            abonnement_id uuid NOT NULL REFERENCES abonnementen (id),
            event_id uuid NOT NULL,
            type text NOT NULL,
            body bytea NOT NULL,               -- the exact bytes signed, the same on every attempt
            status text NOT NULL DEFAULT 'wachtend' CHECK (status IN ('wachtend', 'geleverd', 'mislukt')),
            pogingen int NOT NULL DEFAULT 0,
            ronde_pogingen int NOT NULL DEFAULT 0,  -- attempts since creation or the last redelivery
            volgende_poging timestamptz NOT NULL DEFAULT now(),
            laatste_http_status int,
            laatste_fout text,
            aangemaakt_om timestamptz NOT NULL DEFAULT now(),
            laatste_poging_om timestamptz,
            geleverd_om timestamptz,
            UNIQUE (abonnement_id, event_id)
        )
    """)
    op.execute("CREATE INDEX leveringen_te_doen ON leveringen (volgende_poging) WHERE status = 'wachtend'")
    op.execute("CREATE INDEX leveringen_log ON leveringen (abonnement_id, aangemaakt_om DESC)")
    op.execute("""
        CREATE TABLE leveringspogingen (
            levering_id uuid NOT NULL REFERENCES leveringen (id),
            poging int NOT NULL,
            om timestamptz NOT NULL,
            http_status int,
            fout text,
            wacht_s double precision,          -- the back-off chosen after a failure
            PRIMARY KEY (levering_id, poging)
        )
    """)
    op.execute("""
        CREATE FUNCTION leveringspogingen_onveranderlijk() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'delivery attempts are append-only (% on %)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END $$
    """)
    op.execute("""
        CREATE TRIGGER leveringspogingen_alleen_toevoegen BEFORE UPDATE OR DELETE ON leveringspogingen
        FOR EACH ROW EXECUTE FUNCTION leveringspogingen_onveranderlijk()
    """)


def downgrade() -> None:
    op.execute("DROP TABLE leveringspogingen")
    op.execute("DROP FUNCTION leveringspogingen_onveranderlijk()")
    op.execute("DROP TABLE leveringen")
    op.execute("DROP TABLE abonnementen")
