"""The documented 200 answer of every generic table report (``TabelRapport``): its JSON and
the CSV of the same rows (``format=csv``). The integration test
``test_rapportvoorbeelden.py`` computes every report from events and checks that each
example has exactly the real answer's keys, columns and value types, so an example cannot
drift from the code."""

from __future__ import annotations

from typing import Any

from evaluatie.entrypoints.csv import als_csv

MIDWEST = "0b6d6c64-8c3e-4c50-9d8a-5b1f0f7e2a11"
W13 = "5d0e2c3b-7a41-4f6e-9b8d-2c1a0e9f4b37"
_ORGANISATOREN = ((MIDWEST, "Wijk-werken Midwest", "Midwest"), (W13, "Wijk-werken W13", "W13"))
_BEREKEND = "2026-04-01T06:00:00Z"
_MAART = {"van": "2026-03-01", "tot": "2026-03-31", "organisator_id": None}


def _rapport(rapport: str, parameters: dict[str, Any], rijen: list[dict[str, Any]],
             totalen: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"rapport": rapport, "parameters": parameters, "berekend_op": _BEREKEND, "rijen": rijen,
            "totalen": totalen or {}}


def euro(cent: int) -> str:
    return f"{cent // 100}.{cent % 100:02d}"


def _cheques(maand: str, o: tuple[str, str, str], gekocht: int, papier: int, prestatiemaand: int,
             validatiemaand: int, vervallen: int, voorraad: int) -> dict[str, Any]:
    return {"maand": maand, "organisator_id": o[0], "naam": o[1], "samenwerkingsverband": o[2],
            "cheques_gekocht": gekocht, "gekocht": euro(745 * gekocht), "cheques_gekocht_papier": papier,
            "gekocht_papier": euro(745 * papier), "cheques_gekocht_elektronisch": gekocht - papier,
            "gekocht_elektronisch": euro(745 * (gekocht - papier)), "gebruikt_per_prestatiemaand": prestatiemaand,
            "gebruikt_per_validatiemaand": validatiemaand, "prijs": euro(745 * validatiemaand),
            "wijkwerker": euro(410 * validatiemaand), "verzekering": euro(42 * validatiemaand),
            "reisfonds": euro(10 * validatiemaand), "uitgever": euro(58 * validatiemaand),
            "organisator": euro(225 * validatiemaand), "reisvergoeding": euro(30 * validatiemaand),
            "cheques_vervallen": vervallen, "vervallen": euro(745 * vervallen),
            "cheques_vervallen_voorraad": voorraad, "vervallen_voorraad": euro(745 * voorraad),
            "cheques_terugbetaald": min(vervallen, 1), "terugbetaald": euro(745 * min(vervallen, 1))}


