from datetime import date, time

import pytest

from prestaties.domain.gebruiker import GebruikerCategorie
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.prestatie import Partij, Prestatie, PrestatieStatus
from prestaties.domain.uren import Plafonds, UrenStand
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


def test_a_valid_prestatie_counts_started_hours_and_its_trajectory(wereld):
    p = Prestatie.registreer(wereld.aanvraag(minuten=130), wereld.context())
    assert (p.begonnen_uren, p.traject_id, p.status) == (3, wereld.venster.traject_id, PrestatieStatus.GEREGISTREERD)
    assert (p.wijkwerker_id, p.gebruiker_id, p.organisator_id) == (
        wereld.wijkwerker_id, wereld.gebruiker.id, wereld.organisator_id,
    )


@pytest.mark.parametrize(("km", "recht", "cent"), [(5, False, 0), (6, True, 180), (8, True, 240)])
def test_more_than_five_km_entitles_travel_allowance(maak_wereld, km, recht, cent):
    w = maak_wereld(afstand_km=km)
    p = Prestatie.registreer(w.aanvraag(), w.context())
    assert (p.afstand_km, p.recht_op_verplaatsingsvergoeding, p.verplaatsingsvergoeding_dag_cent) == (km, recht, cent)


def _regel(wereld, aanvraag=None, **ctx) -> str:
    with pytest.raises(OngeldigeInvoer) as err:
        Prestatie.registreer(aanvraag or wereld.aanvraag(), wereld.context(**ctx))
    return err.value.rule


def test_each_rule_is_named(wereld):
    assert _regel(wereld, wereld.aanvraag(minuten=0)) == "duur-niet-positief"
    assert _regel(wereld, wereld.aanvraag(start=time(22, 0), minuten=121)) == "niet-binnen-een-dag"
    assert _regel(wereld, wereld.aanvraag(datum=date(2026, 11, 24))) == "datum-in-de-toekomst"
    assert _regel(wereld, wereld.aanvraag(datum=date(2026, 1, 11))) == "buiten-koppeling"
    assert _regel(wereld, wereld.aanvraag(datum=date(2026, 7, 10))) == "buiten-traject"
    assert _regel(wereld, wereld.aanvraag(datum=date(2026, 3, 5))) == "traject-geschorst"
    assert _regel(wereld, erkenning=None) == "geen-actieve-erkenning"
    assert _regel(wereld, stand=UrenStand(maand=58, jaar=58)) == "max-60-uur-per-maand"
    assert _regel(wereld, stand=UrenStand(maand=0, jaar=628)) == "max-630-uur-per-jaar"


def test_an_erkenning_that_lapsed_or_is_unpaid_is_not_active(wereld):
    wereld.erkenning.stop(date(2026, 1, 31), "gestopt")
    assert _regel(wereld) == "geen-actieve-erkenning"


def test_an_activity_the_matrix_no_longer_allows_is_refused(wereld):
    wereld.activiteit.wijzig_toegelaten(frozenset({GebruikerCategorie.VZW}))
    assert _regel(wereld) == "activiteit-niet-toegelaten"


def test_the_monthly_cap_leaves_exactly_what_it_says(wereld):
    with pytest.raises(OngeldigeInvoer) as err:
        Prestatie.registreer(wereld.aanvraag(minuten=540), wereld.context(stand=UrenStand(maand=54, jaar=54)))
    cijfers = {k: v for k, v in err.value.extra.items() if k != "geschonden_regels"}
    assert cijfers == {"uren_gebruikt": 54, "uren_gevraagd": 9, "uren_over": 6, "plafond": 60}
    p = Prestatie.registreer(wereld.aanvraag(minuten=360), wereld.context(stand=UrenStand(maand=54, jaar=54)))
    assert p.begonnen_uren == 6


def _geregistreerd(wereld, door=Partij.WIJKWERKER) -> Prestatie:
    return Prestatie.registreer(wereld.aanvraag(door=door), wereld.context())


def test_the_other_party_confirms(wereld):
    p = _geregistreerd(wereld)
    with pytest.raises(OngeldigeInvoer) as err:
        p.bevestig(Partij.WIJKWERKER, p.datum, p.datum)
    assert err.value.rule == "andere-partij-bevestigt"
    p.bevestig(Partij.GEBRUIKER, p.datum, p.datum)
    assert p.status is PrestatieStatus.BEVESTIGD
    with pytest.raises(BestaatAl) as conflict:
        p.betwist(Partij.ORGANISATOR, p.datum, p.datum, "te lang")
    assert conflict.value.rule == "prestatie-niet-open"


def test_a_disputed_prestatie_is_corrected_and_confirmed_again(wereld):
    p = _geregistreerd(wereld, door=Partij.GEBRUIKER)
    p.betwist(Partij.WIJKWERKER, p.datum, p.datum, "te lang")
    assert p.status is PrestatieStatus.BETWIST
    vorige = p.corrigeer(time(9, 0), 200, Partij.WIJKWERKER, UrenStand(3, 3), Plafonds())
    assert (vorige, p.begonnen_uren, p.status, p.ingevoerd_door) == (
        3, 4, PrestatieStatus.GEREGISTREERD, Partij.WIJKWERKER,
    )
    p.bevestig(Partij.GEBRUIKER, p.datum, p.datum)
    assert p.version == 4


