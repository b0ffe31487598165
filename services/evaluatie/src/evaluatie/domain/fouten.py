"""Domain errors of evaluatie; each names the rule it enforces."""

from wijkwerk.problems import Conflict, DomainError, NotFound, NotKnownYet


class OngeldigeInvoer(DomainError):
    status = 422


class BestaatAl(Conflict):
    pass


class NietGevonden(NotFound):
    pass


class NogOnbekend(NotKnownYet):
    """Another service's organiser, trajectory or prestatie has not reached this one yet:
    409 with Retry-After, retryable (rules ``…-nog-onbekend``)."""


class Verboden(DomainError):
    """Outside the caller's data scope (a webhook subscription's organiser or types)."""

    status = 403
