import uuid
from datetime import date

import pytest

from prestaties.domain.gebruiker import (
    Erkenning,
    ErkenningRegels,
    ErkenningStatus,
    Gebruiker,
    GebruikerCategorie,
    Geslacht,
)
from prestaties.domain.tarieven import Inschrijvingsrecht
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

REGELS = ErkenningRegels((Inschrijvingsrecht(date(2018, 1, 1), 750),))


def _erkenning(vanaf=date(2026, 2, 2), getekend=date(2026, 2, 2), regels=REGELS) -> Erkenning:
    return Erkenning.verleen(
        gebruiker_id=uuid.uuid4(), organisator_id=uuid.uuid4(), vanaf=vanaf, overeenkomst_op=getekend, regels=regels
    )


@pytest.mark.parametrize("categorie", [c for c in GebruikerCategorie if c is not GebruikerCategorie.PARTICULIER])
def test_only_a_private_person_has_a_gender(categorie):
    with pytest.raises(OngeldigeInvoer) as err:
        Gebruiker.registreer(
            categorie=categorie, naam="x", aangemeld_op=date(2026, 1, 1), aangemeld_bij=uuid.uuid4(), geslacht=Geslacht.MAN
        )
    assert err.value.rule == "geslacht-alleen-voor-particulier"


def test_a_private_person_may_leave_gender_out_or_give_it():
    for geslacht in (None, Geslacht.VROUW, Geslacht.ANDER_OF_ONBEKEND):
        g = Gebruiker.registreer(
            categorie=GebruikerCategorie.PARTICULIER, naam=" Maria ", aangemeld_op=date(2026, 1, 1),
            aangemeld_bij=uuid.uuid4(), geslacht=geslacht,
        )
        assert (g.geslacht, g.naam) == (geslacht, "Maria")


@pytest.mark.parametrize(("van", "tot"), [
    (date(2026, 2, 2), date(2027, 2, 1)),
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2028, 2, 29), date(2029, 2, 27)),  # a leap day: one year later is 28 Feb, minus a day
])
def test_a_validity_period_runs_one_year_minus_a_day(van, tot):
    periode = _erkenning(vanaf=van).perioden[0]
    assert (periode.van, periode.tot, periode.inschrijvingsrecht_cent) == (van, tot, 750)


def test_active_needs_signature_payment_and_validity():
    e = _erkenning(getekend=None)
    assert e.status_op(date(2026, 3, 1)) is ErkenningStatus.NIET_ONDERTEKEND
    e.onderteken(date(2026, 2, 10))
    assert e.status_op(date(2026, 3, 1)) is ErkenningStatus.NIET_BETAALD
    e.betaal(date(2026, 2, 20))
    assert e.actief_op(date(2026, 3, 1))
    # on its date the fee must be paid and the agreement signed.
    assert e.status_op(date(2026, 2, 19)) is ErkenningStatus.NIET_BETAALD
    assert e.status_op(date(2026, 2, 9)) is ErkenningStatus.NIET_ONDERTEKEND
    assert e.status_op(date(2027, 2, 2)) is ErkenningStatus.VERVALLEN  # not renewed: lapsed
    assert e.status_op(date(2026, 2, 1)) is ErkenningStatus.VERVALLEN  # not valid yet


def test_a_zero_fee_needs_no_payment():
    # PR-21: abolishing the fee is a configuration: a 0 rate from a date on.
    regels = ErkenningRegels((Inschrijvingsrecht(date(2018, 1, 1), 750), Inschrijvingsrecht(date(2027, 1, 1), 0)))
    e = _erkenning(vanaf=date(2027, 1, 1), regels=regels)
    assert e.perioden[0].inschrijvingsrecht_cent == 0
    assert e.actief_op(date(2027, 1, 1))
    with pytest.raises(BestaatAl) as err:
        e.betaal(date(2027, 1, 5))
    assert err.value.rule == "inschrijvingsrecht-al-betaald"


def test_renewal_adds_the_next_year_at_the_fee_then_valid():
    regels = ErkenningRegels((Inschrijvingsrecht(date(2018, 1, 1), 750), Inschrijvingsrecht(date(2027, 1, 1), 900)))
    e = _erkenning(regels=regels)
    e.betaal(date(2026, 2, 2))
    periode = e.hernieuw(None, regels)
    assert (periode.van, periode.tot, periode.inschrijvingsrecht_cent) == (date(2027, 2, 2), date(2028, 2, 1), 900)
    assert e.status_op(date(2027, 3, 1)) is ErkenningStatus.NIET_BETAALD
    assert e.betaal(date(2027, 2, 1)) is periode
    assert e.actief_op(date(2027, 3, 1))


def test_a_renewal_after_a_gap_starts_later_and_never_overlaps():
    e = _erkenning()
    with pytest.raises(OngeldigeInvoer) as err:
        e.hernieuw(date(2027, 1, 1), REGELS)
    assert err.value.rule == "hernieuwing-overlapt"
    e.hernieuw(date(2027, 9, 1), REGELS)
    assert e.status_op(date(2027, 5, 1)) is ErkenningStatus.VERVALLEN


def test_a_stopped_erkenning_is_not_active_after_its_last_day_and_cannot_change():
    e = _erkenning()
    e.betaal(date(2026, 2, 2))
    e.stop(date(2026, 6, 30), "gebruiker stopt")
    assert e.actief_op(date(2026, 6, 30))
    assert e.status_op(date(2026, 7, 1)) is ErkenningStatus.STOPGEZET
    with pytest.raises(BestaatAl) as err:
        e.hernieuw(None, REGELS)
    assert err.value.rule == "erkenning-stopgezet"


def test_signing_twice_is_a_conflict():
    with pytest.raises(BestaatAl) as err:
        _erkenning().onderteken(date(2026, 3, 1))
    assert err.value.rule == "erkenning-al-ondertekend"


def test_report_definition_active_in_a_month_needs_validity_beyond_its_end():
    # G-5: signed, paid, and the validity end lies after the end of month M.
    e = _erkenning(vanaf=date(2026, 2, 2))
    assert not e.actief_in_maand(2026, 3)  # not paid
    e.betaal(date(2026, 3, 31))
    assert e.actief_in_maand(2026, 3)
    assert e.actief_in_maand(2027, 1)
    assert not e.actief_in_maand(2027, 2)  # the validity ends on 1 Feb 2027, before the end of February
    assert not e.actief_in_maand(2026, 2)  # paid only in March
