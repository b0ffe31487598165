"""Who is acting right now: the principal behind the change being made (issue #18).

Set once where a request or message enters a service, read where changes are recorded,
so no handler passes it along:

- the auth dependency (:func:`wijkwerk.auth.current_principal`) sets the verified token's
  principal for the request — a *direct* actor;
- a signed webhook sets the issuer;
- the inbox consumer sets the actor of each consumed event while its handler runs — an
  *indirect* actor: the events it causes carry it on, but the audit record of the change
  was written by the service that took the command.

The unit of work stamps every emitted event's envelope with it and writes an audit row
for each event caused by a direct actor (``wijkwerk.db.audit``).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from wijkwerk.events.envelope import Actor


@dataclass(frozen=True)
class Handelend:
    actor: Actor
    rechtstreeks: bool  # a command taken here (audit row here), not an event consumed
    # A state-changing request ("PUT /v1/…/{id}") and the dossier in its path: a command
    # that changes state without emitting an event is still recorded under this name.
    verzoek: str | None = None
    wijkwerker_id: str | None = None


_huidig: ContextVar[Handelend | None] = ContextVar("wijkwerk_actor", default=None)


def zet_actor(actor: Actor | None, *, rechtstreeks: bool, verzoek: str | None = None,
              wijkwerker_id: str | None = None) -> None:
    _huidig.set(Handelend(actor, rechtstreeks, verzoek, wijkwerker_id) if actor is not None else None)


def huidige() -> Handelend | None:
    return _huidig.get()


def huidige_actor() -> Actor | None:
    handelend = _huidig.get()
    return handelend.actor if handelend is not None else None
