"""fraud and error flags read model for the ops dashboard: the review queue and the figures
flagged / held / released / rejected per month per organiser (issue #23 item 4)

Revision ID: 2026_12_07_h_fraude_1
Revises: 2026_12_06_h_documenten_1
Create Date: 2026-12-03
"""

from alembic import op

revision = "2026_12_07_h_fraude_1"
down_revision = "2026_12_06_h_documenten_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE rm_fraudesignalen (
            signaal_id uuid PRIMARY KEY,
            prestatie_id uuid,                 -- NULL: a worker-level flag (gedeelde-rekening)
            regel text NOT NULL,
            wijkwerker_id uuid NOT NULL,
            gebruiker_id uuid,
            organisator_id uuid NOT NULL,
            datum date NOT NULL,               -- the prestatie's business date: the flag's date
            bedrag_cent bigint NOT NULL,
            toelichting text NOT NULL,
            status text NOT NULL,              -- open, vrijgegeven, afgewezen
            besloten_op date,
            door text,
            reden text
        )
    """)
    op.execute("CREATE INDEX rm_fraudesignalen_org_datum ON rm_fraudesignalen (organisator_id, datum)")


def downgrade() -> None:
    op.execute("DROP TABLE rm_fraudesignalen")
