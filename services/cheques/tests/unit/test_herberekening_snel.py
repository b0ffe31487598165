"""The recompute's fast path (a split computed once, later cheques with that split posted
directly) posts exactly what the domain's ``cheque_transactie`` would, cheque by cheque."""

import random
import uuid
from collections import defaultdict
from datetime import date

from cheques.domain.grootboek import cheque_transactie
from cheques.domain.verdeling import verdeel
from cheques.service_layer.herberekening import Herberekening
from wijkwerk.events import Envelope
from wijkwerk.events.cheques import ChequeGevalideerd

from .test_herberekening import TARIEVEN


def test_fast_path_posts_what_the_domain_transaction_posts():
    rnd = random.Random(7)
    mensen = [uuid.uuid4() for _ in range(5)]  # workers and organisers drawn from one pool
    fold, verwacht = Herberekening(TARIEVEN), defaultdict(int)
    verdiend = defaultdict(int)
    for i in range(400):
        w, o = rnd.choice(mensen), rnd.choice(mensen)
        e = ChequeGevalideerd(
            serienummer=f"S{i}", bestelling_id=uuid.uuid4(), prestatie_id=uuid.uuid4(), koppeling_id=uuid.uuid4(),
            wijkwerker_id=w, gebruiker_id=uuid.uuid4(), organisator_id=o, drager=rnd.choice(["papier", "elektronisch"]),
            prijs_cent=rnd.choice([520, 745, 900]), besteld_op=date(2026, 1, 5),
            prestatie_datum=date(2026, 3, rnd.randint(1, 3)), gevalideerd_op=date(2026, rnd.randint(3, 4), 7),
            boekmaand=date(2026, 3, 1), wijkwerker_cent=0, verzekering_cent=0, reisfonds_cent=0, uitgever_cent=0,
            organisator_cent=0,
        )
        fold.verwerk(Envelope.wrap(e, producer="test"), e)
        t = cheque_transactie(e.serienummer, verdeel(e.prijs_cent, e.drager, e.besteld_op, e.prestatie_datum, TARIEVEN),
                              w, o, e.gevalideerd_op)
        for b in t.boekingen:
            verwacht[(b.rekening, t.boekmaand)] += b.debet - b.credit
            if b.rekening.startswith("wijkwerker:"):
                verdiend[w] += b.credit
    assert {k: v for k, v in fold.saldi.items() if v} == {k: v for k, v in verwacht.items() if v}
    assert {w: sum(c for _, c in lijst) for w, lijst in fold._verdiend.items()} == dict(verdiend)
    assert not fold.fouten
