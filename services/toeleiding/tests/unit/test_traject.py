import uuid
from datetime import date

import pytest

from toeleiding.domain.traject import (
    DuurRegels,
    EindeReden,
    Schorsing,
    ToeleiderType,
    Traject,
    TrajectStatus,
    dossier_status,
    einde_na,
)
from wijkwerk.fouten import OngeldigeInvoer

REGELS = DuurRegels()


def _traject(maanden: int | None = 12, start=date(2026, 1, 15), onbeperkt=False) -> Traject:
    return Traject.start_na_toeleiding(
        wijkwerker_id=uuid.uuid4(),
        organisator_id=uuid.uuid4(),
        toeleider_type=ToeleiderType.VDAB,
        advies_maanden=maanden,
        start=start,
        onbeperkt_recht=onbeperkt,
        regels=REGELS,
    )


@pytest.mark.parametrize(
    ("start", "maanden", "einde"),
    [
        (date(2026, 1, 15), 12, date(2027, 1, 14)),
        (date(2026, 1, 1), 1, date(2026, 1, 31)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),  # month arithmetic clamps to Feb 28, minus a day
        (date(2024, 3, 1), 6, date(2024, 8, 31)),
    ],
)
def test_end_is_start_plus_months_minus_one_day(start, maanden, einde):
    assert einde_na(start, maanden) == einde


@pytest.mark.parametrize("maanden", [0, 13, None])
def test_advice_outside_one_to_twelve_months_is_refused(maanden):
    with pytest.raises(OngeldigeInvoer) as err:
        _traject(maanden)
    assert err.value.rule == "traject-max-12-maanden"


def test_the_window_is_inclusive():
    t = _traject(3, start=date(2026, 1, 1))
    assert t.loopt_op(date(2026, 1, 1)) and t.loopt_op(date(2026, 3, 31))
    assert not t.loopt_op(date(2025, 12, 31)) and not t.loopt_op(date(2026, 4, 1))


def test_the_unlimited_right_has_no_end():
    t = _traject(None, onbeperkt=True)
    assert t.gepland_einde is None and t.max_einde is None
    assert t.loopt_op(date(2040, 1, 1))
    with pytest.raises(OngeldigeInvoer) as err:
        t.verleng(date(2030, 1, 1))
    assert err.value.rule == "traject-onbeperkt"


def test_prolongation_up_to_twelve_months_and_not_beyond():
    t = _traject(6, start=date(2026, 1, 1))
    t.verleng(date(2026, 12, 31))
    assert t.gepland_einde == date(2026, 12, 31)
    with pytest.raises(OngeldigeInvoer) as err:
        _traject(6, start=date(2026, 1, 1)).verleng(date(2027, 1, 1))
    assert err.value.rule == "traject-max-12-maanden"


def test_a_prolongation_must_move_the_end_later():
    t = _traject(6, start=date(2026, 1, 1))
    with pytest.raises(OngeldigeInvoer):
        t.verleng(date(2026, 5, 1))


def test_a_suspension_with_extension_moves_the_end_and_the_maximum():
    t = _traject(12, start=date(2026, 1, 1))
    t.schors(Schorsing(date(2026, 3, 1), date(2026, 3, 10), "ziekte met attest", verlengt_einde=True))
    assert t.gepland_einde == date(2027, 1, 10)
    assert t.max_einde == date(2027, 1, 10)
    assert t.status_op(date(2026, 3, 5)) == TrajectStatus.GESCHORST
    assert t.status_op(date(2026, 3, 11)) == TrajectStatus.LOPEND


def test_overlapping_suspensions_are_refused():
    t = _traject()
    t.schors(Schorsing(date(2026, 3, 1), date(2026, 3, 10), "x", verlengt_einde=False))
    with pytest.raises(OngeldigeInvoer) as err:
        t.schors(Schorsing(date(2026, 3, 10), date(2026, 3, 12), "y", verlengt_einde=False))
    assert err.value.rule == "schorsing-overlapt"


