"""Domain errors of toeleiding; each names the rule it enforces."""

from wijkwerk.problems import Conflict, DomainError, NotFound


class OngeldigeInvoer(DomainError):
    status = 422


class BestaatAl(Conflict):
    pass


class NietGevonden(NotFound):
    pass


class GeenToegang(DomainError):
    status = 403


__all__ = ["BestaatAl", "DomainError", "GeenToegang", "NietGevonden", "OngeldigeInvoer"]
