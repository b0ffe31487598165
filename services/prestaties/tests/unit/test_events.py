"""The prestaties event contracts: keys, and payloads complete enough for the consumers."""

import uuid
from datetime import date, time

from wijkwerk.events import Envelope, registry
from wijkwerk.events import prestaties as ev
from wijkwerk.events.topics import PRESTATIES


def test_every_prestaties_event_is_registered_on_its_topic():
    eigen = {t for t, m in registry.models().items() if m.topic == PRESTATIES}
    assert {"PrestatieGeregistreerd", "PrestatieGecorrigeerd", "PrestatieGeannuleerd", "GebruikerGeregistreerd",
            "ErkenningVerleend", "InschrijvingsrechtBetaald", "KoppelingGemaakt", "ContactGeregistreerd"} <= eigen


def test_worker_events_are_keyed_by_the_worker_gebruiker_events_by_the_gebruiker():
    for model in registry.models().values():
        if model.topic != PRESTATIES:
            continue
        fields = set(model.model_fields)
        if model.aggregate_field == "activiteit_id":
            expected = None  # the catalogue stays in order per activity
        elif "wijkwerker_id" in fields:
            expected = "wijkwerker_id"
        else:
            expected = "gebruiker_id"
        assert model.key_field == expected, model.event_type


def test_a_registered_prestatie_round_trips_through_the_envelope():
    ids = {k: uuid.uuid4() for k in ("prestatie_id", "wijkwerker_id", "gebruiker_id", "organisator_id",
                                      "koppeling_id", "traject_id", "activiteit_id")}
    event = ev.PrestatieGeregistreerd(
        **ids, datum=date(2026, 3, 4), door="wijkwerker", activiteit_categorie="groenonderhoud",
        gebruiker_categorie="particulier", locatie_nis_code="31005", start=time(9, 0), minuten=130, begonnen_uren=3,
        afstand_km=8, recht_op_verplaatsingsvergoeding=True, verplaatsingsvergoeding_dag_cent=240,
    )
    envelope = Envelope.from_bytes(Envelope.wrap(event, producer="prestaties").to_bytes())
    assert registry.decode(envelope) == event
    assert event.partition_key() == str(ids["wijkwerker_id"])
    assert envelope.aggregate_id == str(ids["prestatie_id"])
