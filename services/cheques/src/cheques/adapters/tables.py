from sqlalchemy import Column, Date, Integer, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData()

organisatoren_ref = Table(
    "organisatoren_ref",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("naam", Text, nullable=False),
)

tarieven_ref = Table(
    "tarieven_ref",
    metadata,
    Column("organisator_id", UUID(as_uuid=True), primary_key=True),
    Column("geldig_vanaf", Date, primary_key=True),
    Column("prijs_cent", Integer, nullable=False),
)
