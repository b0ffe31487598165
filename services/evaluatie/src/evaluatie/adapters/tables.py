from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Table, Text
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

rm_toeleidingen = Table(
    "rm_toeleidingen",
    metadata,
    Column("toeleiding_id", UUID(as_uuid=True), primary_key=True),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("toeleider_type", Text, nullable=False),
    Column("advies_maanden", Integer),
    Column("ontvangen_op", Date, nullable=False),
    Column("uitkeringsstatus", Text, nullable=False),
    Column("ex_pwa", Boolean, nullable=False),
    Column("hertoeleiding", Boolean, nullable=False),
)
