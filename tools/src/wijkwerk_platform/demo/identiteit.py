"""Valid Belgian identifiers for made-up people, checked by python-stdnum."""

from __future__ import annotations

import random
from datetime import date

from stdnum import iban as stdnum_iban
from stdnum.be import iban as be_iban
from stdnum.be import nn


def insz(geboren: date, volgnummer: int) -> str:
    """A national register number: YYMMDD + sequence (odd: men, even: women) + mod-97 check."""
    basis = f"{geboren:%y%m%d}{volgnummer % 998 + 1:03d}"
    getal = int(("2" if geboren.year >= 2000 else "") + basis)
    nummer = basis + f"{97 - getal % 97:02d}"
    return nn.validate(nummer)


# Protocol codes of real Belgian banks (stdnum's bank table), weighted towards the large ones.
BANKCODES = ("001", "063", "068", "088", "143", "310", "363", "377", "651", "734", "735", "737", "750", "979")


def belgische_iban(rng: random.Random) -> str:
    bank = int(rng.choice(BANKCODES))
    rekening = rng.randrange(0, 10**7)
    controle = (bank * 10**7 + rekening) % 97 or 97
    bban = f"{bank:03d}{rekening:07d}{controle:02d}"
    kandidaat = "BE00" + bban
    return be_iban.validate("BE" + stdnum_iban.calc_check_digits(kandidaat) + bban)
