"""A gebruiker's cheque counters (issue #23 item 1): usable cheques per carrier and their
expiry, by the same A-21 test that refuses an expired cheque for a prestatie."""

import uuid
from datetime import date

from cheques.domain.cheque import geldig_tot
from cheques.domain.tellers import drager_teller, per_drager, tellers
from cheques.domain.voorraad import ChequeFeiten

ORG = uuid.uuid4()
G = uuid.uuid4()


def _feit(tot: date, *, gevalideerd=False, terugbetaald=False, gemeld=False) -> ChequeFeiten:
    return ChequeFeiten(tot, gevalideerd, terugbetaald, gemeld)


def test_validity_is_issue_date_plus_months_minus_one_day():
    assert geldig_tot(date(2026, 1, 6), 12) == date(2027, 1, 5)
    assert geldig_tot(date(2026, 1, 31), 1) == date(2026, 2, 27)  # clamped, then the day before
    assert geldig_tot(date(2026, 12, 1), 12) == date(2027, 11, 30)


def test_only_outstanding_cheques_count_grouped_by_last_day():
    feiten = [_feit(date(2027, 1, 5)), _feit(date(2027, 1, 5)), _feit(date(2026, 7, 1)),
              _feit(date(2027, 1, 5), gevalideerd=True), _feit(date(2027, 1, 5), terugbetaald=True)]
    t = drager_teller(ORG, "papier", feiten, date(2026, 6, 15))
    assert t.over == 3
    assert [(v.geldig_tot, v.aantal) for v in t.vervaldagen] == [(date(2026, 7, 1), 1), (date(2027, 1, 5), 2)]
    assert t.eerste_vervaldag == date(2026, 7, 1)
    assert t.vervalt_binnen(date(2026, 6, 15), 30) == 1
    assert t.vervalt_binnen(date(2026, 6, 15), 16) == 0  # 1 July is 16 days away


def test_the_last_valid_day_counts_the_day_after_not():
    feiten = [_feit(date(2027, 1, 5))]
    assert drager_teller(ORG, "papier", feiten, date(2027, 1, 5)).over == 1
    na = drager_teller(ORG, "papier", feiten, date(2027, 1, 6))
    assert (na.over, na.eerste_vervaldag, na.vervaldagen) == (0, None, ())


def test_a_lapse_reported_by_the_issuer_is_not_usable():
    assert drager_teller(ORG, "elektronisch", [_feit(date(2027, 1, 5), gemeld=True)], date(2026, 6, 1)).over == 0


def test_per_organiser_and_carrier_and_totals_per_carrier():
    ander = uuid.uuid4()
    per = {(ORG, G, "papier"): [_feit(date(2027, 1, 5))] * 2, (ORG, G, "elektronisch"): [_feit(date(2027, 2, 1))],
           (ander, G, "papier"): [_feit(date(2026, 12, 31))], (ander, G, "elektronisch"): []}
    rijen = tellers(per, date(2026, 6, 1))
    assert sorted((str(t.organisator_id), t.drager, t.over) for t in rijen) == sorted([
        (str(ORG), "papier", 2), (str(ORG), "elektronisch", 1), (str(ander), "papier", 1),
        (str(ander), "elektronisch", 0)])
    assert per_drager(rijen) == {"papier": 3, "elektronisch": 1}
