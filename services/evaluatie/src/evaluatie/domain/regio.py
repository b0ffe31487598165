"""Regions of a worker for RPT-19: the province of the domicile municipality.

Belgian NIS (INS) municipality codes start with the province: 1 Antwerpen, 23/24
Vlaams-Brabant, 3 West-Vlaanderen, 4 Oost-Vlaanderen, 7 Limburg; 21 is Brussels, 25 and
5/6/8/9 are Walloon provinces (E-1: a worker is domiciled in Flanders, so those show as
"buiten Vlaanderen"). Municipalities merged in 2019 and 2025 kept their province prefix.
"""

from __future__ import annotations

ONBEKEND = "onbekend"
BUITEN_VLAANDEREN = "buiten Vlaanderen"

_PROVINCIES = {
    "1": "Antwerpen",
    "23": "Vlaams-Brabant",
    "24": "Vlaams-Brabant",
    "3": "West-Vlaanderen",
    "4": "Oost-Vlaanderen",
    "7": "Limburg",
}


def provincie(nis_code: str | None) -> str:
    """The Flemish province of a five-digit NIS municipality code."""
    if not nis_code or len(nis_code) != 5 or not nis_code.isdigit():
        return ONBEKEND
    return _PROVINCIES.get(nis_code[:1]) or _PROVINCIES.get(nis_code[:2]) or BUITEN_VLAANDEREN