_JSON: dict[str, dict[str, Any]] = {
    "dossiers-per-maand": _rapport("RPT-01", {"van": "2026-02", "tot": "2026-03", "organisator_id": None}, [
        {"maand": m, "organisator_id": o[0], "naam": o[1], "samenwerkingsverband": o[2], "dossiers": d, "actief": a,
         "voorlopig": v, "afgesloten": d - a - v, "actief_of_voorlopig": a + v}
        for m, o, d, a, v in (("2026-02", _ORGANISATOREN[0], 398, 243, 71), ("2026-02", _ORGANISATOREN[1], 512, 330, 84),
                              ("2026-03", _ORGANISATOREN[0], 412, 251, 68), ("2026-03", _ORGANISATOREN[1], 530, 341, 80))]),
    "werkzame-wijkwerkers": _rapport("RPT-02", _MAART, [
        {"groep": "ex_pwa", "toeleider": "VDAB", "uitkeringsstatus": "volledig_werkzoekend", "wijkwerkers": 146},
        {"groep": "nieuw", "toeleider": "OCMW", "uitkeringsstatus": "leefloon", "wijkwerkers": 58},
        {"groep": "nieuw", "toeleider": "VDAB", "uitkeringsstatus": "volledig_werkzoekend", "wijkwerkers": 91},
    ], {"wijkwerkers": 295, "ex_pwa": 146, "nieuw": 149, "nieuw_per_toeleider": {"OCMW": 58, "VDAB": 91},
        "nieuw_per_uitkeringsstatus": {"leefloon": 58, "volledig_werkzoekend": 91}}),
    "gebruikerscategorieen": _rapport("RPT-06", _MAART, [
        {"samenwerkingsverband": "Midwest", "organisator_id": MIDWEST, "gebruiker_categorie": "particulier",
         "wijkwerkers": 87},
        {"samenwerkingsverband": "Midwest", "organisator_id": MIDWEST, "gebruiker_categorie": "school",
         "wijkwerkers": 23},
        {"samenwerkingsverband": "W13", "organisator_id": W13, "gebruiker_categorie": "lokaal_bestuur",
         "wijkwerkers": 31},
    ]),
    "zelfde-klus": _rapport("RPT-09", _MAART, [{"wijkwerkers": 295, "zelfde_klus": 212, "aandeel": 0.7186}]),
    "gebruikers-zonder-prestaties": _rapport("RPT-11", {"van": "2026-02", "tot": "2026-03", "organisator_id": None}, [
        {"maand": "2026-02", "actieve_gebruikers": 1184, "zonder_prestaties": 203, "aandeel": 0.1715},
        {"maand": "2026-03", "actieve_gebruikers": 1206, "zonder_prestaties": 198, "aandeel": 0.1642},
    ]),
    "gebruikers": _rapport("RPT-12-15", {"van": "2026-03", "tot": "2026-03", "organisator_id": None}, [
        {"maand": "2026-03", "organisator_id": o[0], "naam": o[1], "nieuwe_gebruikers": n,
         "inschrijvingsrechten_betaald": b, "inschrijvingsrechten": euro(750 * b), "actieve_erkenningen": e,
         "actief_particulier_vrouw": v, "actief_particulier_man": m, "contacten": c, "gecontacteerde_gebruikers": g,
         "gecontacteerd_actief_zonder_prestaties": z, "actieve_gebruikers": a}
        for o, n, b, e, v, m, c, g, z, a in ((_ORGANISATOREN[0], 14, 21, 486, 201, 142, 37, 29, 6, 471),
                                             (_ORGANISATOREN[1], 19, 25, 735, 310, 228, 52, 40, 9, 702))]),
    "cheques": _rapport("RPT-16-18", {"van": "2026-03", "tot": "2026-03", "organisator_id": None}, [
        _cheques("2026-03", _ORGANISATOREN[0], 1240, 1010, 1187, 1152, 12, 57),
        _cheques("2026-03", _ORGANISATOREN[1], 1815, 1320, 1702, 1694, 20, 88),
    ]),
    "gemeenten": _rapport("RPT-20", _MAART, [
        {"nis_code": "36015", "personen": 64}, {"nis_code": "36008", "personen": 21}, {"nis_code": "34022", "personen": 88},
    ]),
    "onbeperkt-recht": _rapport("RPT-23", {"sinds": "2018-01-01", "op": "2026-03-31", "organisator_id": None}, [
        {"met_onbeperkt_recht": 1630, "gewerkt_sinds_start": 1412, "nog_in_wijkwerken": 977}]),
    "contingent": _rapport("RPT-25", {"jaar": 2025, "organisator_id": None}, [
        {"maand": f"2025-{m:02d}", "in_traject": n} for m, n in enumerate(
            (6840, 6902, 6987, 7013, 7056, 7101, 7088, 7042, 7120, 7175, 7203, 7230), start=1)],
        {"jaargemiddelde": 7063.9, "contingent": 7291, "bezetting": 0.9689}),
}

VOORBEELDEN: dict[str, dict[str, Any]] = {n: {"json": v, "csv": als_csv(v["rijen"])} for n, v in _JSON.items()}
"""Per report (its path under ``/v1/rapporten/``): the JSON example and its CSV."""


def csv_inhoud(rijen: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``text/csv`` content of a 200: the CSV of example rows."""
    return {"schema": {"type": "string"}, "example": als_csv(rijen)}


def csv_voorbeeld(rijen: list[dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` adding to the 200 the CSV (``format=csv``) of example rows."""
    return {200: {"description": "The report; CSV with format=csv", "content": {"text/csv": csv_inhoud(rijen)}}}


def gedocumenteerd(rapport: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a table report's 200: its JSON and CSV example."""
    voorbeeld = VOORBEELDEN[rapport]
    return {200: {"description": "The report; CSV with format=csv", "content": {
        "application/json": {"example": voorbeeld["json"]},
        "text/csv": csv_inhoud(voorbeeld["json"]["rijen"])}}}
