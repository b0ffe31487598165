"""The cheques service's own domain errors; the shared ones live in :mod:`wijkwerk.fouten`."""

from wijkwerk.fouten import DomainError


class Geweigerd(DomainError):
    """A webhook whose signature, timestamp or issuer cannot be trusted."""

    status = 401
    rule = "handtekening-ongeldig"


class Onbeschikbaar(DomainError):
    """A service this one depends on did not answer (toeleiding, the broker)."""

    status = 503
    rule = "dienst-onbeschikbaar"


__all__ = ["Geweigerd", "Onbeschikbaar"]
