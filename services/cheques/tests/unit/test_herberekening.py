"""The recompute's fold over replayed events: splits recomputed from the rates (not copied
from the events), the travel allowance once per day and placement, duplicates once,
payouts recomputed from what was earned."""

import uuid
from datetime import date, time

from cheques.domain.tarieven import Tarieven
from cheques.service_layer.herberekening import Herberekening
from wijkwerk.events import Envelope
from wijkwerk.events.cheques import ChequeGevalideerd, UitbetalingTeruggeboekt, UitbetalingUitgevoerd
from wijkwerk.events.prestaties import InschrijvingsrechtBetaald, PrestatieGeregistreerd

S = date(2018, 1, 1)
TARIEVEN = Tarieven.van([("loon_per_uur", S, 410), ("verzekering", S, 42), ("reisfonds", S, 10),
                         ("uitgeverkost_papier", S, 58), ("uitgeverkost_elektronisch", S, 48)])
W, G, O, K = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
MAART, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def _prestatie(dag: date, vergoeding: int = 300) -> PrestatieGeregistreerd:
    return PrestatieGeregistreerd(
        prestatie_id=uuid.uuid4(), wijkwerker_id=W, gebruiker_id=G, organisator_id=O, koppeling_id=K, datum=dag,
        door="gebruiker", traject_id=uuid.uuid4(), activiteit_id=uuid.uuid4(), activiteit_categorie="groen",
        gebruiker_categorie="particulier", locatie_nis_code="31005", start=time(9), minuten=130, begonnen_uren=3,
        afstand_km=10, recht_op_verplaatsingsvergoeding=True, verplaatsingsvergoeding_dag_cent=vergoeding,
    )


def _cheque(p: PrestatieGeregistreerd, serie: str, gevalideerd_op: date, **kw) -> ChequeGevalideerd:
    velden = dict(
        serienummer=serie, bestelling_id=uuid.uuid4(), prestatie_id=p.prestatie_id, koppeling_id=K, wijkwerker_id=W,
        gebruiker_id=G, organisator_id=O, drager="papier", prijs_cent=745, besteld_op=date(2026, 1, 5),
        prestatie_datum=p.datum, gevalideerd_op=gevalideerd_op, boekmaand=gevalideerd_op.replace(day=1),
        wijkwerker_cent=410, verzekering_cent=42, reisfonds_cent=10, uitgever_cent=58, organisator_cent=225,
    )
    return ChequeGevalideerd(**velden | kw)


def _fold(*events) -> Herberekening:
    fold = Herberekening(TARIEVEN)
    for item in events:
        envelope, event = item if isinstance(item, tuple) else (Envelope.wrap(item, producer="test"), item)
        fold.verwerk(envelope, event)
    return fold


def test_splits_are_recomputed_and_travel_is_paid_once_per_day_in_the_validation_month():
    p1, p2 = _prestatie(date(2026, 3, 2)), _prestatie(date(2026, 3, 2))  # two prestaties, one day
    # The event claims other parts: the recompute ignores them and splits from the rates.
    fold = _fold(p1, p2, _cheque(p1, "A", date(2026, 3, 3), wijkwerker_cent=999, organisator_cent=0),
                 _cheque(p1, "B", date(2026, 4, 2)), _cheque(p2, "C", date(2026, 4, 2)))
    wijkwerker = f"wijkwerker:{W}"
    assert fold.saldi[(wijkwerker, MAART)] == -(410 + 300)
    assert fold.saldi[(wijkwerker, APRIL)] == -(2 * 410)
    assert fold.saldi[(f"organisator:{O}", MAART)] == -225
    assert fold.saldi[("reisfonds", MAART)] == 300 - 10
    assert fold.saldi[("chequegelden", APRIL)] == 2 * 745
    assert sum(fold.saldi.values()) == 0


def test_a_duplicate_delivery_counts_once_and_fees_go_to_the_organiser():
    p = _prestatie(date(2026, 3, 2), vergoeding=0)
    cheque = _cheque(p, "A", date(2026, 3, 3))
    dubbel = Envelope.wrap(cheque, producer="test")
    fee = InschrijvingsrechtBetaald(gebruiker_id=G, erkenning_id=uuid.uuid4(), organisator_id=O, bedrag_cent=750,
                                    jaar=2026, geldig_van=MAART, geldig_tot=date(2027, 2, 28), betaald_op=date(2026, 3, 9))
    fold = _fold(p, (dubbel, cheque), (dubbel, cheque), fee)
    assert (fold.events, fold.duplicaten) == (3, 1)
    assert fold.saldi[(f"wijkwerker:{W}", MAART)] == -410
    assert fold.saldi[(f"organisator:{O}", MAART)] == -(225 + 750)


def test_a_payout_is_recomputed_from_what_was_earned_up_to_its_month():
    p = _prestatie(date(2026, 3, 2))
    betaling = UitbetalingUitgevoerd(wijkwerker_id=W, periode="2026-03", bedrag_cent=1, uitgevoerd_op=APRIL,
                                     end_to_end_id="x")
    fold = _fold(p, _cheque(p, "A", date(2026, 3, 3)), _cheque(p, "B", date(2026, 4, 1)), betaling)
    # March earned 410 + 300; April's cheque is not in March's payout; the event's 1 cent is not copied.
    assert fold.saldi[(f"wijkwerker:{W}", MAART)] == 0
    assert fold.saldi[("bank", MAART)] == -710
    assert fold.saldi[(f"wijkwerker:{W}", APRIL)] == -410


