from datetime import date

import pytest

from evaluatie.domain.evaluatie import (
    TrajectVenster,
    Uitkomst,
    controleer_evaluatie,
    status_evaluatie,
    volgende_evaluatie,
)
from evaluatie.domain.uitstroom import controleer_meting, meetmoment
from wijkwerk.fouten import OngeldigeInvoer

VENSTER = TrajectVenster(date(2026, 1, 15), date(2027, 1, 14))


def test_the_first_evaluation_is_due_six_months_after_the_start_then_after_the_last():
    assert volgende_evaluatie(date(2026, 1, 15), None) == date(2026, 7, 15)
    assert volgende_evaluatie(date(2026, 1, 15), date(2026, 6, 30)) == date(2026, 12, 30)


@pytest.mark.parametrize(
    ("laatste", "op", "status"),
    [
        (None, date(2026, 3, 1), None),
        (None, date(2026, 6, 20), "te_doen"),
        (None, date(2026, 7, 15), "te_doen"),
        (None, date(2026, 7, 16), "achterstallig"),
        (date(2026, 7, 1), date(2026, 8, 1), None),
        (None, date(2027, 2, 1), None),  # trajectory over: nothing due
    ],
)
def test_due_and_overdue(laatste, op, status):
    assert status_evaluatie(VENSTER, laatste, op) == status


def test_an_evaluation_outside_the_trajectory_or_without_its_next_step_is_refused():
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_evaluatie(VENSTER, date(2027, 2, 1), Uitkomst.ZELFDE_KLUS, None)
    assert err.value.rule == "evaluatie-buiten-traject"
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_evaluatie(VENSTER, date(2026, 7, 1), Uitkomst.ANDER_TRAJECT, None)
    assert err.value.rule == "vervolg-ontbreekt"
    controleer_evaluatie(VENSTER, date(2026, 7, 1), Uitkomst.ANDER_TRAJECT, "IBO")


def test_measurement_points_are_months_after_the_end():
    assert meetmoment(date(2026, 1, 31), 3) == date(2026, 4, 30)
    assert meetmoment(date(2026, 6, 30), 12) == date(2027, 6, 30)


@pytest.mark.parametrize(
    ("kw", "rule"),
    [
        ({"horizon": 4}, "horizon-ongeldig"),
        ({"einde": None}, "traject-niet-beeindigd"),
        ({"gemeten_op": date(2026, 9, 29)}, "meetmoment-niet-bereikt"),
        ({"categorieen": []}, "categorie-ontbreekt"),
        ({"categorieen": ["op_reis"]}, "categorie-onbekend"),
        ({"subcategorieen": ["IBO"]}, "subcategorie-ongeldig"),
    ],
)
def test_a_bad_measurement_names_the_rule(kw, rule):
    args = dict(einde=date(2026, 6, 30), horizon=3, gemeten_op=date(2026, 10, 1),
                categorieen=["werk_werknemer"], subcategorieen=["NEC"])
    args.update(kw)
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_meting(**args)
    assert err.value.rule == rule


def test_sub_categories_are_not_exclusive():
    controleer_meting(date(2026, 6, 30), 3, date(2026, 10, 1), ["competentieversterking"], ["opleiding", "werkplekleren", "IBO"])
