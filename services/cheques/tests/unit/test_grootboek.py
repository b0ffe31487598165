"""Ledger transactions: balanced, one side per line, keyed for idempotency."""

import uuid
from datetime import date

import pytest

from cheques.domain import grootboek as g
from cheques.domain.verdeling import Verdeling

W, O, K = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_a_cheque_posts_its_price_out_of_chequegelden_split_over_the_parties():
    t = g.cheque_transactie("S1", Verdeling(410, 42, 10, 58, 225), W, O, date(2026, 3, 5))
    assert (t.sleutel, t.boekmaand, t.debet, t.credit) == ("cheque:S1", date(2026, 3, 1), 745, 745)
    assert {b.rekening: b.credit for b in t.boekingen if b.credit} == {
        f"wijkwerker:{W}": 410, "verzekering": 42, "reisfonds": 10, "uitgever": 58, f"organisator:{O}": 225,
    }


def test_a_zero_part_posts_no_line():
    t = g.cheque_transactie("S2", Verdeling(410, 42, 10, 0, 0), W, O, date(2026, 3, 5))
    assert [b.rekening for b in t.boekingen] == ["chequegelden", f"wijkwerker:{W}", "verzekering", "reisfonds"]


def test_an_unbalanced_or_two_sided_transaction_cannot_be_made():
    with pytest.raises(g.OnevenwichtigeTransactie):
        g.Transactie("x", "test", date(2026, 1, 1), (g.Boeking("bank", debet=5), g.Boeking("reisfonds", credit=4)))
    with pytest.raises(g.OnevenwichtigeTransactie):
        g.Transactie("x", "test", date(2026, 1, 1), (g.Boeking("bank", debet=5, credit=5),))
    with pytest.raises(g.OnevenwichtigeTransactie):
        g.Transactie("x", "test", date(2026, 1, 1), ())


def test_the_travel_allowance_of_a_day_at_a_placement_has_one_key_whatever_the_cheque():
    eerste = g.reis_transactie(K, date(2026, 3, 2), 300, W, date(2026, 3, 5))
    later = g.reis_transactie(K, date(2026, 3, 2), 300, W, date(2026, 4, 9))
    assert eerste.sleutel == later.sleutel == f"reis:{K}:2026-03-02"
    assert g.reis_transactie(K, date(2026, 3, 3), 300, W, date(2026, 3, 5)).sleutel != eerste.sleutel


def test_fees_and_payouts_are_keyed_per_erkenning_year_and_per_run_and_worker():
    e = uuid.uuid4()
    assert g.inschrijving_transactie(e, 2026, 750, O, date(2026, 1, 3)).sleutel == f"inschrijving:{e}:2026"
    t = g.uitbetaling_transactie("2026-03", W, 1230, date(2026, 3, 31))
    assert (t.sleutel, t.boekingen[0].rekening, t.boekingen[1].rekening) == (f"uitbetaling:2026-03:{W}", f"wijkwerker:{W}", "bank")


def test_a_storno_mirrors_the_posted_split_line_by_line_in_its_own_month():
    for drager_fee, rest in ((58, 225), (48, 235)):
        origineel = g.cheque_transactie("S1", Verdeling(410, 42, 10, drager_fee, rest), W, O, date(2026, 3, 5))
        storno = g.storno_transactie(origineel, date(2026, 4, 10))
        assert (storno.sleutel, storno.soort, storno.boekmaand) == ("storno:cheque:S1", "storno", date(2026, 4, 1))
        assert [(b.rekening, b.debet, b.credit) for b in storno.boekingen] == [
            (b.rekening, b.credit, b.debet) for b in origineel.boekingen]
        assert storno.debet == storno.credit == 745
        assert g.verdeling_van(origineel) == Verdeling(410, 42, 10, drager_fee, rest)
    reis = g.reis_transactie(K, date(2026, 3, 2), 300, W, date(2026, 3, 5))
    assert [(b.rekening, b.debet, b.credit) for b in g.storno_transactie(reis, date(2026, 4, 10)).boekingen] == [
        ("reisfonds", 0, 300), (f"wijkwerker:{W}", 300, 0)]


def test_a_fact_posted_again_after_its_storno_gets_a_numbered_key():
    v = Verdeling(410, 42, 10, 58, 225)
    assert g.cheque_transactie("S1", v, W, O, date(2026, 4, 11), validatie=2).sleutel == "cheque:S1:2"
    assert g.reis_transactie(K, date(2026, 3, 2), 300, W, date(2026, 4, 11), toekenning=2).sleutel == (
        f"reis:{K}:2026-03-02:2")
