import pytest
from pydantic import BaseModel, ValidationError

from wijkwerk.money import Euro, format_euro, parse_euro


@pytest.mark.parametrize(("cents", "text"), [(410, "4.10"), (745, "7.45"), (5, "0.05"), (0, "0.00"), (-42, "-0.42"), (123456, "1234.56")])
def test_format_and_parse_are_inverse(cents, text):
    assert format_euro(cents) == text
    assert parse_euro(text) == cents


@pytest.mark.parametrize("bad", ["4.1", "4", "4.105", "vier", "", "1e2"])
def test_parse_rejects_anything_but_two_decimals(bad):
    with pytest.raises(ValueError):
        parse_euro(bad)


def test_format_refuses_floats():
    with pytest.raises(TypeError):
        format_euro(4.10)  # type: ignore[arg-type]


class Prijs(BaseModel):
    prijs: Euro


def test_euro_field_reads_a_string_holds_cents_and_writes_a_string():
    model = Prijs.model_validate({"prijs": "5.95"})
    assert model.prijs == 595
    assert model.model_dump(mode="json") == {"prijs": "5.95"}


def test_euro_field_rejects_a_float():
    with pytest.raises(ValidationError):
        Prijs.model_validate({"prijs": 5.95})