def test_an_ended_trajectory_takes_no_more_commands():
    t = _traject()
    t.beeindig(date(2026, 6, 30), EindeReden.UITSTROOM_WERK)
    assert t.laatste_dag() == date(2026, 6, 30)
    with pytest.raises(OngeldigeInvoer) as err:
        t.verleng(date(2026, 12, 1))
    assert err.value.rule == "traject-beeindigd"


def test_ending_after_the_maximum_is_refused():
    with pytest.raises(OngeldigeInvoer) as err:
        _traject(12, start=date(2026, 1, 1)).beeindig(date(2027, 1, 1), EindeReden.GESTOPT)
    assert err.value.rule == "traject-max-12-maanden"


def test_dossier_status_follows_agreement_and_trajectory_dates():
    t = _traject(3, start=date(2026, 1, 1))
    assert dossier_status([], date(2026, 1, 5)) == "voorlopig"
    assert dossier_status([t], date(2026, 1, 5)) == "voorlopig"  # no agreement yet
    t.teken_overeenkomst(date(2026, 1, 3))
    assert dossier_status([t], date(2026, 1, 2)) == "voorlopig"
    assert dossier_status([t], date(2026, 1, 5)) == "actief"
    assert dossier_status([t], date(2026, 3, 31)) == "actief"  # end date included
    assert dossier_status([t], date(2026, 4, 1)) == "afgesloten"


def test_a_suspension_extends_the_trajectory_by_its_own_length_by_default():
    """A-22: ten days suspended, ten days later end; the maximum counts time worked."""
    t = _traject(6, start=date(2026, 1, 1))
    t.schors(Schorsing(date(2026, 3, 1), date(2026, 3, 10), "ziekte met attest"))
    assert (t.gepland_einde, t.max_einde) == (date(2026, 7, 10), date(2027, 1, 10))


def test_a_suspension_that_names_another_end_takes_it_within_the_maximum():
    t = _traject(6, start=date(2026, 1, 1))
    t.schors(Schorsing(date(2026, 3, 1), date(2026, 3, 10), "ziekte", nieuw_einde=date(2026, 6, 30)))
    assert (t.gepland_einde, t.max_einde) == (date(2026, 6, 30), date(2027, 1, 10))
    u = _traject(12, start=date(2026, 1, 1))
    with pytest.raises(OngeldigeInvoer) as err:
        u.schors(Schorsing(date(2026, 3, 1), date(2026, 3, 10), "ziekte", nieuw_einde=date(2027, 1, 11)))
    assert err.value.rule == "traject-max-12-maanden"
    assert (u.gepland_einde, u.max_einde, u.schorsingen) == (date(2026, 12, 31), date(2026, 12, 31), [])


def test_a_suspension_may_keep_the_end():
    t = _traject(6, start=date(2026, 1, 1))
    t.schors(Schorsing(date(2026, 3, 1), date(2026, 3, 10), "ziekte", verlengt_einde=False))
    assert t.gepland_einde == date(2026, 6, 30)


def test_a_suspended_dossier_stays_actief():
    """A-22: the month-end status of a worker suspended over the month end is actief."""
    t = _traject(6, start=date(2026, 1, 1))
    t.teken_overeenkomst(date(2026, 1, 1))
    t.schors(Schorsing(date(2026, 3, 20), date(2026, 4, 10), "ziekte"))
    assert t.status_op(date(2026, 3, 31)) == TrajectStatus.GESCHORST
    assert dossier_status([t], date(2026, 3, 31)) == "actief"


def test_the_twelve_month_maximum_is_per_trajectory():
    """A-22: a re-referral starts a new trajectory with its own twelve months."""
    eerste = _traject(12, start=date(2026, 1, 1))
    eerste.beeindig(date(2026, 12, 31), EindeReden.EINDE_ADVIES)
    tweede = _traject(12, start=date(2027, 3, 1))
    assert (tweede.gepland_einde, tweede.max_einde) == (date(2028, 2, 29), date(2028, 2, 29))


def test_a_suspension_to_the_end_of_the_calendar_is_refused_not_a_crash():
    t = _traject(6, start=date(2026, 1, 1))
    with pytest.raises(OngeldigeInvoer) as err:
        t.schors(Schorsing(date(2026, 3, 1), date(9999, 12, 31), "x"))
    assert err.value.rule == "schorsing-ongeldig"
