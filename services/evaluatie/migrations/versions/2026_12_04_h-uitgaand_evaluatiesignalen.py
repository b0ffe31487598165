"""dated facts "evaluation due" and "evaluation overdue", recorded once per trajectory, due
date and kind, and "cheques expire soon", once per organiser and expiry date (issue #23
item 6, ADR 0018)

Revision ID: 2026_12_05_h_uitgaand_2
Revises: 2026_12_05_h_uitgaand_1
Create Date: 2026-12-03
"""

from alembic import op

revision = "2026_12_05_h_uitgaand_2"
down_revision = "2026_12_05_h_uitgaand_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE evaluatiesignalen (
            traject_id uuid NOT NULL,
            vervaldag date NOT NULL,
            soort text NOT NULL CHECK (soort IN ('te_doen', 'achterstallig')),
            datum date NOT NULL,
            vastgelegd_om timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (traject_id, vervaldag, soort)
        )
    """)

    op.execute("""
        CREATE TABLE chequesignalen (
            organisator_id uuid NOT NULL,
            geldig_tot date NOT NULL,
            datum date NOT NULL,
            aantal int NOT NULL,
            vastgelegd_om timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (organisator_id, geldig_tot)
        )
    """)


def downgrade() -> None:
    op.execute("DROP TABLE chequesignalen")
    op.execute("DROP TABLE evaluatiesignalen")
