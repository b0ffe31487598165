"""the prestatie reference partners see (wijkwerk.prestatiecode): a number from a
sequence, shown as a short code; existing prestaties get theirs in date order

Revision ID: 2026_12_02_h_partners_referentie
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from wijkwerk import prestatiecode

revision = "2026_12_02_h_partners_referentie"
down_revision = "gebeurtenissen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE prestatie_nummer AS bigint START 1")
    op.add_column("prestaties", sa.Column("referentie", sa.Text))
    conn = op.get_bind()
    ids = conn.execute(sa.text("SELECT id FROM prestaties ORDER BY datum, start, id")).scalars().all()
    for prestatie_id in ids:
        nummer = conn.execute(sa.text("SELECT nextval('prestatie_nummer')")).scalar_one()
        conn.execute(sa.text("UPDATE prestaties SET referentie = :r WHERE id = :id"),
                     {"r": prestatiecode.maak(nummer), "id": prestatie_id})
    op.alter_column("prestaties", "referentie", nullable=False)
    op.create_unique_constraint("prestaties_referentie_key", "prestaties", ["referentie"])


def downgrade() -> None:
    op.drop_constraint("prestaties_referentie_key", "prestaties")
    op.drop_column("prestaties", "referentie")
    op.execute("DROP SEQUENCE prestatie_nummer")
