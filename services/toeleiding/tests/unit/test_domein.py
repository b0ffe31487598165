from datetime import date

import pytest

from toeleiding.domain import regels
from toeleiding.domain.organisator import Organisator
from toeleiding.domain.wijkwerker import Uitkeringsstatus, Wijkwerker
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

TARIEVEN = (595, 645, 695, 745)
GELDIG_INSZ = "85073003328"  # check digits valid (python-stdnum)


def _organisator(**kw) -> Organisator:
    args = dict(
        naam="Wijk-werken Brugge",
        samenwerkingsverband="Werkkracht10",
        gemeenten={"31005": "Brugge", "31022": "Oostkamp"},
        tarief_cent=745,
        tarief_vanaf=date(2018, 1, 1),
        toegelaten_tarieven=TARIEVEN,
    )
    args.update(kw)
    return Organisator.registreer(**args)


def _inschrijving(organisator, **kw) -> Wijkwerker:
    args = dict(
        insz=GELDIG_INSZ,
        voornaam="An",
        achternaam="Peeters",
        domicilie_nis_code="31005",
        organisator=organisator,
        uitkeringsstatus=Uitkeringsstatus.LEEFLOON,
        vdab_ingeschreven=True,
        ex_pwa=False,
        onbeperkt_recht=False,
        iban="BE68 5390 0754 7034",
        ingeschreven_op=date(2026, 1, 5),
    )
    args.update(kw)
    return Wijkwerker.schrijf_in(**args)


@pytest.mark.parametrize("nis", ["11002", "31005", "44021", "71022", "24062", "23088"])
def test_flemish_municipalities_are_accepted(nis):
    assert regels.is_vlaamse_gemeente(nis)


@pytest.mark.parametrize("nis", ["21004", "25005", "52011", "62063", "92094", "8100", "abcde"])
def test_brussels_and_walloon_or_malformed_codes_are_not_flanders(nis):
    assert not regels.is_vlaamse_gemeente(nis)


@pytest.mark.parametrize("prijs", TARIEVEN)
def test_every_allowed_tariff_is_accepted(prijs):
    assert _organisator(tarief_cent=prijs).tarief_op(date(2018, 1, 1)) == prijs


@pytest.mark.parametrize("prijs", [500, 600, 750, 0])
def test_a_tariff_outside_the_allowed_set_names_the_rule(prijs):
    with pytest.raises(OngeldigeInvoer) as err:
        _organisator(tarief_cent=prijs)
    assert err.value.rule == "tarief-niet-toegelaten"


def test_a_new_tariff_applies_from_its_date_and_keeps_history():
    o = _organisator(tarief_cent=595)
    o.leg_tarief_vast(745, date(2026, 7, 1), TARIEVEN)
    assert o.tarief_op(date(2026, 6, 30)) == 595
    assert o.tarief_op(date(2026, 7, 1)) == 745
    assert o.tarief_op(date(2017, 12, 31)) is None


def test_two_tariffs_from_the_same_day_conflict():
    o = _organisator()
    with pytest.raises(BestaatAl):
        o.leg_tarief_vast(595, date(2018, 1, 1), TARIEVEN)


def test_an_organiser_outside_flanders_is_refused():
    with pytest.raises(OngeldigeInvoer) as err:
        _organisator(gemeenten={"21004": "Brussel"})
    assert err.value.rule == "gemeente-niet-in-vlaanderen"


def test_a_valid_registration_starts_provisional_with_normalised_identifiers():
    w = _inschrijving(_organisator())
    assert w.status == "voorlopig"
    assert w.insz == GELDIG_INSZ
    assert w.iban == "BE68539007547034"


@pytest.mark.parametrize(
    ("kw", "rule"),
    [
        ({"insz": "85073003329"}, "insz-ongeldig"),
        ({"iban": "BE68539007547035"}, "iban-ongeldig"),
        ({"vdab_ingeschreven": False}, "niet-ingeschreven-bij-vdab"),
        ({"onbeperkt_recht": True}, "onbeperkt-recht-zonder-pwa"),
        ({"domicilie_nis_code": "11002"}, "buiten-werkingsgebied"),
        ({"domicilie_nis_code": "57081"}, "gemeente-niet-in-vlaanderen"),
    ],
)
def test_each_broken_rule_is_named(kw, rule):
    with pytest.raises(OngeldigeInvoer) as err:
        _inschrijving(_organisator(), **kw)
    assert err.value.rule == rule


def test_ex_pwa_may_hold_the_unlimited_right():
    w = _inschrijving(_organisator(), ex_pwa=True, onbeperkt_recht=True)
    assert w.onbeperkt_recht


def test_a_differing_tariff_in_the_same_samenwerkingsverband_is_refused():
    """A-18: W10 groups two organisers; from 1 July 2026 one of them would ask 7.45, the other 5.95."""
    a, b = _organisator(tarief_cent=595), _organisator(tarief_cent=595)
    a.controleer_zelfde_tarief([b])
    a.leg_tarief_vast(745, date(2026, 7, 1), TARIEVEN)
    with pytest.raises(BestaatAl) as err:
        a.controleer_zelfde_tarief([b])
    assert (err.value.rule, err.value.extra["datum"]) == ("tarief-verschilt-in-samenwerkingsverband", "2026-07-01")
    b.leg_tarief_vast(745, date(2026, 7, 1), TARIEVEN)
    a.controleer_zelfde_tarief([b])


def test_tariffs_compare_only_where_both_hold_one():
    assert regels.eerste_verschil([(date(2020, 1, 1), 745)], [(date(2018, 1, 1), 595), (date(2020, 1, 1), 745)]) is None
    assert regels.eerste_verschil([(date(2018, 1, 1), 595)], [(date(2019, 1, 1), 745)]) == date(2019, 1, 1)