def test_a_correction_replaces_its_own_hours_under_the_cap(wereld):
    p = _geregistreerd(wereld)  # 3 started hours
    # 60 counted this month including these 3: 3 → 3 is fine, 3 → 4 is not.
    p.corrigeer(time(10, 0), 180, Partij.ORGANISATOR, UrenStand(60, 60), Plafonds())
    with pytest.raises(OngeldigeInvoer) as err:
        p.corrigeer(time(10, 0), 181, Partij.ORGANISATOR, UrenStand(60, 60), Plafonds())
    assert (err.value.rule, err.value.extra["uren_over"]) == ("max-60-uur-per-maand", 3)


def test_a_cancelled_prestatie_cannot_change_any_more(wereld):
    p = _geregistreerd(wereld)
    p.annuleer()
    for change in (lambda: p.annuleer(), lambda: p.bevestig(Partij.GEBRUIKER, p.datum, p.datum),
                   lambda: p.corrigeer(time(9, 0), 60, Partij.GEBRUIKER, UrenStand(0, 0), Plafonds())):
        with pytest.raises(BestaatAl) as err:
            change()
        assert err.value.rule == "prestatie-geannuleerd"


def test_a_placement_is_made_inside_the_area_with_an_erkenning_and_an_allowed_activity(wereld):
    def maak(**kw):
        args = dict(
            wijkwerker_id=wereld.wijkwerker_id, gebruiker=wereld.gebruiker, erkenning=wereld.erkenning,
            activiteit=wereld.activiteit, werkingsgebied={"31005"}, locatie_nis_code="31005", afstand_km=3,
            start=date(2026, 2, 1),
        )
        args.update(kw)
        return Koppeling.maak(**args)

    assert maak().organisator_id == wereld.organisator_id
    for kw, rule in [
        ({"locatie_nis_code": "36015"}, "buiten-werkingsgebied"),
        ({"afstand_km": -1}, "afstand-ongeldig"),
        ({"erkenning": None}, "geen-erkenning"),
    ]:
        with pytest.raises(OngeldigeInvoer) as err:
            maak(**kw)
        assert err.value.rule == rule


def test_a_placement_ends_once_and_not_before_it_starts(wereld):
    k = wereld.koppeling
    with pytest.raises(OngeldigeInvoer):
        k.beeindig(date(2026, 1, 1), "x")
    k.beeindig(date(2026, 5, 31), "verhuisd")
    assert k.loopt_op(date(2026, 5, 31)) and not k.loopt_op(date(2026, 6, 1))
    with pytest.raises(BestaatAl):
        k.beeindig(date(2026, 6, 30), "x")


def test_a_refusal_names_the_first_broken_rule_and_lists_every_one(wereld):
    """A-23: trajectory window, erkenning, matrix, month cap, year cap, in that order."""
    wereld.activiteit.wijzig_toegelaten(frozenset({GebruikerCategorie.VZW}))
    with pytest.raises(OngeldigeInvoer) as err:
        Prestatie.registreer(
            wereld.aanvraag(datum=date(2026, 3, 5)),
            wereld.context(erkenning=None, stand=UrenStand(maand=59, jaar=629)),
        )
    assert err.value.rule == "traject-geschorst"
    assert [r["rule"] for r in err.value.extra["geschonden_regels"]] == [
        "traject-geschorst", "geen-actieve-erkenning", "activiteit-niet-toegelaten",
        "max-60-uur-per-maand", "max-630-uur-per-jaar",
    ]
    assert all(r["detail"] for r in err.value.extra["geschonden_regels"])


def test_a_single_broken_rule_is_listed_alone_with_its_figures(wereld):
    with pytest.raises(OngeldigeInvoer) as err:
        Prestatie.registreer(wereld.aanvraag(), wereld.context(stand=UrenStand(maand=0, jaar=629)))
    assert err.value.rule == "max-630-uur-per-jaar"
    assert [r["rule"] for r in err.value.extra["geschonden_regels"]] == ["max-630-uur-per-jaar"]
    assert err.value.extra["uren_over"] == 1


def test_a_correction_is_dated_on_or_after_the_prestatie_and_not_in_the_future(wereld):
    """A-20: the business date the storno of its cheques is booked by."""
    p = _geregistreerd(wereld)
    assert _wijziging(p, date(2026, 2, 3), date(2026, 4, 1)) == "wijziging-voor-prestatie"
    assert _wijziging(p, date(2026, 4, 2), date(2026, 4, 1)) == "datum-in-de-toekomst"
    p.controleer_wijzigingsdatum(date(2026, 2, 4), date(2026, 4, 1))


def _wijziging(p, op, vandaag) -> str:
    with pytest.raises(OngeldigeInvoer) as err:
        p.controleer_wijzigingsdatum(op, vandaag)
    return err.value.rule
