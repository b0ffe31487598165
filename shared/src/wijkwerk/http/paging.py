"""Bounded pagination parameters for every listing (an unbounded offset would reach
PostgreSQL as an out-of-range bigint)."""

from typing import Annotated

from fastapi import Query

MAX_PAGE = 500
MAX_OFFSET = 10_000_000

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")]
