from datetime import time

import pytest

from prestaties.domain.uren import Plafonds, UrenStand, begonnen_uren, controleer_duur, controleer_plafonds
from wijkwerk.fouten import OngeldigeInvoer

PLAFONDS = Plafonds()


@pytest.mark.parametrize(
    ("minuten", "uren"),
    [(1, 1), (30, 1), (60, 1), (61, 2), (90, 2), (120, 2), (130, 3), (540, 9), (1440, 24)],
)
def test_every_started_hour_is_a_full_hour(minuten, uren):
    # 2h10 → 3 cheques, 1h30 → 2, 0h30 → 1.
    assert begonnen_uren(minuten) == uren


@pytest.mark.parametrize(("start", "minuten", "rule"), [
    (time(9, 0), 0, "duur-niet-positief"),
    (time(9, 0), -30, "duur-niet-positief"),
    (time(23, 0), 61, "niet-binnen-een-dag"),
    (time(0, 0), 1441, "niet-binnen-een-dag"),
])
def test_a_duration_is_positive_and_within_one_day(start, minuten, rule):
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_duur(start, minuten)
    assert err.value.rule == rule


@pytest.mark.parametrize(("start", "minuten"), [(time(23, 0), 60), (time(0, 0), 1440), (time(8, 15), 1)])
def test_a_block_that_ends_at_midnight_at_the_latest_is_fine(start, minuten):
    controleer_duur(start, minuten)


def test_the_monthly_cap_allows_exactly_sixty_hours():
    controleer_plafonds(9, UrenStand(maand=51, jaar=51), PLAFONDS)


def test_the_monthly_cap_names_its_rule_and_the_hours_left():
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_plafonds(9, UrenStand(maand=54, jaar=200), PLAFONDS)
    assert (err.value.rule, err.value.extra["uren_over"]) == ("max-60-uur-per-maand", 6)


def test_the_yearly_cap_counts_across_months():
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_plafonds(9, UrenStand(maand=0, jaar=625), PLAFONDS)
    assert (err.value.rule, err.value.extra["uren_over"]) == ("max-630-uur-per-jaar", 5)


def test_a_full_month_leaves_zero_not_a_negative_number():
    with pytest.raises(OngeldigeInvoer) as err:
        controleer_plafonds(1, UrenStand(maand=60, jaar=60), PLAFONDS)
    assert err.value.extra["uren_over"] == 0


def test_the_caps_are_settings_not_constants():
    # PR-25: another scheme, e.g. gemeenschapsdienst with 64 h/month.
    controleer_plafonds(64, UrenStand(0, 0), Plafonds(per_maand=64, per_jaar=700))
    with pytest.raises(OngeldigeInvoer):
        controleer_plafonds(61, UrenStand(0, 0), PLAFONDS)


def test_what_the_caps_leave():
    assert PLAFONDS.over(UrenStand(maand=42, jaar=600)) == UrenStand(maand=18, jaar=30)
    assert PLAFONDS.over(UrenStand(maand=70, jaar=700)) == UrenStand(maand=0, jaar=0)
