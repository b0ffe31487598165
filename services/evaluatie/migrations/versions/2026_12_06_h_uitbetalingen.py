"""payouts read model for the ops dashboard: the month's payout status per organiser
(issue #23 item 8)

Revision ID: 2026_12_06_h_uitbetalingen_1
Revises: 2026_12_06_h_bewaren_1
Create Date: 2026-12-03
"""

from alembic import op

revision = "2026_12_06_h_uitbetalingen_1"
down_revision = "2026_12_06_h_bewaren_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE rm_uitbetalingen (
            end_to_end_id text PRIMARY KEY,
            wijkwerker_id uuid NOT NULL,
            periode text NOT NULL,              -- YYYY-MM: the run
            bedrag_cent bigint NOT NULL,
            uitgevoerd_op date NOT NULL,
            teruggeboekt_op date,               -- the bank's business date of a refusal or return
            terug_reden text
        )
    """)
    op.execute("CREATE INDEX rm_uitbetalingen_periode ON rm_uitbetalingen (periode)")


def downgrade() -> None:
    op.execute("DROP TABLE rm_uitbetalingen")
