"""work-experience certificates: what each one states, exactly as signed, its signature and
whether it was revoked (issue #23 item 5)

Revision ID: 2026_12_06_h_documenten_1
Revises: 2026_12_06_h_uitbetalingen_1
Create Date: 2026-12-03
"""

from alembic import op

revision = "2026_12_06_h_documenten_1"
down_revision = "2026_12_06_h_uitbetalingen_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE getuigschriften (
            id uuid PRIMARY KEY,
            wijkwerker_id uuid NOT NULL,
            organisator_id uuid NOT NULL,
            op date NOT NULL,
            inhoud text NOT NULL,
            handtekening text NOT NULL,
            sleutel_id text NOT NULL,
            uitgegeven_door text NOT NULL,
            uitgegeven_om timestamptz NOT NULL DEFAULT now(),
            ingetrokken_op date,
            ingetrokken_reden text,
            ingetrokken_door text
        )
    """)
    op.execute("CREATE INDEX getuigschriften_wijkwerker ON getuigschriften (wijkwerker_id)")


def downgrade() -> None:
    op.execute("DROP TABLE getuigschriften")
