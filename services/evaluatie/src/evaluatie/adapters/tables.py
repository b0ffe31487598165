from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Identity,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

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
    Column("onbeperkt_recht", Boolean, nullable=False, server_default="false"),
    Column("domicilie_nis_code", Text),
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
    Column("toeleider_org", Text),
)

rm_trajecten = Table(
    "rm_trajecten",
    metadata,
    Column("traject_id", UUID(as_uuid=True), primary_key=True),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("start", Date, nullable=False),
    Column("gepland_einde", Date),
    Column("werkelijk_einde", Date),
    Column("einde_reden", Text),
    Column("vervolg", Text),
    Column("overeenkomst_op", Date),
    Column("toeleiding_id", UUID(as_uuid=True)),
)

evaluaties = Table(
    "evaluaties",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("traject_id", UUID(as_uuid=True), nullable=False),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("datum", Date, nullable=False),
    Column("uitkomst", Text, nullable=False),
    Column("vervolg", Text),
    Column("opmerkingen", Text),
    Column("evaluator_organisatie", Text),
    Column("einde", Date),  # the trajectory's end an ending outcome decided (None: its date)
)

uitstroommetingen = Table(
    "uitstroommetingen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("traject_id", UUID(as_uuid=True), nullable=False),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("horizon_maanden", Integer, nullable=False),
    Column("gemeten_op", Date, nullable=False),
    Column("categorieen", ARRAY(Text), nullable=False),
    Column("subcategorieen", ARRAY(Text), nullable=False),
)

bemiddelaarsinzet = Table(
    "bemiddelaarsinzet",
    metadata,
    Column("organisator_id", UUID(as_uuid=True), primary_key=True),
    Column("geldig_vanaf", Date, primary_key=True),
    Column("fte", Numeric(6, 2), nullable=False),
    Column("inwoners", Integer),
    Column("geregistreerd_door", Text, nullable=False),
    Column("geregistreerd_op", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

# Every version of a corrected evaluation or measurement (the first: as registered). The
# row in ``evaluaties`` / ``uitstroommetingen`` holds the version with the latest
# ``gecorrigeerd_op`` (ties: the later arrival), whatever the order corrections arrive in.
correcties = Table(
    "correcties",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("volgnummer", BigInteger, Identity(), nullable=False),
    Column("soort", Text, nullable=False),
    Column("doel_id", UUID(as_uuid=True), nullable=False),
    Column("gecorrigeerd_op", Date, nullable=False),
    Column("waarden", JSONB, nullable=False),
    Column("reden", Text, nullable=False),
    Column("door", Text),
    Column("geregistreerd_op", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
