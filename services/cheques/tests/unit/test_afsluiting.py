"""The period close's rules, its booking-month rule, closing balances and hash, and how the
recompute's fold treats bookings moved out of a closed month (issue #17)."""

import uuid
from datetime import UTC, date, datetime

import pytest

from cheques.domain.afsluiting import BEGIN_KETEN, Keten, Kop, boekdatum, controleer_afsluiting, slotsaldi
from cheques.domain.afstemming import document, sluit
from cheques.domain.uitbetaling import Periode
from wijkwerk.events.cheques import InschrijvingsrechtGeboekt, PeriodeAfgesloten, UitbetalingUitgevoerd
from wijkwerk.events.prestaties import InschrijvingsrechtBetaald
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

from .test_herberekening import W, _cheque, _fold, _prestatie

JAN, FEB, MRT = Periode(2026, 1), Periode(2026, 2), Periode(2026, 3)
VANDAAG = date(2026, 12, 2)


@pytest.mark.parametrize(("periode", "laatst", "op", "rule"), [
    (JAN, None, date(2026, 1, 31), "periode-niet-voorbij"),  # its own month
    (MRT, None, date(2026, 2, 27), "periode-niet-voorbij"),  # a future one
    (JAN, None, date(2027, 1, 1), "afsluitdatum-in-de-toekomst"),
    (JAN, JAN, date(2026, 3, 1), "periode-al-afgesloten"),
    (Periode(2025, 12), JAN, date(2026, 3, 1), "periode-al-afgesloten"),  # frozen by the January close
    (MRT, JAN, date(2026, 4, 1), "vorige-periode-open"),
])
def test_a_close_is_refused_with_its_rule(periode, laatst, op, rule):
    with pytest.raises((OngeldigeInvoer, BestaatAl)) as fout:
        controleer_afsluiting(periode, laatst, op, VANDAAG)
    assert fout.value.rule == rule


def test_the_first_close_may_be_any_past_month_and_later_ones_follow_in_order():
    controleer_afsluiting(Periode(2019, 6), None, date(2026, 2, 1), VANDAAG)
    controleer_afsluiting(FEB, JAN, date(2026, 3, 1), VANDAAG)
    controleer_afsluiting(Periode(2026, 1), Periode(2025, 12), date(2026, 2, 1), VANDAAG)  # over a year's end


def test_a_fact_dated_in_a_closed_month_is_booked_on_the_first_day_of_the_first_open_month():
    assert boekdatum(date(2026, 1, 28), None) == date(2026, 1, 28)
    assert boekdatum(date(2026, 1, 28), JAN) == date(2026, 2, 1)
    assert boekdatum(date(2025, 11, 3), JAN) == date(2026, 2, 1)  # also from long before
    assert boekdatum(date(2026, 2, 1), JAN) == date(2026, 2, 1)
    assert boekdatum(date(2025, 12, 31), Periode(2025, 12)) == date(2026, 1, 1)


def test_closing_balances_carry_nonzero_accounts_through_months_without_movement():
    rijen = slotsaldi({"bank": -500, "wijkwerker:w": 0}, {
        date(2026, 1, 1): {"chequegelden": (745, 0), "wijkwerker:w": (0, 410)},
        date(2026, 3, 1): {"wijkwerker:w": (410, 0)},
    }, date(2026, 1, 1), date(2026, 3, 1))
    assert [(r["maand"].month, r["rekening"], r["debet_cent"], r["credit_cent"], r["saldo_cent"]) for r in rijen] == [
        (1, "bank", 0, 0, -500), (1, "chequegelden", 745, 0, 745), (1, "wijkwerker:w", 0, 410, -410),
        (2, "bank", 0, 0, -500), (2, "chequegelden", 0, 0, 745), (2, "wijkwerker:w", 0, 0, -410),
        (3, "bank", 0, 0, -500), (3, "chequegelden", 0, 0, 745), (3, "wijkwerker:w", 410, 0, 0),
    ]


def _hash(kop: Kop, lijnen: list[tuple[str, int, int]], saldo: int = 745) -> str:
    keten = Keten(kop)
    keten.transactie({"sleutel": "cheque:S1", "soort": "cheque", "boekdatum": date(2026, 1, 8),
                      "boekmaand": date(2026, 1, 1), "omschrijving": "cheque S1",
                      "geboekt_op": datetime(2026, 1, 8, 9, tzinfo=UTC)}, lijnen)
    keten.saldo({"maand": date(2026, 1, 1), "rekening": "chequegelden", "debet_cent": 745, "credit_cent": 0,
                 "saldo_cent": saldo})
    return keten.hexdigest()


def test_the_hash_is_canonical_and_changes_with_any_stored_value_or_the_chain():
    kop = Kop(date(2026, 1, 1), date(2026, 1, 1), date(2026, 2, 3), datetime(2026, 2, 3, 8, tzinfo=UTC), BEGIN_KETEN)
    lijnen = [("chequegelden", 745, 0), ("uitgever", 0, 58), ("organisator:o", 0, 687)]
    basis = _hash(kop, lijnen)
    assert basis == _hash(kop, list(reversed(lijnen)))  # the lines' order in storage does not matter
    assert len(basis) == 64
    assert basis != _hash(kop, [("chequegelden", 745, 0), ("uitgever", 0, 68), ("organisator:o", 0, 677)])
    assert basis != _hash(kop, lijnen, saldo=746)
    andere_keten = Kop(kop.maand, kop.van, kop.afgesloten_op, kop.geregistreerd_om, "1" * 64)
    assert basis != _hash(andere_keten, lijnen)


