"""The confirmation window (issue #23 item 3): working-day arithmetic and the rules of
confirming, disputing, silence and resolving."""

from datetime import date

import pytest

from prestaties.domain.bevestiging import Termijn, TermijnRegel, Uitkomst, open_termijn, werkdagen_na, werkdagen_voor
from prestaties.domain.prestatie import Partij, Prestatie, PrestatieStatus
from wijkwerk.fouten import BestaatAl, Conflict, OngeldigeInvoer

MA, DI, VR, ZA, ZO = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 8)


@pytest.mark.parametrize(("start", "n", "verwacht"), [
    (MA, 0, MA),
    (MA, 1, DI),
    (MA, 4, VR),
    (MA, 5, date(2026, 3, 9)),  # over the weekend
    (VR, 1, date(2026, 3, 9)),
    (ZA, 1, date(2026, 3, 9)),  # registered on a Saturday: Monday is the first working day
    (ZO, 5, date(2026, 3, 13)),
    (date(2026, 12, 31), 1, date(2027, 1, 1)),  # no holiday calendar configured: only weekends skip
])
def test_working_days_after(start, n, verwacht):
    assert werkdagen_na(start, n) == verwacht


def test_holidays_are_no_working_days():
    nieuwjaar, paasmaandag = date(2027, 1, 1), date(2026, 4, 6)
    assert werkdagen_na(date(2026, 12, 31), 1, {nieuwjaar}) == date(2027, 1, 4)
    assert werkdagen_na(date(2026, 4, 3), 1, {paasmaandag}) == date(2026, 4, 7)
    assert werkdagen_voor(date(2026, 4, 7), 1, {paasmaandag}) == date(2026, 4, 3)


def test_working_days_before_and_negative_counts():
    assert werkdagen_voor(date(2026, 3, 9), 1) == VR
    assert werkdagen_voor(MA, 0) == MA
    with pytest.raises(ValueError):
        werkdagen_na(MA, -1)


def test_the_rule_is_read_on_the_day_the_window_opens():
    regels = (TermijnRegel(date(2018, 1, 1), 5, 1), TermijnRegel(date(2026, 3, 3), 10, 2))
    assert open_termijn(MA, regels) == Termijn(MA, date(2026, 3, 9), VR)
    assert open_termijn(DI, regels) == Termijn(DI, date(2026, 3, 17), date(2026, 3, 13))
    with pytest.raises(ValueError):
        TermijnRegel(date(2018, 1, 1), 2, 2)  # the reminder must fall inside the window


def _met_termijn(wereld, door=Partij.WIJKWERKER) -> Prestatie:
    p = Prestatie.registreer(wereld.aanvraag(door=door), wereld.context())
    p.open_termijn(open_termijn(MA, (TermijnRegel(date(2018, 1, 1), 5, 1),)))  # until Mon 9 March, reminder Fri 6
    return p


def test_confirming_or_disputing_after_the_deadline_is_refused(wereld):
    p = _met_termijn(wereld)
    with pytest.raises(Conflict) as err:
        p.bevestig(Partij.GEBRUIKER, date(2026, 3, 10), date(2026, 3, 20))
    assert (err.value.rule, err.value.extra) == ("bevestigingstermijn-verstreken", {"bevestigen_tot": "2026-03-09"})
    with pytest.raises(Conflict):
        p.betwist(Partij.GEBRUIKER, date(2026, 3, 10), date(2026, 3, 20), "te lang")
    with pytest.raises(OngeldigeInvoer) as voor:
        p.bevestig(Partij.GEBRUIKER, date(2026, 3, 1), date(2026, 3, 20))
    assert voor.value.rule == "datum-voor-termijn"
    p.bevestig(Partij.GEBRUIKER, date(2026, 3, 9), date(2026, 3, 20))  # the deadline itself is inside
    assert (p.status, p.beoordeeld_op, p.automatisch) == (PrestatieStatus.BEVESTIGD, date(2026, 3, 9), False)


def test_silence_confirms_on_the_deadline_whenever_it_is_recorded(wereld):
    for vandaag in (date(2026, 3, 10), date(2026, 6, 30)):
        p = _met_termijn(wereld)
        assert not p.bevestig_door_stilte(date(2026, 3, 9))  # the deadline day is still open
        assert p.bevestig_door_stilte(vandaag)
        assert (p.status, p.beoordeeld_op, p.automatisch) == (PrestatieStatus.BEVESTIGD, date(2026, 3, 9), True)
        assert not p.bevestig_door_stilte(vandaag)  # once
        with pytest.raises(BestaatAl) as err:
            p.betwist(Partij.GEBRUIKER, date(2026, 3, 9), vandaag, "te lang")
        assert err.value.rule == "prestatie-niet-open" and err.value.extra["automatisch"] is True


def test_the_reminder_is_due_from_its_date_and_only_if_still_open_then(wereld):
    p = _met_termijn(wereld)
    assert not p.herinnering_nodig(date(2026, 3, 5))
    assert p.herinnering_nodig(date(2026, 3, 6)) and p.herinnering_nodig(date(2026, 5, 1))  # a late run too
    vroeg = _met_termijn(wereld)
    vroeg.bevestig(Partij.GEBRUIKER, date(2026, 3, 4), date(2026, 3, 4))
    assert not vroeg.herinnering_nodig(date(2026, 5, 1))  # answered before the reminder's date
    laat = _met_termijn(wereld)
    laat.bevestig_door_stilte(date(2026, 5, 1))
    assert laat.herinnering_nodig(date(2026, 5, 1))  # a late run records the reminder a timely one would have
    laat.herinnerd_tot = date(2026, 3, 9)
    assert not laat.herinnering_nodig(date(2026, 5, 1))


def test_resolving(wereld):
    p = _met_termijn(wereld)
    with pytest.raises(Conflict) as err:
        p.beslecht(Uitkomst.GEHANDHAAFD, date(2026, 3, 4), date(2026, 3, 4))
    assert err.value.rule == "prestatie-niet-betwist"
    p.betwist(Partij.GEBRUIKER, date(2026, 3, 4), date(2026, 3, 4), "maar twee uur")
    with pytest.raises(OngeldigeInvoer) as voor:
        p.beslecht(Uitkomst.GEHANDHAAFD, date(2026, 3, 3), date(2026, 3, 5))
    assert voor.value.rule == "beslissing-voor-betwisting"
    p.beslecht(Uitkomst.GEHANDHAAFD, date(2026, 3, 5), date(2026, 3, 5))
    assert (p.status, p.uitkomst) == (PrestatieStatus.BEVESTIGD, Uitkomst.GEHANDHAAFD)
    with pytest.raises(Conflict):
        p.beslecht(Uitkomst.AFGEWEZEN, date(2026, 3, 5), date(2026, 3, 5))  # resolved already
    q = _met_termijn(wereld)
    q.betwist(Partij.GEBRUIKER, date(2026, 3, 4), date(2026, 3, 4), "niet gewerkt")
    q.beslecht(Uitkomst.AFGEWEZEN, date(2026, 3, 5), date(2026, 3, 5))
    assert q.status is PrestatieStatus.GEANNULEERD
