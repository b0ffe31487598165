"""Domain errors: a broken business rule, named by its rule id.

Standard library only, so that importing a service's domain loads no web framework or
database driver. Every service's domain raises these (or subclasses of its own);
:mod:`wijkwerk.problems` maps them to RFC 9457 problem documents in one place.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule was broken. ``rule`` is the stable, kebab-case rule name."""

    status = 422
    rule = "regel-geschonden"

    def __init__(self, detail: str, *, rule: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if rule is not None:
            self.rule = rule
        self.extra = extra


class NotFound(DomainError):
    status = 404
    rule = "niet-gevonden"


class Conflict(DomainError):
    status = 409
    rule = "conflict"


class NotKnownYet(DomainError):
    """What the request refers to is not (yet) known to this service: another service owns it
    and its event may still be on the way. Not a refusal: the partner retries the same
    request after ``Retry-After`` seconds (README: retry contract). Its rule ends in
    ``-nog-onbekend``. Answered alike for an id that exists nowhere or that the caller may
    not see, so it reveals nothing about other organisations."""

    status = 409
    rule = "nog-onbekend"
    retry_after = 2


class OngeldigeInvoer(DomainError):
    status = 422


class BestaatAl(Conflict):
    pass


class NietGevonden(NotFound):
    pass


class NogOnbekend(NotKnownYet):
    """Another service's organiser, trajectory or prestatie has not reached this one yet:
    409 with Retry-After, retryable (rules ``…-nog-onbekend``)."""


class GeenToegang(DomainError):
    status = 403


__all__ = [
    "BestaatAl",
    "Conflict",
    "DomainError",
    "GeenToegang",
    "NietGevonden",
    "NogOnbekend",
    "NotFound",
    "NotKnownYet",
    "OngeldigeInvoer",
]
