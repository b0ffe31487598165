"""SQLAlchemy Core tables of the toeleiding schema (migrations/ creates them)."""

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Identity, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = MetaData()

organisatoren = Table(
    "organisatoren",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("naam", Text, nullable=False),
    Column("samenwerkingsverband", Text, nullable=False),
    Column("version", Integer, nullable=False),
)

werkingsgebied = Table(
    "werkingsgebied",
    metadata,
    Column("organisator_id", UUID(as_uuid=True), ForeignKey("organisatoren.id"), primary_key=True),
    Column("nis_code", String(5), primary_key=True),
    Column("naam", Text, nullable=False),
)

tarieven = Table(
    "tarieven",
    metadata,
    Column("organisator_id", UUID(as_uuid=True), ForeignKey("organisatoren.id"), primary_key=True),
    Column("geldig_vanaf", Date, primary_key=True),
    Column("prijs_cent", Integer, nullable=False),
)

wijkwerkers = Table(
    "wijkwerkers",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("insz", String(11), nullable=False, unique=True),
    Column("voornaam", Text, nullable=False),
    Column("achternaam", Text, nullable=False),
    Column("domicilie_nis_code", String(5), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), ForeignKey("organisatoren.id"), nullable=False),
    Column("uitkeringsstatus", Text, nullable=False),
    Column("vdab_ingeschreven", Boolean, nullable=False),
    Column("ex_pwa", Boolean, nullable=False),
    Column("onbeperkt_recht", Boolean, nullable=False),
    Column("iban", String(34), nullable=False),
    Column("ingeschreven_op", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("adres_straat", Text),
    Column("adres_huisnummer", Text),
    Column("adres_postcode", Text),
)

dossierwijzigingen = Table(
    "dossierwijzigingen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("volgnummer", BigInteger, Identity(), nullable=False),
    Column("wijkwerker_id", UUID(as_uuid=True), ForeignKey("wijkwerkers.id"), nullable=False),
    Column("gegevens", Text, nullable=False),
    Column("gewijzigd_op", Date, nullable=False),
    Column("waarde", JSONB, nullable=False),
    Column("reden", Text),
    Column("door", Text),
)

trajecten = Table(
    "trajecten",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("toeleiding_id", UUID(as_uuid=True), nullable=False),
    Column("toeleider_type", Text, nullable=False),
    Column("toeleider_org", Text),
    Column("advies_maanden", Integer),
    Column("ontvangen_op", Date, nullable=False),
    Column("hertoeleiding", Boolean, nullable=False),
    Column("start", Date, nullable=False),
    Column("gepland_einde", Date),
    Column("max_einde", Date),
    Column("overeenkomst_op", Date),
    Column("werkelijk_einde", Date),
    Column("einde_reden", Text),
    Column("vervolg", Text),
    Column("version", Integer, nullable=False),
    Column("einde_bron", Text),  # automatisch, evaluatie, beeindiging (EindeBron)
)

schorsingen = Table(
    "schorsingen",
    metadata,
    Column("traject_id", UUID(as_uuid=True), primary_key=True),
    Column("van", Date, primary_key=True),
    Column("tot", Date, nullable=False),
    Column("reden", Text, nullable=False),
    Column("verlengt_einde", Boolean, nullable=False),
)

uitkeringsstatussen = Table(
    "uitkeringsstatussen",
    metadata,
    Column("wijkwerker_id", UUID(as_uuid=True), primary_key=True),
    Column("vanaf", Date, primary_key=True),
    Column("uitkeringsstatus", Text, nullable=False),
)
