"""Verified bearer tokens remembered by their exact string (``wijkwerk.auth.TokenVerifier``).

A bounded LRU; an entry is served only before the token's ``exp`` (the leeway is not
extended to it), for at most ``max_s`` after it was verified, and only while the key set
it was verified against has the same version (a refetched JWKS verifies everything again).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class Tokengeheugen:
    def __init__(self, max_tokens: int, max_s: float, wandklok: Callable[[], float] = time.time) -> None:
        self.max_tokens = max_tokens
        self.max_s = max_s
        self._wandklok = wandklok
        self._tokens: OrderedDict[str, tuple[Any, float, int]] = OrderedDict()

    def zoek(self, token: str, versie: int) -> Any | None:
        gevonden = self._tokens.get(token)
        if gevonden is None:
            return None
        principal, tot, bij_versie = gevonden
        if self._wandklok() >= tot or bij_versie != versie:
            del self._tokens[token]
            return None
        self._tokens.move_to_end(token)
        return principal

    def onthoud(self, token: str, principal: Any, versie: int) -> Any:
        """Remembers ``principal`` (whose ``claims`` carry the token's ``exp``) and returns it."""
        exp = principal.claims.get("exp")
        nu = self._wandklok()
        if isinstance(exp, int | float) and (tot := min(float(exp), nu + self.max_s)) > nu:
            self._tokens[token] = (principal, tot, versie)
            if len(self._tokens) > self.max_tokens:
                self._tokens.popitem(last=False)
        return principal
