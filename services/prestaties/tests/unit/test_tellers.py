"""The worker's counters before entry (issue #23 item 1): the arithmetic, and that it agrees
with the caps that refuse a registration."""

import uuid
from datetime import date

import pytest

from prestaties.domain.tellers import dagen_over, tellers, traject_teller, traject_van_de_dag
from prestaties.domain.traject import TrajectVenster
from prestaties.domain.uren import Plafonds, UrenStand, controleer_plafonds
from wijkwerk.evaluatieschema import volgende_evaluatie
from wijkwerk.fouten import OngeldigeInvoer

ORG = uuid.uuid4()
PLAFONDS = Plafonds()


def _venster(start=date(2026, 1, 10), gepland_einde=date(2026, 7, 9), **kw) -> TrajectVenster:
    return TrajectVenster(traject_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), organisator_id=ORG, start=start,
                          gepland_einde=gepland_einde, overeenkomst_op=start, **kw)


@pytest.mark.parametrize(("stand", "maand", "jaar", "max_"), [
    (UrenStand(0, 0), 60, 630, 60),
    (UrenStand(42, 131), 18, 499, 18),
    (UrenStand(60, 200), 0, 430, 0),
    (UrenStand(10, 625), 50, 5, 5),  # the year cap binds in a light month
    (UrenStand(0, 630), 60, 0, 0),
    (UrenStand(61, 640), 0, 0, 0),  # over a lowered cap: nothing left, never negative
])
def test_hours_left_under_month_and_year_caps(stand, maand, jaar, max_):
    t = tellers(date(2026, 3, 20), stand, PLAFONDS, [], {})
    assert (t.over.maand, t.over.jaar, t.max_registreerbaar) == (maand, jaar, max_)


@pytest.mark.parametrize("gebruikt", [UrenStand(0, 0), UrenStand(57, 57), UrenStand(10, 627), UrenStand(60, 600)])
def test_the_counter_is_what_the_caps_refuse_at(gebruikt):
    # One registration of max_registreerbaar started hours passes the caps; one more hour is refused.
    t = tellers(date(2026, 3, 20), gebruikt, PLAFONDS, [], {})
    if t.max_registreerbaar:
        controleer_plafonds(t.max_registreerbaar, gebruikt, PLAFONDS)
    with pytest.raises(OngeldigeInvoer) as fout:
        controleer_plafonds(t.max_registreerbaar + 1, gebruikt, PLAFONDS)
    assert fout.value.rule in ("max-60-uur-per-maand", "max-630-uur-per-jaar")


def test_configured_caps_are_the_ones_counted():
    t = tellers(date(2026, 3, 20), UrenStand(10, 10), Plafonds(per_maand=40, per_jaar=400), [], {})
    assert (t.over.maand, t.over.jaar) == (30, 390)


@pytest.mark.parametrize(("op", "dagen"), [
    (date(2026, 1, 10), 181),  # the first day: the whole window, both ends included
    (date(2026, 7, 9), 1),  # the last day still counts
    (date(2026, 7, 10), 0),  # after the end
    (date(2026, 1, 1), 181),  # not started yet: its whole length
])
def test_days_left_in_the_trajectory(op, dagen):
    assert dagen_over(_venster(), op) == dagen


def test_an_actual_end_before_the_planned_end_wins():
    v = _venster(werkelijk_einde=date(2026, 3, 31))
    assert dagen_over(v, date(2026, 3, 30)) == 2
    assert dagen_over(v, date(2026, 4, 1)) == 0


def test_unlimited_right_has_no_end():
    assert dagen_over(_venster(gepland_einde=None), date(2030, 1, 1)) is None


def test_a_trajectory_starting_after_the_date_is_not_a_fact_yet():
    eerste = _venster(start=date(2025, 1, 1), gepland_einde=date(2025, 12, 31))
    tweede = _venster(start=date(2026, 2, 1), gepland_einde=date(2026, 12, 31))
    assert traject_van_de_dag([tweede, eerste], date(2026, 1, 15)) is eerste  # ended, the latest started
    assert traject_van_de_dag([eerste, tweede], date(2026, 2, 1)) is tweede
    assert traject_van_de_dag([tweede], date(2026, 1, 31)) is None


def test_no_evaluation_yet_is_due_six_months_after_the_start():
    t = traject_teller(_venster(gepland_einde=date(2026, 12, 31)), [], date(2026, 3, 1))
    assert (t.laatste_evaluatie, t.volgende_evaluatie, t.evaluatie_achterstallig) == (None, date(2026, 7, 10), False)


def test_the_next_evaluation_follows_the_last_one_dated_by_the_date_asked():
    v = _venster(gepland_einde=date(2027, 12, 31))
    evaluaties = [date(2026, 7, 1), date(2026, 11, 2)]
    assert traject_teller(v, evaluaties, date(2026, 10, 1)).volgende_evaluatie == date(2027, 1, 1)
    assert traject_teller(v, evaluaties, date(2026, 11, 2)).volgende_evaluatie == date(2027, 5, 2)
    assert traject_teller(v, evaluaties, date(2026, 6, 30)).volgende_evaluatie == date(2026, 7, 10)


def test_no_evaluation_to_plan_when_due_after_the_last_day():
    v = _venster(start=date(2026, 1, 10), gepland_einde=date(2027, 1, 9))  # 12 months
    assert traject_teller(v, [date(2026, 7, 10)], date(2026, 8, 1)).volgende_evaluatie is None  # 2027-01-10
    assert traject_teller(v, [date(2026, 7, 9)], date(2026, 8, 1)).volgende_evaluatie == date(2027, 1, 9)
    assert traject_teller(_venster(gepland_einde=None), [date(2026, 7, 10)], date(2026, 8, 1)).volgende_evaluatie == (
        date(2027, 1, 10))  # the unlimited right: always a next one


def test_overdue_evaluation_and_none_after_the_end():
    v = _venster(gepland_einde=date(2026, 12, 31))
    assert traject_teller(v, [], date(2026, 7, 11)).evaluatie_achterstallig
    assert not traject_teller(v, [], date(2026, 7, 10)).evaluatie_achterstallig  # due today: not late yet
    na = traject_teller(v, [], date(2027, 1, 1))
    assert (na.loopt, na.dagen_over, na.volgende_evaluatie, na.evaluatie_achterstallig) == (False, 0, None, False)


@pytest.mark.parametrize(("van", "tot"), [
    (date(2026, 1, 15), date(2026, 7, 15)),
    (date(2025, 8, 31), date(2026, 2, 28)),  # clamped to the month's last day
    (date(2023, 8, 31), date(2024, 2, 29)),
    (date(2026, 12, 31), date(2027, 6, 30)),  # over the year boundary
])
def test_evaluation_schedule_is_six_calendar_months(van, tot):
    assert volgende_evaluatie(van, None) == tot
