"""who ended a trajectory: an explicit end, an evaluation or the housekeeping job (issue #21)

Revision ID: 2026_12_03_h_datums_1
Revises: 2026_12_03_h_audit_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_03_h_datums_1"
down_revision = "2026_12_03_h_audit_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("trajecten", sa.Column("einde_bron", sa.Text()))
    # Before this change the job ended trajectories with these reasons only; every other
    # end was explicit or an evaluation's, and those stay final.
    op.execute(
        "UPDATE trajecten SET einde_bron = CASE WHEN einde_reden IN ('einde_advies', 'max_duur_bereikt') "
        "THEN 'automatisch' ELSE 'beeindiging' END WHERE werkelijk_einde IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("trajecten", "einde_bron")
