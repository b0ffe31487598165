from datetime import date

import pytest

from prestaties.config import Settings
from prestaties.domain.tarieven import Inschrijvingsrecht, VerplaatsingsRegel, geldig_op
from wijkwerk.fouten import OngeldigeInvoer

RECHTEN = (Inschrijvingsrecht(date(2018, 1, 1), 750), Inschrijvingsrecht(date(2027, 1, 1), 0))


def test_the_rate_valid_on_a_day_is_the_latest_that_started():
    assert geldig_op(RECHTEN, date(2026, 12, 31), wat="fee").cent == 750
    assert geldig_op(RECHTEN, date(2027, 1, 1), wat="fee").cent == 0
    assert geldig_op(tuple(reversed(RECHTEN)), date(2026, 6, 1), wat="fee").cent == 750


def test_before_the_first_rate_there_is_none():
    with pytest.raises(OngeldigeInvoer) as err:
        geldig_op(RECHTEN, date(2017, 12, 31), wat="fee")
    assert err.value.rule == "geen-tarief"


@pytest.mark.parametrize(("km", "recht", "cent"), [(0, False, 0), (5, False, 0), (6, True, 180), (12, True, 360)])
def test_travel_allowance_only_above_five_km_return_trip_per_day(km, recht, cent):
    # exactly 5 km gives nothing; 2 × km × €0.15 once per day.
    regel = VerplaatsingsRegel(date(2018, 1, 1))
    assert (regel.recht_op_vergoeding(km), regel.dagvergoeding_cent(km)) == (recht, cent)


def test_the_travel_rule_is_effective_dated():
    regels = (VerplaatsingsRegel(date(2018, 1, 1)), VerplaatsingsRegel(date(2027, 1, 1), drempel_km=10, cent_per_km=20))
    assert geldig_op(regels, date(2026, 12, 31), wat="rule").recht_op_vergoeding(8)
    assert not geldig_op(regels, date(2027, 1, 1), wat="rule").recht_op_vergoeding(8)


def test_the_default_settings_follow_the_seeds():
    s = Settings()
    assert s.inschrijvingsrecht == (Inschrijvingsrecht(date(2018, 1, 1), 750),)  # G-3, A-15
    assert (s.max_uren_per_maand, s.max_uren_per_jaar) == (60, 630)  # H-1, H-2
    assert geldig_op(s.verplaatsing, date(2026, 1, 1), wat="rule").dagvergoeding_cent(10) == 300


def test_the_fee_table_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(
        "PRESTATIES_INSCHRIJVINGSRECHT", '[{"vanaf": "2018-01-01", "cent": 750}, {"vanaf": "2027-01-01", "cent": 0}]'
    )
    assert Settings().inschrijvingsrecht == RECHTEN
