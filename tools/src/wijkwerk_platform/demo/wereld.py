"""Facts the demo world is built from (DOMAIN.md O-3, C-2, §5.4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisatorSeed:
    naam: str
    samenwerkingsverband: str
    tarief: str
    gemeenten: tuple[tuple[str, str], ...]


# The West-Flemish organisers of DOMAIN O-3; Midwest asks €5.95, most others €7.45 (C-2).
ORGANISATOREN: tuple[OrganisatorSeed, ...] = (
    OrganisatorSeed(
        "Wijk-werken W13", "W13", "7.45",
        (("34022", "Kortrijk"), ("34013", "Harelbeke"), ("34027", "Menen"), ("34040", "Wevelgem"),
         ("34041", "Zwevegem"), ("34023", "Kuurne"), ("34002", "Anzegem"), ("34009", "Deerlijk")),
    ),
    OrganisatorSeed(
        "Wijk-werken Midwest", "Midwest", "5.95",
        (("36015", "Roeselare"), ("36008", "Izegem"), ("36006", "Hooglede"), ("36007", "Ingelmunster"),
         ("36010", "Ledegem"), ("36011", "Lichtervelde"), ("36012", "Moorslede"), ("36019", "Staden"),
         ("37015", "Tielt"), ("37007", "Meulebeke"), ("37020", "Ardooie"), ("37011", "Pittem")),
    ),
    OrganisatorSeed(
        "Wijk-werken Westhoek", "Westhoek", "7.45",
        (("33011", "Ieper"), ("33021", "Poperinge"), ("32003", "Diksmuide"), ("38025", "Veurne"),
         ("38014", "Koksijde"), ("33029", "Wervik"), ("33037", "Zonnebeke")),
    ),
    OrganisatorSeed(
        "Wijk-werken Perspectief", "Perspectief", "7.45",
        (("35013", "Oostende"), ("35002", "Bredene"), ("35011", "Middelkerke"), ("35029", "De Haan"),
         ("35005", "Gistel"), ("35014", "Oudenburg")),
    ),
    OrganisatorSeed(
        "Wijk-werken Werkkracht10", "Werkkracht10", "7.45",
        (("31005", "Brugge"), ("31022", "Oostkamp"), ("31040", "Zedelgem"), ("31003", "Beernem"),
         ("31004", "Blankenberge"), ("31006", "Damme"), ("31033", "Torhout"), ("31043", "Knokke-Heist")),
    ),
)

# New workers by referrer (DOMAIN §5.4 from 000 Q2c): VDAB 69 %, GTB 18 %, OCMW 12 %, other 1 %.
TOELEIDERS = (("VDAB", 69), ("GTB", 18), ("OCMW", 12), ("ANDERE", 1))
# Advice: 97 % twelve months, 2 % six months, the rest spread (000 Q3).
ADVIES = ((12, 97), (6, 2), (3, 1))
UITKERINGSSTATUS = {
    "VDAB": "volledig_werkzoekend",
    "GTB": "ziekteuitkering",
    "OCMW": "leefloon",
    "ANDERE": "geen_uitkering",
}
AANDEEL_ACTIEF_OF_VOORLOPIG = 0.77  # 7,866 / 10,177 (000 Q1)
AANDEEL_EX_PWA = 0.62  # 2019 (004)

# Gebruikers by category (002, 004): mostly private persons, then local governments, vzw's,
# schools, agriculture/horticulture, a few police/fire services and others.
GEBRUIKER_CATEGORIEEN = (
    ("particulier", 55), ("lokaal_bestuur", 12), ("vzw", 14), ("school", 9),
    ("land_en_tuinbouw", 6), ("politie_brandweer", 2), ("andere", 2),
)
GESLACHT = (("vrouw", 58), ("man", 40), ("ander_of_onbekend", 2))
AANDEEL_GEBRUIKERS_ZONDER_PRESTATIE = 1 / 9  # 1,830 / 16,318 (002 Q1)
# Extra placements of a working worker beyond the first (weights): about two gebruikers each.
EXTRA_KOPPELINGEN = ((0, 30), (1, 45), (2, 25))
AANDEEL_ANDERE_HOOFDACTIVITEIT = 0.55  # of workers with an extra placement; gives ≈ 69 % in one hoofdactiviteit (§5.4, RPT-09)
# Gebruikers per dossier so that active gebruikers : working workers ≈ 2 (16,318 active
# gebruikers : 8,343 workers, §5.4): about 72 % of dossiers get a placement, with ≈ 1.95
# gebruikers each, plus the one in nine gebruikers without work.
GEBRUIKERS_PER_DOSSIER = 1.5
ORGANISATIE_NAMEN = {
    "lokaal_bestuur": ("Gemeente {g}", "OCMW {g}", "Stad {g}"),
    "vzw": ("vzw Buurtwerk {g}", "vzw De Zonnebloem {g}", "vzw Sportclub {g}", "Kringwinkel {g}"),
    "school": ("Basisschool De Linde {g}", "Gemeentelijke basisschool {g}", "Vrije basisschool {g}"),
    "land_en_tuinbouw": ("Fruitbedrijf {n}", "Tuinbouw {n}", "Hoeve {n}"),
    "politie_brandweer": ("Politiezone {g}", "Brandweerpost {g}"),
    "andere": ("Parochiewerking {g}", "Jeugdhuis {g}"),
}

# The activity catalogue (AC-1) with its matrix row (AC-3): who may receive it.
ACTIVITEITEN = (
    ("Tuinonderhoud en klein groen", "groenonderhoud",
     ("particulier", "lokaal_bestuur", "vzw", "school", "land_en_tuinbouw")),
    ("Hulp bij de fruitpluk", "groenonderhoud", ("land_en_tuinbouw",)),
    ("Toezicht op de speelplaats", "onderwijs_en_kinderopvang", ("school", "lokaal_bestuur")),
    ("Administratieve ondersteuning", "administratieve_ondersteuning",
     ("lokaal_bestuur", "vzw", "school", "politie_brandweer", "andere")),
    ("Begeleiding bij boodschappen en vervoer", "begeleiding_personen", ("particulier", "vzw", "lokaal_bestuur")),
    ("Logistieke hulp bij activiteiten", "logistieke_ondersteuning",
     ("vzw", "lokaal_bestuur", "school", "politie_brandweer", "andere")),
)
DOSSIERS_PER_ORGANISATOR = 300  # at scale 1: 1,500 dossiers over five organisers
WERELD_MAANDEN = 14  # the world starts this many months before today
AANDEEL_VROEG_BEEINDIGD = 0.2  # trajectories ended before their planned end (outflow, next step, stop)
