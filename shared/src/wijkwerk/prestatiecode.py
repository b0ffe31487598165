"""The prestatie reference partners and gebruikers see: a short human code, e.g.
``P-0000Z8-H``, that the issuer can send with the serial numbers to validate cheques
without the platform's internal id (issue #21 item 12).

``P-`` + the prestatie's number in Crockford base32 (six characters, more once the
platform passes 2^30 prestaties) + ``-`` + a Luhn mod-32 check character, so a mistyped
or swapped character is caught before any lookup. Reading forgives case, spaces and
hyphens, and Crockford's look-alikes (O → 0, I and L → 1). Prestaties assigns the numbers
from a sequence: unique, never reused. Knowing a reference gives nothing on its own: a
cheque still pays only prestaties of the gebruiker and organiser it was bought for (A-14).
Prestaties and cheques both read it, so it lives here.
"""

from __future__ import annotations

ALFABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_WAARDE = {c: i for i, c in enumerate(ALFABET)} | {"O": 0, "I": 1, "L": 1}
_N = len(ALFABET)
BREEDTE = 6


def _controle(tekens: str) -> str:
    """Luhn mod N over the body (the check character makes the weighted sum ≡ 0)."""
    som, factor = 0, 2
    for teken in reversed(tekens):
        addend = factor * _WAARDE[teken]
        som += addend // _N + addend % _N
        factor = 1 if factor == 2 else 2
    return ALFABET[(_N - som % _N) % _N]


def maak(nummer: int) -> str:
    if nummer < 1:
        raise ValueError("prestatie numbers start at 1")
    tekens = ""
    while nummer:
        nummer, rest = divmod(nummer, _N)
        tekens = ALFABET[rest] + tekens
    tekens = tekens.rjust(BREEDTE, "0")
    return f"P-{tekens}-{_controle(tekens)}"


def lees(tekst: str) -> str | None:
    """The canonical reference, or None when ``tekst`` is not one (bad check character)."""
    compact = "".join(tekst.upper().split()).replace("-", "")
    if len(compact) < BREEDTE + 2 or compact[0] != "P" or any(c not in _WAARDE for c in compact[1:]):
        return None
    tekens = "".join(ALFABET[_WAARDE[c]] for c in compact[1:-1])
    controle = ALFABET[_WAARDE[compact[-1]]]
    if _controle(tekens) != controle:
        return None
    return f"P-{tekens}-{controle}"
