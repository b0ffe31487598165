"""Contract guards: the published event catalogue is current and schemas only grow."""

from pathlib import Path

from wijkwerk import asyncapi
from wijkwerk.events import registry

REPO = Path(__file__).resolve().parents[3]


def test_the_committed_asyncapi_document_is_current():
    committed = (REPO / "docs" / "asyncapi.yaml").read_text(encoding="utf-8")
    assert committed == asyncapi.render(), "docs/asyncapi.yaml is stale: run `make asyncapi`"


def test_every_event_is_in_the_catalogue_with_its_topic():
    doc = asyncapi.build()
    published = {m for ch in doc["channels"].values() for m in ch["messages"]}
    assert published == set(registry.models())


def test_no_event_carries_personal_data_fields():
    forbidden = {"insz", "rijksregisternummer", "iban", "bic", "voornaam", "achternaam", "naam_wijkwerker", "adres"}
    for event_type, model in registry.models().items():
        assert not forbidden & set(model.model_fields), f"{event_type} carries personal data"


def test_published_event_schemas_only_grow():
    from wijkwerk.events import contract

    assert contract.violations(contract.load(), contract.current()) == []


def test_every_current_event_schema_is_recorded_as_published():
    from wijkwerk.events import contract

    missing = contract.unpublished(contract.load(), contract.current())
    assert missing == [], f"run `python -m wijkwerk.events.contract --update` for {missing}"


def test_the_guard_catches_a_removed_field_and_a_new_required_one():
    from wijkwerk.events import contract

    now = contract.current()
    published = {"OrganisatorGeregistreerd": {"1": dict(now["OrganisatorGeregistreerd"]["1"])}}
    old = published["OrganisatorGeregistreerd"]["1"]
    old["properties"] = {**old["properties"], "weggevallen": {"type": "string"}}
    old["required"] = [r for r in old["required"] if r != "naam"]
    problems = contract.violations(published, now)
    assert any("'weggevallen' was removed" in p for p in problems)
    assert any("'naam' must have a default" in p for p in problems)
