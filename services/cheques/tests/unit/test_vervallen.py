"""Expiry and refund (issue #23 item 2): the dates (A-13, A-21), the refund rules, the
ledger postings, and the recompute's fold of their events."""

import uuid
from collections import defaultdict
from datetime import date

import pytest

from cheques.domain.cheque import Bestelling, Cheque, Status, geldig_tot
from cheques.domain.grootboek import (
    CHEQUEGELDEN,
    gebruiker,
    organisator,
    storno_transactie,
    terugbetaling_transactie,
    verval_sleutel,
    verval_transactie,
)
from cheques.domain.tarieven import Tarieven
from cheques.domain.terugbetaling import Aanvraag, AanvraagStatus, Beslissing, controleer_aanvraag
from cheques.service_layer.herberekening import Herberekening
from wijkwerk.events import Envelope
from wijkwerk.events.cheques import ChequeTerugbetaald, ChequeVervallen, ChequeVervallingHerroepen
from wijkwerk.fouten import DomainError

G, O = uuid.uuid4(), uuid.uuid4()
BESTELLING = Bestelling(uuid.uuid4(), "vdab", G, O, 10, "papier", date(2026, 1, 5), 745)
UITGEGEVEN = date(2026, 1, 6)
S = date(2018, 1, 1)
TARIEVEN = Tarieven.van([("loon_per_uur", S, 410), ("verzekering", S, 42), ("reisfonds", S, 10),
                         ("uitgeverkost_papier", S, 58), ("uitgeverkost_elektronisch", S, 48)])


def _cheque(**kw) -> Cheque:
    return Cheque("S1", BESTELLING, UITGEGEVEN, geldig_tot(UITGEGEVEN, 12), **kw)


def _regel(fn) -> str:
    with pytest.raises(DomainError) as exc:
        fn()
    return exc.value.rule


# --- dates ---------------------------------------------------------------------------


def test_a_cheque_lapses_the_day_after_its_last_valid_day_whenever_it_is_judged():
    assert (_cheque().geldig_tot, _cheque().vervaldag) == (date(2027, 1, 5), date(2027, 1, 6))
    assert _cheque().vervalt_tegen(date(2027, 1, 5)) is False, "valid through its last day"
    for tot in (date(2027, 1, 6), date(2027, 3, 1), date(2030, 12, 31)):  # on time, late, very late
        cheque = _cheque()
        assert cheque.vervalt_tegen(tot) is True
        assert (cheque.status, cheque.afgesloten_op) == (Status.VERVALLEN, date(2027, 1, 6))
        assert cheque.vervalt_tegen(tot) is False, "a second run records nothing"


def test_month_end_validity():
    cheque = Cheque("S2", BESTELLING, date(2026, 1, 31), geldig_tot(date(2026, 1, 31), 12))
    assert (cheque.geldig_tot, cheque.vervaldag) == (date(2027, 1, 30), date(2027, 1, 31))
    cheque = Cheque("S3", BESTELLING, date(2026, 3, 1), geldig_tot(date(2026, 3, 1), 12))
    assert (cheque.geldig_tot, cheque.vervaldag) == (date(2027, 2, 28), date(2027, 3, 1))


def test_used_or_refunded_cheques_never_lapse():
    for status in (Status.GEVALIDEERD, Status.TERUGBETAALD, Status.VERVALLEN):
        assert _cheque(status=status).vervalt_tegen(date(2030, 1, 1)) is False


def test_the_issuers_lapse_report_records_the_platforms_fact():
    cheque = _cheque()
    assert _regel(lambda: cheque.laat_vervallen(date(2027, 1, 5))) == "cheque-nog-geldig"
    assert cheque.laat_vervallen(date(2027, 2, 14)) is True
    assert cheque.afgesloten_op == date(2027, 1, 6), "dated its own expiry day, not the report's"
    assert cheque.laat_vervallen(date(2027, 2, 20)) is False, "lapsed already: nothing new"
    assert _regel(lambda: _cheque(status=Status.TERUGBETAALD).laat_vervallen(date(2027, 2, 1))) == "cheque-terugbetaald"


# --- refund rules --------------------------------------------------------------------


def test_the_refund_window_is_the_validity():
    controleer_aanvraag(_cheque(), UITGEGEVEN)
    controleer_aanvraag(_cheque(), date(2027, 1, 5))
    assert _regel(lambda: controleer_aanvraag(_cheque(), date(2027, 1, 6))) == "buiten-terugbetalingstermijn"
    assert _regel(lambda: controleer_aanvraag(_cheque(), date(2026, 1, 5))) == "aanvraag-voor-uitgifte"
    assert _regel(lambda: controleer_aanvraag(_cheque(status=Status.GEVALIDEERD), UITGEGEVEN)) == "cheque-al-gebruikt"
    assert _regel(lambda: controleer_aanvraag(_cheque(status=Status.TERUGBETAALD), UITGEGEVEN)) == "cheque-terugbetaald"
    assert _regel(lambda: controleer_aanvraag(_cheque(status=Status.VERVALLEN), UITGEGEVEN)) == "cheque-vervallen"


