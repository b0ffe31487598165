"""Payout amounts and periods (A-07)."""

import uuid
from datetime import date

import pytest

from cheques.domain.uitbetaling import Periode, controleer_periode, end_to_end_id, rundata, te_betalen
from wijkwerk.fouten import OngeldigeInvoer


def test_a_worker_is_paid_what_was_earned_up_to_the_period_minus_what_was_paid():
    # 3 prestaties of 2h10 = 9 cheques × 4.10 + a travel allowance of 3.00 on each of 3 days
    verdiend = 9 * 410 + 3 * 300
    assert te_betalen(verdiend, 0) == 4590
    assert te_betalen(verdiend + 820, 4590) == 820  # a later month pays only the new part
    assert te_betalen(verdiend, verdiend + 410) == 0  # never negative


def test_a_period_is_a_calendar_month_that_has_started():
    p = Periode.parse("2024-02")
    assert (p.eerste_dag, p.laatste_dag, str(p)) == (date(2024, 2, 1), date(2024, 2, 29), "2024-02")
    for fout in ("2024-13", "2024-2", "24-02"):
        with pytest.raises(OngeldigeInvoer):
            Periode.parse(fout)
    # the run's own (business) date decides, not today's; a run dated after today is refused
    controleer_periode(Periode.parse("2026-03"), date(2026, 3, 1), date(2026, 3, 1), date(2026, 12, 3))
    for run, vandaag in ((date(2026, 3, 31), date(2026, 12, 3)), (date(2026, 4, 2), date(2026, 4, 1))):
        with pytest.raises(OngeldigeInvoer) as exc:
            controleer_periode(Periode.parse("2026-04"), run, run, vandaag)
        assert exc.value.rule == "periode-in-de-toekomst"
    assert rundata(Periode.parse("2026-02"), None, None) == (date(2026, 3, 1), date(2026, 3, 1))


def test_the_end_to_end_id_fits_sepa_and_is_stable():
    w = uuid.uuid4()
    eid = end_to_end_id(Periode.parse("2026-03"), w)
    assert len(eid) <= 35 and eid == end_to_end_id(Periode(2026, 3), w)
