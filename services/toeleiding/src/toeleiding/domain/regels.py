"""Rules about people and places, as plain functions (DOMAIN.md E-1, C-1, C-2)."""

from __future__ import annotations

import re
from datetime import date

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError as StdnumError

from wijkwerk.fouten import OngeldigeInvoer

_NIS = re.compile(r"^\d{5}$")
# NIS codes by province: Antwerpen 1xxxx, West-Vlaanderen 3xxxx, Oost-Vlaanderen 4xxxx,
# Limburg 7xxxx, Vlaams-Brabant 23xxx/24xxx. Brussels (21xxx) and Wallonia are not Flanders.
_VLAAMSE_PREFIXEN = ("1", "3", "4", "7", "23", "24")


def is_vlaamse_gemeente(nis_code: str) -> bool:
    return bool(_NIS.match(nis_code)) and nis_code.startswith(_VLAAMSE_PREFIXEN)


def controleer_vlaamse_gemeente(nis_code: str) -> str:
    if not is_vlaamse_gemeente(nis_code):
        raise OngeldigeInvoer(
            f"NIS code {nis_code!r} is not a Flemish municipality (wijk-werken requires a domicile in Flanders).",
            rule="gemeente-niet-in-vlaanderen",
        )
    return nis_code


def normaliseer_insz(insz: str) -> str:
    """A valid Belgian national register or BIS number, as 11 digits."""
    compact = nn.compact(insz)
    try:
        if len(compact) == 11 and compact[2:4].isdigit() and int(compact[2:4]) >= 20:
            return bis.validate(compact)
        return nn.validate(compact)
    except StdnumError as exc:
        raise OngeldigeInvoer(f"INSZ is not a valid national register or BIS number ({exc}).", rule="insz-ongeldig") from exc


def normaliseer_iban(iban: str) -> str:
    try:
        return IBAN(iban).compact
    except SchwiftyException as exc:
        raise OngeldigeInvoer(f"IBAN is not valid ({exc}).", rule="iban-ongeldig") from exc


def controleer_tarief(prijs_cent: int, toegelaten: tuple[int, ...]) -> int:
    if prijs_cent not in toegelaten:
        allowed = ", ".join(f"{p / 100:.2f}" for p in toegelaten)
        raise OngeldigeInvoer(
            f"A cheque tariff must be one of {allowed} euro.", rule="tarief-niet-toegelaten"
        )
    return prijs_cent


def tarief_op(tarieven: list[tuple[date, int]], dag: date) -> int | None:
    """The tariff valid on ``dag``: the latest row whose start is not after it."""
    geldig = [prijs for vanaf, prijs in sorted(tarieven) if vanaf <= dag]
    return geldig[-1] if geldig else None


def eerste_verschil(
    tarieven: list[tuple[date, int]], andere: list[tuple[date, int]], vanaf: date = date.min
) -> date | None:
    """A-18 (C-2): the first date (from ``vanaf``) on which both schedules hold a tariff and
    they differ. Both are step functions, so comparing them where either changes is enough."""
    for dag in sorted({max(d, vanaf) for d, _ in tarieven} | {max(d, vanaf) for d, _ in andere}):
        eigen, ander = tarief_op(tarieven, dag), tarief_op(andere, dag)
        if eigen is not None and ander is not None and eigen != ander:
            return dag
    return None