def test_a_request_is_decided_once_on_or_after_its_date():
    def aanvraag() -> Aanvraag:
        return Aanvraag(uuid.uuid4(), "S1", G, O, date(2026, 5, 2))

    a, cheque = aanvraag(), _cheque()
    assert _regel(lambda: a.beslis(Beslissing.GOEDGEKEURD, date(2026, 5, 1), "", cheque)) == "beslissing-voor-aanvraag"
    a.beslis(Beslissing.GOEDGEKEURD, date(2026, 5, 4), "", cheque)
    assert (a.status, cheque.status, cheque.afgesloten_op) == (
        AanvraagStatus.GOEDGEKEURD, Status.TERUGBETAALD, date(2026, 5, 4))
    assert _regel(lambda: a.beslis(Beslissing.GEWEIGERD, date(2026, 5, 5), "", cheque)) == "aanvraag-al-beslist"
    b, cheque = aanvraag(), _cheque()
    b.beslis(Beslissing.GEWEIGERD, date(2026, 5, 4), "te laat", cheque)
    assert (b.status, cheque.status) == (AanvraagStatus.GEWEIGERD, Status.UITGEGEVEN)
    c = aanvraag()
    assert _regel(lambda: c.beslis(Beslissing.GOEDGEKEURD, date(2026, 5, 4), "", _cheque(status=Status.GEVALIDEERD))
                  ) == "cheque-al-gebruikt"
    assert c.status is AanvraagStatus.GEVRAAGD


# --- ledger postings -----------------------------------------------------------------


def test_an_expiry_moves_the_whole_price_to_the_organiser():
    t = verval_transactie("S1", 745, O, date(2027, 1, 6))
    assert {(b.rekening, b.debet, b.credit) for b in t.boekingen} == {(CHEQUEGELDEN, 745, 0), (organisator(O), 0, 745)}
    assert (t.sleutel, t.soort, t.boekmaand) == ("verval:S1", "verval", date(2027, 1, 1))
    assert verval_sleutel("S1", 2) == "verval:S1:2", "it can lapse again after a late validation and a storno"
    storno = storno_transactie(t, date(2027, 2, 10))
    assert {(b.rekening, b.debet, b.credit) for b in storno.boekingen} == {
        (CHEQUEGELDEN, 0, 745), (organisator(O), 745, 0)}
    assert storno.sleutel == "storno:verval:S1"


def test_a_refund_moves_the_whole_price_to_the_gebruiker():
    t = terugbetaling_transactie("S1", 595, G, date(2026, 5, 4))
    assert {(b.rekening, b.debet, b.credit) for b in t.boekingen} == {(CHEQUEGELDEN, 595, 0), (gebruiker(G), 0, 595)}
    assert (t.sleutel, t.soort, t.debet, t.credit) == ("terugbetaling:S1", "terugbetaling", 595, 595)


# --- the recompute's fold ------------------------------------------------------------


def _vervallen(serie: str, boekmaand: date | None, validatie: int = 1) -> ChequeVervallen:
    return ChequeVervallen(serienummer=serie, bestelling_id=BESTELLING.id, gebruiker_id=G, organisator_id=O,
                           prijs_cent=745, vervallen_op=date(2027, 1, 6), geldig_tot=date(2027, 1, 5),
                           boekmaand=boekmaand, validatie=validatie)


def test_the_fold_posts_what_the_ledger_posted_in_any_order_and_once_per_event():
    events = [
        _vervallen("S1", date(2027, 1, 1)),
        _vervallen("S2", date(2027, 1, 1)),
        ChequeVervallingHerroepen(serienummer="S2", bestelling_id=BESTELLING.id, gebruiker_id=G, organisator_id=O,
                                  prijs_cent=745, vervallen_op=date(2027, 1, 6), herroepen_op=date(2027, 2, 10),
                                  boekmaand=date(2027, 2, 1)),
        ChequeTerugbetaald(serienummer="S3", bestelling_id=BESTELLING.id, gebruiker_id=G, organisator_id=O,
                           prijs_cent=745, terugbetaald_op=date(2026, 5, 4), boekmaand=date(2026, 5, 1)),
        _vervallen("S4", None),  # written before expiries were booked: moved no money
        ChequeTerugbetaald(serienummer="S5", bestelling_id=BESTELLING.id, gebruiker_id=G, organisator_id=O,
                           prijs_cent=745, terugbetaald_op=date(2026, 5, 4)),
    ]
    ledger: dict[tuple[str, date], int] = defaultdict(int)
    for t in (verval_transactie("S1", 745, O, date(2027, 1, 6)), verval_transactie("S2", 745, O, date(2027, 1, 6)),
              storno_transactie(verval_transactie("S2", 745, O, date(2027, 1, 6)), date(2027, 2, 10)),
              terugbetaling_transactie("S3", 745, G, date(2026, 5, 4))):
        for b in t.boekingen:
            ledger[(b.rekening, t.boekmaand)] += b.debet - b.credit
    for volgorde in (events, list(reversed(events))):
        fold = Herberekening(TARIEVEN)
        paren = [(Envelope.wrap(e, producer="cheques"), e) for e in volgorde]
        for envelope, event in paren + paren:  # every event delivered twice
            fold.verwerk(envelope, event)
        assert {k: v for k, v in fold.saldi.items() if v} == {k: v for k, v in ledger.items() if v}
        assert (fold.events, fold.duplicaten, fold.fouten) == (len(events), len(events), [])


def test_a_booking_moved_out_of_its_month_without_a_close_is_named():
    fold = Herberekening(TARIEVEN)
    event = _vervallen("S1", date(2027, 2, 1))  # lapsed 6 January, booked in February: no close of January
    fold.verwerk(Envelope.wrap(event, producer="cheques"), event)
    assert [f.rsplit(": ", 1)[1] for f in fold.fouten] == ["boeking-verschoven-zonder-afsluiting"]
