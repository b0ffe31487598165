import uuid
from datetime import date

import pytest
from pydantic import ValidationError

from wijkwerk.events import Envelope, EventRegistry, UnknownEvent
from wijkwerk.events.envelope import Event
from wijkwerk.events.toeleiding import Gemeente, OrganisatorGeregistreerd, WijkwerkerIngeschreven


def test_envelope_round_trips_through_bytes_to_an_equal_event():
    event = OrganisatorGeregistreerd(
        organisator_id=uuid.uuid4(),
        naam="Wijk-werken Brugge",
        samenwerkingsverband="Werkkracht10",
        gemeenten=(Gemeente(nis_code="31005", naam="Brugge"),),
    )
    envelope = Envelope.wrap(event, producer="toeleiding", correlation_id="c-1")
    decoded = Envelope.from_bytes(envelope.to_bytes())
    assert decoded == envelope
    from wijkwerk.events import registry

    assert registry.decode(decoded) == event


def test_worker_events_are_keyed_by_the_worker_and_organiser_events_by_the_aggregate():
    wid, oid = uuid.uuid4(), uuid.uuid4()
    ingeschreven = WijkwerkerIngeschreven(
        wijkwerker_id=wid, organisator_id=oid, domicilie_nis_code="31005", uitkeringsstatus="leefloon",
        ex_pwa=False, onbeperkt_recht=False, ingeschreven_op=date(2026, 1, 5),
    )
    assert ingeschreven.partition_key() == str(wid)
    geregistreerd = OrganisatorGeregistreerd(organisator_id=oid, naam="x", samenwerkingsverband="y", gemeenten=())
    assert geregistreerd.partition_key() == str(oid)


def test_events_are_frozen_and_reject_unknown_fields():
    with pytest.raises(ValidationError):
        OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="x", samenwerkingsverband="y", gemeenten=(), extra=1)


class _Oud(Event):
    event_type = "TestGebeurd"
    schema_version = 2
    topic = "t"
    aggregate_field = "id"
    key_field = None

    id: str
    uren: int


def _registry() -> EventRegistry:
    reg = EventRegistry()
    reg.register(_Oud)

    @reg.upcaster("TestGebeurd", 1)
    def v1_to_v2(payload):
        return {"id": payload["id"], "uren": payload["minuten"] // 60}

    return reg


def _envelope(version: int, payload: dict) -> Envelope:
    return Envelope(event_type="TestGebeurd", schema_version=version, producer="p", aggregate_id="a", payload=payload)


def test_an_old_schema_version_is_upcast_to_the_current_model():
    assert _registry().decode(_envelope(1, {"id": "a", "minuten": 120})) == _Oud(id="a", uren=2)


def test_a_newer_schema_version_than_known_is_refused():
    with pytest.raises(UnknownEvent):
        _registry().decode(_envelope(3, {"id": "a", "uren": 1}))


def test_an_unknown_event_type_is_refused():
    with pytest.raises(UnknownEvent):
        _registry().decode(Envelope(event_type="Nope", schema_version=1, producer="p", aggregate_id="a", payload={}))
