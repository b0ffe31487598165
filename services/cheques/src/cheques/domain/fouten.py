"""Domain errors of the cheques service; each names the rule it enforces."""

from wijkwerk.problems import Conflict, DomainError, NotFound


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


class Onbeschikbaar(DomainError):
    """A service this one depends on did not answer (toeleiding, the broker)."""

    status = 503
    rule = "dienst-onbeschikbaar"


__all__ = ["BestaatAl", "DomainError", "Geweigerd", "NietGevonden", "Onbeschikbaar", "OngeldigeInvoer"]
