"""Pure rules behind RPT-19, RPT-21/22 and RPT-24: provinces, the O-2 staff norm, ratios
and the report settings."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from evaluatie.config import Settings
from evaluatie.domain.bemiddelaars import O2Norm, controleer_inzet, per_fte
from evaluatie.domain.regio import provincie
from evaluatie.domain.uitstroom import OPVOLGING_CATEGORIEEN
from wijkwerk.fouten import OngeldigeInvoer


@pytest.mark.parametrize(
    ("nis", "naam"),
    [("31005", "West-Vlaanderen"), ("35013", "West-Vlaanderen"), ("44021", "Oost-Vlaanderen"),
     ("11002", "Antwerpen"), ("24062", "Vlaams-Brabant"), ("23088", "Vlaams-Brabant"), ("71016", "Limburg"),
     ("21004", "buiten Vlaanderen"), ("25072", "buiten Vlaanderen"), ("62063", "buiten Vlaanderen"),
     (None, "onbekend"), ("3100", "onbekend"), ("3100x", "onbekend")],
)
def test_the_province_follows_the_nis_code(nis, naam):
    assert provincie(nis) == naam


@pytest.mark.parametrize(
    ("inwoners", "fte"),
    # 0.2 FTE per started slice of 12,000 above the first 12,000 (O-2)
    [(0, "0"), (12_000, "0"), (12_001, "0.2"), (24_000, "0.2"), (24_001, "0.4"), (50_000, "0.8"), (118_000, "1.8")],
)
def test_the_o2_norm(inwoners, fte):
    assert O2Norm().fte(inwoners) == Decimal(fte)


def test_the_o2_norm_is_configurable():
    assert O2Norm(Decimal("0.5"), 10_000, 0).fte(25_000) == Decimal("1.5")
    assert Settings(o2_fte_per_schijf="0.25").o2_norm.fte(36_000) == Decimal("0.50")


def test_workers_per_fte():
    assert per_fte(7, Decimal("2.00")) == 3.5
    assert per_fte(3, Decimal("1.05")) == 2.9
    assert per_fte(3, None) is None and per_fte(3, Decimal(0)) is None


@pytest.mark.parametrize(("fte", "inwoners"), [(Decimal(-1), None), (Decimal("1.234"), None), (Decimal(1), -5)])
def test_an_impossible_staffing_is_refused(fte, inwoners):
    with pytest.raises(OngeldigeInvoer):
        controleer_inzet(fte, inwoners)


def test_report_settings_only_take_known_horizons_and_categories():
    assert Settings().duurzaam_horizonten == (6, 12)
    assert "werk_werknemer" not in OPVOLGING_CATEGORIEEN and "werkzoekend" not in OPVOLGING_CATEGORIEEN
    with pytest.raises(ValidationError):
        Settings(duurzaam_horizonten=(6, 18))
    with pytest.raises(ValidationError):
        Settings(opvolging_categorieen=("bestaat_niet",))


def test_a_samenwerkingsverband_sums_its_organisers():
    """A-18: W10 groups Brugge and Torhout; Midwest has one organiser."""
    from evaluatie.domain.samenwerkingsverband import per_samenwerkingsverband

    rijen = [
        {"maand": "2026-03", "organisator_id": 1, "naam": "Brugge", "samenwerkingsverband": "W10",
         "cheques_gekocht": 10, "gekocht_cent": 7450},
        {"maand": "2026-03", "organisator_id": 2, "naam": "Midwest", "samenwerkingsverband": "Midwest",
         "cheques_gekocht": 4, "gekocht_cent": 2380},
        {"maand": "2026-03", "organisator_id": 3, "naam": "Torhout", "samenwerkingsverband": "W10",
         "cheques_gekocht": 2, "gekocht_cent": 1490},
        {"maand": "2026-04", "organisator_id": 1, "naam": "Brugge", "samenwerkingsverband": "W10",
         "cheques_gekocht": 1, "gekocht_cent": 745},
    ]
    assert per_samenwerkingsverband(rijen) == [
        {"maand": "2026-03", "samenwerkingsverband": "W10", "organisatoren": 2, "cheques_gekocht": 12,
         "gekocht_cent": 8940},
        {"maand": "2026-03", "samenwerkingsverband": "Midwest", "organisatoren": 1, "cheques_gekocht": 4,
         "gekocht_cent": 2380},
        {"maand": "2026-04", "samenwerkingsverband": "W10", "organisatoren": 1, "cheques_gekocht": 1,
         "gekocht_cent": 745},
    ]
