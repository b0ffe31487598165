"""Domain errors of the cheques service; each names the rule it enforces."""

from wijkwerk.problems import Conflict, DomainError, NotFound, NotKnownYet


class OngeldigeInvoer(DomainError):
    status = 422


class Geweigerd(DomainError):
    """A webhook whose signature, timestamp or issuer cannot be trusted."""

    status = 401
    rule = "handtekening-ongeldig"


class BestaatAl(Conflict):
    pass


class NietGevonden(NotFound):
    pass


class NogOnbekend(NotKnownYet):
    """Another service's organiser, trajectory or prestatie has not reached this one yet:
    409 with Retry-After, retryable (rules ``…-nog-onbekend``)."""


class Onbeschikbaar(DomainError):
    """A service this one depends on did not answer (toeleiding, the broker)."""

    status = 503
    rule = "dienst-onbeschikbaar"


__all__ = ["BestaatAl", "DomainError", "Geweigerd", "NietGevonden", "NogOnbekend", "Onbeschikbaar", "OngeldigeInvoer"]