def test_a_reconciliation_states_both_identities():
    doc = document(date(2026, 1, 1), date(2026, 1, 31), "o", (8, 5960),
                   {"gevalideerd": (4, 2980), "terugbetaald": (1, 745), "vervallen": (1, 745), "openstaand": (2, 1490)},
                   4, 2980, {"wijkwerker": 1640, "verzekering": 168, "reisfonds": 40, "uitgever": 222,
                             "organisator": 910})
    assert sluit(doc) and doc["cheques"]["verschil"] == {"aantal": 0, "cent": 0}
    scheef = document(date(2026, 1, 1), date(2026, 1, 31), "o", (8, 5960), {"gevalideerd": (4, 2980)}, 4, 2980,
                      {"wijkwerker": 1640})
    assert not sluit(scheef) and scheef["cheques"]["verschil"] == {"aantal": 4, "cent": 2980}


# --- the recompute's fold -------------------------------------------------------------

def _afgesloten(periode: Periode) -> PeriodeAfgesloten:
    return PeriodeAfgesloten(
        periode=str(periode), maand=periode.eerste_dag, van=periode.eerste_dag, volgnummer=1,
        afgesloten_op=date(2026, 2, 3), geregistreerd_om=datetime(2026, 2, 3, 8, tzinfo=UTC), transacties=1,
        hash="a" * 64, vorige_hash=BEGIN_KETEN)


def test_the_fold_books_a_late_validation_in_the_month_the_event_names_and_checks_it_against_the_closes():
    p = _prestatie(date(2026, 1, 26))
    laat = _cheque(p, "S5", date(2026, 1, 28), boekmaand=date(2026, 2, 1))
    fold = _fold(p, laat, _afgesloten(JAN))
    assert fold.saldi[("chequegelden", date(2026, 2, 1))] == 745 and ("chequegelden", date(2026, 1, 1)) not in {
        k for k, v in fold.saldi.items() if v}
    assert fold.saldi[(f"wijkwerker:{W}", date(2026, 2, 1))] == -(410 + 300)  # with the day's allowance
    assert fold.fouten == [] and fold.afgesloten == {date(2026, 1, 1): "a" * 64}
    # Without the close (or with a close that does not cover January) it is unexplained.
    for zonder in (_fold(p, laat), _fold(p, laat, _afgesloten(Periode(2025, 12)))):
        assert len(zonder.fouten) == 1 and zonder.fouten[0].endswith("boeking-verschoven-zonder-afsluiting")


def test_the_fold_books_a_fee_and_a_payout_in_the_months_the_cheques_topic_names():
    erkenning, organisator = uuid.uuid4(), uuid.uuid4()
    fee = InschrijvingsrechtBetaald(
        gebruiker_id=uuid.uuid4(), erkenning_id=erkenning, organisator_id=organisator, bedrag_cent=750, jaar=2026,
        geldig_van=date(2026, 1, 1), geldig_tot=date(2026, 12, 31), betaald_op=date(2026, 1, 15))
    geboekt = InschrijvingsrechtGeboekt(erkenning_id=erkenning, organisator_id=organisator, jaar=2026, bedrag_cent=750,
                                        betaald_op=date(2026, 1, 15), boekmaand=date(2026, 2, 1))
    p = _prestatie(date(2026, 1, 12), vergoeding=0)
    betaling = UitbetalingUitgevoerd(wijkwerker_id=W, periode="2026-01", bedrag_cent=410,
                                     uitgevoerd_op=date(2026, 2, 5), end_to_end_id="x", boekmaand=date(2026, 2, 1))
    for volgorde in ((geboekt, fee), (fee, geboekt)):  # the topics' order does not matter for the fee
        fold = _fold(*volgorde, _afgesloten(JAN), p, _cheque(p, "S1", date(2026, 1, 20)), betaling)
        assert fold.saldi[("inschrijvingsgelden", date(2026, 2, 1))] == 750
        assert fold.saldi.get(("inschrijvingsgelden", date(2026, 1, 1)), 0) == 0
        assert fold.saldi[("bank", date(2026, 2, 1))] == -410  # January's pay, booked in February
        assert fold.saldi[(f"wijkwerker:{W}", date(2026, 2, 1))] == 410
        assert fold.fouten == []
    # An old payout event (no booking month) stays in its period.
    oud = UitbetalingUitgevoerd(wijkwerker_id=W, periode="2026-01", bedrag_cent=410, uitgevoerd_op=date(2026, 2, 5),
                                end_to_end_id="x")
    assert _fold(p, _cheque(p, "S1", date(2026, 1, 20)), oud).saldi[("bank", date(2026, 1, 1))] == -410
