"""Domain errors of prestaties; each names the rule it enforces."""

from wijkwerk.problems import Conflict, DomainError, NotFound


class OngeldigeInvoer(DomainError):
    status = 422


class BestaatAl(Conflict):
    pass


class NietGevonden(NotFound):
    pass


__all__ = ["BestaatAl", "DomainError", "NietGevonden", "OngeldigeInvoer"]
