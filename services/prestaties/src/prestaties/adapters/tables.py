from sqlalchemy import Column, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData()

organisatoren_ref = Table(
    "organisatoren_ref",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("naam", Text, nullable=False),
    Column("samenwerkingsverband", Text, nullable=False),
)

werkingsgebied_ref = Table(
    "werkingsgebied_ref",
    metadata,
    Column("organisator_id", UUID(as_uuid=True), primary_key=True),
    Column("nis_code", String(5), primary_key=True),
)
