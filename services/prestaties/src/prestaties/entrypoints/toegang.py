"""Data scope (ARCHITECTURE §6): an organiser token sees and changes only its area's
data, a gebruiker token only its own; central callers (VDAB, services) see all, any other
kind of caller nothing (a verified token always names a known org_type: wijkwerk.auth). What a caller may not see
does not exist for it: the routes answer 404, never 403, so nothing leaks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from prestaties.domain.prestatie import Partij
from wijkwerk.auth import Principal
from wijkwerk.problems import Problem

ORGANISATOR, GEBRUIKER = "organisator", "gebruiker"


def centraal(principal: Principal) -> bool:
    return principal.is_service


def ziet(
    principal: Principal,
    *,
    organisator_id: uuid.UUID | None = None,
    gebruiker_id: uuid.UUID | None = None,
) -> bool:
    """``organisator_id``: the organiser the data belongs to; ``gebruiker_id``: the
    gebruiker it is about, when the gebruiker itself may see it."""
    if centraal(principal):
        return True
    if principal.org_type == ORGANISATOR:
        return organisator_id is not None and principal.org == str(organisator_id)
    if principal.org_type == GEBRUIKER:
        return gebruiker_id is not None and principal.org == str(gebruiker_id)
    return False


def ziet_een_van(principal: Principal, organisatoren: Iterable[uuid.UUID], gebruiker_id: uuid.UUID | None = None) -> bool:
    """Data of several organisers at once (a gebruiker with erkenningen in several areas)."""
    return any(ziet(principal, organisator_id=o) for o in organisatoren) or ziet(principal, gebruiker_id=gebruiker_id)


def beperking(principal: Principal) -> dict[str, uuid.UUID] | None:
    """The filter a listing must add: {} for all, None when the caller sees nothing."""
    if centraal(principal):
        return {}
    try:
        org = uuid.UUID(principal.org or "")
    except ValueError:
        return None
    return {ORGANISATOR: {"organisator_id": org}, GEBRUIKER: {"gebruiker_id": org}}.get(principal.org_type or "")


def partij(principal: Principal, door: Partij) -> Partij:
    """A gebruiker token speaks for the gebruiker only; organisers and central callers
    may enter on behalf of any party (e.g. what a worker reports at the desk)."""
    if principal.org_type == GEBRUIKER and door is not Partij.GEBRUIKER:
        raise Problem(403, "partij-past-niet-bij-token", "A gebruiker token acts for the gebruiker only.")
    return door


def beslisser(principal: Principal) -> None:
    """A dispute is resolved by the organiser (its own area: the data scope) or central
    ops, never by a party to it: a gebruiker token is refused whatever its scopes."""
    if not centraal(principal) and principal.org_type != ORGANISATOR:
        raise Problem(403, "beslissing-alleen-organisator", "Only the organiser or central ops resolve a dispute.")


__all__ = ["beperking", "beslisser", "centraal", "partij", "ziet", "ziet_een_van"]