def test_a_reversal_posts_the_split_back_in_its_month_and_the_allowance_with_the_days_last_cheque():
    from wijkwerk.events.cheques import ChequeValidatieTeruggedraaid

    def terug(c: ChequeGevalideerd, op: date) -> ChequeValidatieTeruggedraaid:
        return ChequeValidatieTeruggedraaid(**c.model_dump(exclude={"boekmaand"}), teruggedraaid_op=op,
                                            boekmaand=op.replace(day=1), reden="gecorrigeerd")

    p = _prestatie(date(2026, 3, 2))
    a, b = _cheque(p, "A", date(2026, 3, 3)), _cheque(p, "B", date(2026, 3, 4))
    betaling = UitbetalingUitgevoerd(wijkwerker_id=W, periode="2026-03", bedrag_cent=1, uitgevoerd_op=APRIL,
                                     end_to_end_id="x")
    mei = UitbetalingUitgevoerd(wijkwerker_id=W, periode="2026-05", bedrag_cent=1, uitgevoerd_op=date(2026, 6, 1),
                                end_to_end_id="y")
    fold = _fold(p, a, b, betaling, terug(b, date(2026, 4, 10)))
    wijkwerker = f"wijkwerker:{W}"
    assert fold.saldi[(wijkwerker, APRIL)] == 410  # owed back; the allowance stays with A
    assert fold.saldi[(f"organisator:{O}", APRIL)] == 225 and fold.saldi[("chequegelden", APRIL)] == -745
    laatste = terug(a, date(2026, 4, 10))
    fold.verwerk(Envelope.wrap(laatste, producer="test"), laatste)
    # The travel fund gets its two 0.10 shares back and pays the day's 3.00 back out.
    assert fold.saldi[(wijkwerker, APRIL)] == 2 * 410 + 300 and fold.saldi[("reisfonds", APRIL)] == 2 * 10 - 300
    fold.verwerk(Envelope.wrap(mei, producer="test"), mei)
    assert fold.saldi[("bank", date(2026, 5, 1))] == 0 and not fold.fouten  # nothing to pay: never negative
    assert sum(fold.saldi.values()) == 0


def _uitbetaling(periode: str, bedrag: int = 0) -> UitbetalingUitgevoerd:
    return UitbetalingUitgevoerd(wijkwerker_id=W, periode=periode, bedrag_cent=bedrag, uitgevoerd_op=date(2026, 4, 1),
                                 end_to_end_id=f"WW{periode}", boekmaand=None)


def test_a_payout_booked_back_is_reversed_in_the_bank_s_month_and_paid_again_by_the_next_run():
    p = _prestatie(date(2026, 3, 2))
    terug = UitbetalingTeruggeboekt(
        wijkwerker_id=W, periode="2026-03", bedrag_cent=1, end_to_end_id="WW2026-03", bron="pain.002", reden="AC04",
        bankdatum=date(2026, 4, 3), boekmaand=APRIL)  # the event's amount is not trusted either
    fold = _fold(p, _cheque(p, "A", date(2026, 3, 3)), _uitbetaling("2026-03"), terug, _uitbetaling("2026-04"))
    wijkwerker = f"wijkwerker:{W}"
    assert fold.saldi[("bank", MAART)] == -(410 + 300)  # paid in March …
    assert fold.saldi[("bank", APRIL)] == (410 + 300) - (410 + 300)  # … booked back and paid again in April
    assert fold.saldi[(wijkwerker, APRIL)] == 0 and fold.saldi[(wijkwerker, MAART)] == 0
    assert fold.fouten == [] and sum(fold.saldi.values()) == 0


def test_a_payout_booked_back_without_a_payout_is_reported():
    terug = UitbetalingTeruggeboekt(
        wijkwerker_id=W, periode="2026-03", bedrag_cent=710, end_to_end_id="X", bron="camt.054", reden="AC04",
        bankdatum=date(2026, 4, 3), boekmaand=APRIL)
    fold = _fold(terug)
    assert [f.rsplit(": ", 1)[1] for f in fold.fouten] == ["terugboeking-zonder-uitbetaling"]


def test_a_payout_booked_back_after_the_bank_s_month_was_closed_lands_in_the_first_open_month():
    from datetime import UTC, datetime

    from cheques.domain.afsluiting import BEGIN_KETEN
    from wijkwerk.events.cheques import PeriodeAfgesloten

    p = _prestatie(date(2026, 3, 2))
    mei = date(2026, 5, 1)
    terug = UitbetalingTeruggeboekt(
        wijkwerker_id=W, periode="2026-03", bedrag_cent=710, end_to_end_id="WW2026-03", bron="camt.054", reden="AC04",
        bankdatum=date(2026, 4, 28), boekmaand=mei)
    april = PeriodeAfgesloten(
        periode="2026-04", maand=APRIL, van=MAART, volgnummer=1, afgesloten_op=date(2026, 5, 2),
        geregistreerd_om=datetime(2026, 5, 2, 8, tzinfo=UTC), transacties=3, hash="a" * 64, vorige_hash=BEGIN_KETEN)
    gesloten = _fold(p, _cheque(p, "A", date(2026, 3, 3)), _uitbetaling("2026-03"), april, terug)
    assert gesloten.saldi[("bank", mei)] == 710 and gesloten.saldi[(f"wijkwerker:{W}", mei)] == -710
    assert gesloten.fouten == []
    # booked out of its month without a close that explains it: the report names it
    open_ = _fold(p, _cheque(p, "A", date(2026, 3, 3)), _uitbetaling("2026-03"), terug)
    assert [f.rsplit(": ", 1)[1] for f in open_.fouten] == ["boeking-verschoven-zonder-afsluiting"]
