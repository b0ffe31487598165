"""Cheque lifecycle rules: used once, not expired, same gebruiker and organiser (A-14),
never more cheques than started hours, validity from the issue date (A-13)."""

import uuid
from dataclasses import replace
from datetime import date

import pytest

from cheques.domain.cheque import Bestelling, Cheque, Prestatie, Status, geldig_tot
from wijkwerk.fouten import DomainError

G, O = uuid.uuid4(), uuid.uuid4()
BESTELLING = Bestelling(uuid.uuid4(), "vdab", G, O, 10, "papier", date(2026, 1, 5), 745)
PRESTATIE = Prestatie(uuid.uuid4(), uuid.uuid4(), G, O, uuid.uuid4(), date(2026, 3, 2), 3, 300)


def _cheque(**kw) -> Cheque:
    return Cheque("S1", BESTELLING, date(2026, 1, 6), geldig_tot(date(2026, 1, 6), 12), **kw)


def _regel(fn) -> str:
    with pytest.raises(DomainError) as exc:
        fn()
    return exc.value.rule


def test_validity_runs_twelve_months_from_issue_minus_a_day():
    assert geldig_tot(date(2026, 1, 6), 12) == date(2027, 1, 5)
    assert geldig_tot(date(2024, 2, 29), 12) == date(2025, 2, 27)  # no 29 February in 2025


def test_a_valid_cheque_is_tied_to_the_prestatie():
    cheque = _cheque()
    cheque.valideer(PRESTATIE, date(2026, 4, 20), al_gevalideerd=2)  # months later is fine (P-4)
    assert (cheque.status, cheque.prestatie_id, cheque.gevalideerd_op) == (Status.GEVALIDEERD, PRESTATIE.id, date(2026, 4, 20))


def test_the_validation_rules():
    nu = date(2026, 3, 5)
    gebruikt = _cheque(status=Status.GEVALIDEERD)
    assert _regel(lambda: gebruikt.valideer(PRESTATIE, nu, 0)) == "cheque-al-gebruikt"
    laat = replace(PRESTATIE, datum=date(2027, 1, 6))
    assert _regel(lambda: _cheque(status=Status.VERVALLEN).valideer(laat, date(2027, 1, 7), 0)) == "cheque-vervallen"
    assert _regel(lambda: _cheque(status=Status.TERUGBETAALD).valideer(PRESTATIE, nu, 0)) == "cheque-terugbetaald"
    ander = replace(PRESTATIE, gebruiker_id=uuid.uuid4())
    assert _regel(lambda: _cheque().valideer(ander, nu, 0)) == "cheque-andere-gebruiker"
    elders = replace(PRESTATIE, organisator_id=uuid.uuid4())
    assert _regel(lambda: _cheque().valideer(elders, nu, 0)) == "cheque-andere-gebruiker"
    laat = replace(PRESTATIE, datum=date(2027, 1, 6))
    assert _regel(lambda: _cheque().valideer(laat, date(2027, 1, 7), 0)) == "cheque-vervallen"
    assert _regel(lambda: _cheque().valideer(PRESTATIE, nu, al_gevalideerd=3)) == "meer-cheques-dan-uren"
    geannuleerd = replace(PRESTATIE, geannuleerd=True)
    assert _regel(lambda: _cheque().valideer(geannuleerd, nu, 0)) == "meer-cheques-dan-uren"
    assert _regel(lambda: _cheque().valideer(PRESTATIE, date(2026, 3, 1), 0)) == "validatie-voor-prestatie"


def test_only_an_unused_cheque_is_refunded_or_expires():
    cheque = _cheque()
    cheque.betaal_terug(date(2026, 5, 1))
    assert cheque.status is Status.TERUGBETAALD
    assert _regel(lambda: cheque.laat_vervallen(date(2027, 1, 6))) == "cheque-terugbetaald"
    assert _regel(lambda: _cheque(status=Status.GEVALIDEERD).betaal_terug(date(2026, 5, 1))) == "cheque-al-gebruikt"


def test_an_issue_never_exceeds_the_order():
    assert _regel(lambda: BESTELLING.controleer_uitgifte(8, ("A", "B", "C"), date(2026, 1, 6))) == "meer-cheques-dan-besteld"
    assert _regel(lambda: BESTELLING.controleer_uitgifte(0, ("A", "A"), date(2026, 1, 6))) == "serienummer-dubbel"
    assert _regel(lambda: BESTELLING.controleer_uitgifte(0, ("A",), date(2026, 1, 4))) == "uitgifte-voor-bestelling"
    assert BESTELLING.totaal_cent == 7450


def test_a_reversed_validation_makes_the_cheque_usable_again_unless_its_validity_ended():
    cheque = _cheque()
    cheque.valideer(PRESTATIE, date(2026, 3, 5), al_gevalideerd=0)
    assert cheque.draai_validatie_terug(date(2026, 4, 10)) is True
    assert (cheque.status, cheque.prestatie_id, cheque.gevalideerd_op, cheque.validatie) == (
        Status.UITGEGEVEN, None, None, 2)
    cheque.valideer(PRESTATIE, date(2026, 4, 11), al_gevalideerd=0)  # pays again
    assert cheque.draai_validatie_terug(date(2027, 1, 6)) is False  # valid until 5 January 2027
    assert (cheque.status, cheque.afgesloten_op, cheque.validatie) == (Status.VERVALLEN, date(2027, 1, 6), 3)
    assert _regel(lambda: cheque.draai_validatie_terug(date(2027, 1, 7))) == "cheque-niet-gevalideerd"


def test_the_cheques_beyond_the_hours_are_the_newest_validations():
    from cheques.domain.cheque import overtollige

    cheques = [_cheque(status=Status.GEVALIDEERD, gevalideerd_op=date(2026, 3, d)) for d in (5, 3, 5, 4)]
    for i, c in enumerate(cheques):
        c.serienummer = f"S{i}"
    assert [c.serienummer for c in overtollige(cheques, 1)] == ["S2", "S0", "S3"]  # same day: highest serial first
    assert overtollige(cheques, 4) == [] and overtollige(cheques, 9) == []
    assert len(overtollige(cheques, 0)) == 4


def test_validity_is_judged_on_the_prestatie_date_whatever_was_reported():
    """A-21: valid through 5 Jan 2027; a cheque submitted after it lapsed still pays a
    prestatie of 2 March 2026, and the last valid day counts."""
    vervallen = _cheque(status=Status.VERVALLEN, afgesloten_op=date(2027, 1, 6))
    vervallen.valideer(PRESTATIE, date(2027, 2, 1), 0)
    assert (vervallen.status, vervallen.gevalideerd_op, vervallen.afgesloten_op) == (
        Status.GEVALIDEERD, date(2027, 2, 1), None)
    laatste_dag = replace(PRESTATIE, datum=date(2027, 1, 5))
    _cheque().valideer(laatste_dag, date(2027, 3, 1), 0)


def test_a_cheque_does_not_lapse_within_its_validity():
    """A-21: the platform enforces expiry itself; a lapse reported within the validity is refused."""
    assert _regel(lambda: _cheque().laat_vervallen(date(2027, 1, 5))) == "cheque-nog-geldig"
    cheque = _cheque()
    cheque.laat_vervallen(date(2027, 1, 6))
    assert cheque.status is Status.VERVALLEN
