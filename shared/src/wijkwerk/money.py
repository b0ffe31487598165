"""Money is integer euro cents everywhere; APIs show euros as decimal strings ("4.10")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

Cents = int

_EURO_PATTERN = r"^-?\d+\.\d{2}$"


def format_euro(cents: Cents) -> str:
    """410 → "4.10", -5 → "-0.05"."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"money must be integer cents, got {type(cents).__name__}")
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def parse_euro(text: str) -> Cents:
    """"4.10" → 410. Exactly two decimals, so no amount is ever rounded silently."""
    if not isinstance(text, str):
        raise ValueError("an amount in euro must be a string like \"4.10\"")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount in euro: {text!r}") from exc
    if value.as_tuple().exponent != -2:
        raise ValueError(f"an amount in euro has exactly two decimals: {text!r}")
    return int(value * 100)


def _to_cents(value: object) -> Cents:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_euro(value)  # type: ignore[arg-type]


Euro = Annotated[
    Cents,
    BeforeValidator(_to_cents),
    PlainSerializer(format_euro, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": _EURO_PATTERN, "examples": ["7.45"]}),
]
"""An API field holding cents internally and a euro string on the wire."""
