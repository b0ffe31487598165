"""The recompute's fast path (messages folded from the parsed JSON, splits computed once,
cheques counted per split and month) posts exactly what the domain's transactions
would, cheque by cheque — and leaves every message it cannot judge to the models."""

import random
import uuid
from collections import defaultdict
from datetime import date

import orjson

from cheques.domain.grootboek import cheque_transactie, storno_transactie
from cheques.domain.verdeling import verdeel
from cheques.service_layer.herberekening import Herberekening
from wijkwerk.events import Envelope
from wijkwerk.events.cheques import ChequeGevalideerd, ChequeValidatieTeruggedraaid

from .test_herberekening import TARIEVEN


def _cheques(rnd: random.Random, n: int) -> list[ChequeGevalideerd]:
    mensen = [uuid.uuid4() for _ in range(5)]  # workers and organisers drawn from one pool
    return [
        ChequeGevalideerd(
            serienummer=f"S{i}", bestelling_id=uuid.uuid4(), prestatie_id=uuid.uuid4(), koppeling_id=uuid.uuid4(),
            wijkwerker_id=rnd.choice(mensen), gebruiker_id=uuid.uuid4(), organisator_id=rnd.choice(mensen),
            drager=rnd.choice(["papier", "elektronisch"]), prijs_cent=rnd.choice([520, 745, 900]),
            besteld_op=date(2026, 1, 5), prestatie_datum=date(2026, 3, rnd.randint(1, 3)),
            gevalideerd_op=(op := date(2026, rnd.randint(3, 4), 7)), boekmaand=op.replace(day=1), wijkwerker_cent=0,
            verzekering_cent=0, reisfonds_cent=0, uitgever_cent=0, organisator_cent=0,
        )
        for i in range(n)
    ]


def _terug(e: ChequeGevalideerd, op: date) -> ChequeValidatieTeruggedraaid:
    velden = e.model_dump(exclude={"boekmaand"})
    return ChequeValidatieTeruggedraaid(**velden, teruggedraaid_op=op, boekmaand=op.replace(day=1), reden="geannuleerd")


def test_fast_path_posts_what_the_domain_transactions_post():
    rnd = random.Random(7)
    snel, model, verwacht, verdiend = Herberekening(TARIEVEN), Herberekening(TARIEVEN), defaultdict(int), defaultdict(int)
    for i, e in enumerate(_cheques(rnd, 400)):
        envelope = Envelope.wrap(e, producer="test")
        snel.verwerk_bericht(envelope.to_bytes())
        model.verwerk(envelope, e)
        t = cheque_transactie(e.serienummer, verdeel(e.prijs_cent, e.drager, e.besteld_op, e.prestatie_datum, TARIEVEN),
                              e.wijkwerker_id, e.organisator_id, e.gevalideerd_op)
        transacties = [t]
        if i % 7 == 0:  # every seventh validation reversed in May
            terug = Envelope.wrap(_terug(e, date(2026, 5, 2)), producer="test")
            snel.verwerk_bericht(terug.to_bytes())
            model.verwerk(terug, _terug(e, date(2026, 5, 2)))
            transacties.append(storno_transactie(t, date(2026, 5, 2)))
        for tr in transacties:
            for b in tr.boekingen:
                verwacht[(b.rekening, tr.boekmaand)] += b.debet - b.credit
                if b.rekening.startswith("wijkwerker:"):
                    verdiend[e.wijkwerker_id] += b.credit - b.debet
    for fold in (snel, model):
        assert {k: v for k, v in fold.saldi.items() if v} == {k: v for k, v in verwacht.items() if v}
        assert {w: fold.verdiend(w) for w in verdiend} == dict(verdiend)
        assert not fold.fouten and fold.events == 400 + len(range(0, 400, 7))


def test_messages_the_fast_path_cannot_judge_are_decoded_as_the_consumers_do():
    e = _cheques(random.Random(1), 1)[0]
    goed = Envelope.wrap(e, producer="test").model_dump(mode="json")
    nieuwere_versie = {**goed, "event_id": str(uuid.uuid4()), "schema_version": 2}
    extra_veld = {**goed, "event_id": str(uuid.uuid4()), "payload": {**goed["payload"], "iban": "BE68539007547034"}}
    prijs_als_tekst = {**goed, "event_id": str(uuid.uuid4()), "payload": {**goed["payload"], "prijs_cent": "745"}}
    fold = Herberekening(TARIEVEN)
    for bericht in (nieuwere_versie, extra_veld, b"{not json", None):
        fold.verwerk_bericht(bericht if bericht is None or isinstance(bericht, bytes) else orjson.dumps(bericht))
    assert (fold.events, fold.saldi) == (0, {})  # skipped: the consumers dead-letter them
    fold.verwerk_bericht(orjson.dumps(prijs_als_tekst))  # the model coerces it: so does the recompute
    fold.verwerk_bericht(orjson.dumps(goed))
    fold.verwerk_bericht(orjson.dumps(goed))
    assert (fold.events, fold.duplicaten) == (2, 1)
    assert fold.saldi[("chequegelden", e.gevalideerd_op.replace(day=1))] == 2 * e.prijs_cent


def test_a_reversal_of_a_cheque_never_validated_is_reported_not_posted():
    e = _cheques(random.Random(2), 1)[0]
    terug = _terug(e, date(2026, 5, 2))
    fold = Herberekening(TARIEVEN)
    fold.verwerk_bericht(Envelope.wrap(terug, producer="test").to_bytes())
    assert fold.fouten and "terugdraaiing-zonder-validatie" in fold.fouten[0]
    assert not any(fold.saldi.values())


def test_an_event_written_before_an_optional_field_existed_takes_the_fast_path(monkeypatch):
    """Topics hold events from before ``validatie`` was added: folded like new ones, not
    sent down the (slow) model path."""
    e = _cheques(random.Random(3), 1)[0]
    oud = Envelope.wrap(e, producer="test").model_dump(mode="json")
    del oud["payload"]["validatie"]
    fold = Herberekening(TARIEVEN)
    monkeypatch.setattr(fold, "_verwerk_model", lambda waarde: (_ for _ in ()).throw(AssertionError("slow path")))
    fold.verwerk_bericht(orjson.dumps(oud))
    assert fold.events == 1 and fold.saldi[("chequegelden", e.gevalideerd_op.replace(day=1))] == e.prijs_cent
    nieuw = _cheques(random.Random(4), 1)[0]  # a current event takes it too
    fold.verwerk_bericht(Envelope.wrap(nieuw, producer="test").to_bytes())
    assert fold.events == 2


def test_an_event_with_or_without_a_traceparent_takes_the_fast_path(monkeypatch):
    """Tracing on or off (wijkwerk.tracing) does not send the recompute down the slow path."""
    fold = Herberekening(TARIEVEN)
    monkeypatch.setattr(fold, "_verwerk_model", lambda waarde: (_ for _ in ()).throw(AssertionError("slow path")))
    zonder, met = _cheques(random.Random(5), 2)
    fold.verwerk_bericht(Envelope.wrap(zonder, producer="test").to_bytes())
    fold.verwerk_bericht(Envelope.wrap(met, producer="test",
                                       traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").to_bytes())
    assert fold.events == 2
