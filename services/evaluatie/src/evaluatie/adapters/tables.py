from sqlalchemy import Boolean, Column, Date, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData()

rm_organisatoren = Table(
    "rm_organisatoren",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("naam", Text, nullable=False),
    Column("samenwerkingsverband", Text, nullable=False),
)

rm_dossiers = Table(
    "rm_dossiers",
    metadata,
    Column("wijkwerker_id", UUID(as_uuid=True), primary_key=True),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("ex_pwa", Boolean, nullable=False),
    Column("uitkeringsstatus", Text, nullable=False),
    Column("ingeschreven_op", Date, nullable=False),
)
