"""The data scope a reader is handed (all / own organiser / nothing), standard library only,
so a domain may take it too; ``wijkwerk.auth.gegevensscope`` derives it from a principal."""

import uuid
from dataclasses import dataclass
from typing import Literal

# An organiser id that no organiser has: a query limited to it answers no rows.
GEEN_ORGANISATOR = uuid.UUID(int=0)


@dataclass(frozen=True)
class Gegevensscope:
    """Whose organisation-wide data a caller may read, deny by default: every organiser's
    (``alles``: central callers), one organiser's own (``eigen``), or nothing (``niets``:
    referrers, gebruikers, an organiser token without its organisation, any other caller)."""

    soort: Literal["alles", "eigen", "niets"]
    organisator_id: uuid.UUID | None = None

    @property
    def alles(self) -> bool:
        return self.soort == "alles"

    @property
    def niets(self) -> bool:
        return self.soort == "niets"

    def beperk(self, gevraagd: uuid.UUID | None = None) -> uuid.UUID | None:
        """The organiser a query is limited to: the asked one (None: all) for a central
        caller, the caller's own for an organiser, :data:`GEEN_ORGANISATOR` for nothing."""
        if self.soort == "alles":
            return gevraagd
        if self.soort == "eigen":
            return self.organisator_id
        return GEEN_ORGANISATOR
