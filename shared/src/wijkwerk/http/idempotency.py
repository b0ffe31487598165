"""``Idempotency-Key`` on every state-changing POST (issue #21, item 8), as pure ASGI
middleware: routes need no code of their own.

A POST that carries the header runs in one request transaction (``wijkwerk.db.idempotency``):

* a key seen before with the same request (method, path, query, JSON body) answers the
  stored status and body again, with ``Idempotent-Replayed: true``;
* a key seen before with another request answers 422 ``idempotentie-sleutel-hergebruikt``;
* a key whose first request is still running answers 409
  ``idempotentie-sleutel-in-behandeling`` with ``Retry-After``;
* otherwise the request runs; its effect, its outbox rows and its answer commit together.

Final answers are stored: successes and refusals. Answers a partner is meant to retry
(those with ``Retry-After``), 401/403 (the token, not the request, was wrong), 429 and
5xx are not: the effect is rolled back and the key stays free. Keys are per caller (the
token's issuer, subject and organisation), so two partners' keys never collide. Requests
without the header, without a bearer token (the issuer's signed webhooks) or on an exempt
path are passed through untouched.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from datetime import timedelta

import orjson

from wijkwerk.auth import Principal
from wijkwerk.db import idempotency as store
from wijkwerk.problems import MEDIA_TYPE, PROBLEM_BASE, TITLES, Problem

log = logging.getLogger("wijkwerk.idempotency")

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[\x21-\x7E]{1,255}$"  # visible ASCII: what survives every HTTP stack unchanged
RETRY_AFTER_S = 1
NOT_STORED = frozenset({401, 403, 408, 429})

_KEY_RE = re.compile(KEY_PATTERN.encode())
_HEADER_LOWER = HEADER.lower().encode()


def _problem(status: int, rule: str, detail: str, path: str, *, retry_after: int | None = None) -> list[dict]:
    body = orjson.dumps({"type": PROBLEM_BASE + rule, "title": TITLES.get(status, "Error"), "status": status,
                         "detail": detail, "rule": rule, "instance": path})
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    return [{"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": body}]


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> bytes:
    """The request as the key remembers it: a JSON body by value (key order and spacing do
    not matter), anything else by its bytes."""
    try:
        canonical = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS) if body else b""
    except orjson.JSONDecodeError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def caller_of(principal: Principal) -> str:
    return "\x1f".join(str(x or "") for x in (principal.claims.get("iss"), principal.subject,
                                              principal.org_type, principal.org))


def storable(status: int, headers: Sequence[tuple[bytes, bytes]]) -> bool:
    if status >= 500 or status in NOT_STORED:
        return False
    return not any(name.lower() == b"retry-after" for name, _ in headers)


class IdempotencyMiddleware:
    def __init__(self, app, *, ttl: timedelta, exempt_prefixes: Sequence[str] = ()) -> None:
        self.app = app
        self.ttl = ttl
        self.exempt_prefixes = tuple(exempt_prefixes)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].startswith(self.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        keys = [v for k, v in scope.get("headers") or () if k == _HEADER_LOWER]
        if not keys:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if len(keys) > 1 or not _KEY_RE.match(keys[0]):
            for message in _problem(400, "idempotentie-sleutel-ongeldig",
                                    f"{HEADER} is one value of 1 to 255 visible ASCII characters.", path):
                await send(message)
            return
        principal = await self._principal(scope)
        if principal is None:  # no valid bearer token: the route answers 401 as always
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        key = keys[0].decode("ascii")
        await self._run(scope, send, caller_of(principal), key,
                        fingerprint("POST", path, scope.get("query_string", b""), body), body)

    async def _principal(self, scope) -> Principal | None:
        authorization = next((v for k, v in scope.get("headers") or () if k == b"authorization"), b"")
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            return await scope["app"].state.token_verifier.verify_async(token.strip())
        except Problem:
            return None

    async def _run(self, scope, send, caller: str, key: str, print_: bytes, body: bytes) -> None:
        path = scope["path"]
        session = scope["app"].state.runtime.sessions()
        try:
            if not await store.try_lock(session, caller, key):
                messages = _problem(409, "idempotentie-sleutel-in-behandeling",
                                    "A request with this Idempotency-Key is still being processed; retry it.",
                                    path, retry_after=RETRY_AFTER_S)
            elif (found := await store.stored(session, caller, key)) is not None:
                messages = _replay(found) if found.fingerprint == print_ else _problem(
                    422, "idempotentie-sleutel-hergebruikt",
                    "This Idempotency-Key was used for another request; use a new key for a new request.", path)
            else:
                messages = await self._execute(scope, session, body)
                start = messages[0] if messages else {"status": 500, "headers": []}
                if storable(start["status"], start["headers"]):
                    content_type = next((v.decode("latin-1") for k, v in start["headers"]
                                         if k.lower() == b"content-type"), None)
                    answer = b"".join(m.get("body", b"") for m in messages[1:])
                    await store.store(session, caller, key,
                                      store.StoredResponse(print_, start["status"], content_type, answer), self.ttl)
                    messages = await _commit(session, messages, path)
                else:
                    await session.rollback()
        finally:
            await session.rollback()
            await session.close()
        for message in messages:
            await send(message)

    async def _execute(self, scope, session, body: bytes) -> list[dict]:
        """Runs the route inside the request transaction; its answer is held back until the
        transaction has committed (a client must never see a success that was not stored)."""
        messages: list[dict] = []
        sent = False

        async def replay_receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        async def hold(message) -> None:
            messages.append(message)

        token = store.request_session.set(session)
        try:
            await self.app(scope, replay_receive, hold)
        finally:
            store.request_session.reset(token)
        return messages


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            return b"".join(chunks)


async def _commit(session, messages: list[dict], path: str) -> list[dict]:
    try:
        await session.commit()
    except Exception:  # noqa: BLE001 - nothing was committed, or the key says so on the retry
        log.exception("committing an idempotent request failed")
        return _problem(503, "opnieuw-proberen",
                        "The request could not be completed; retry it with the same Idempotency-Key.",
                        path, retry_after=RETRY_AFTER_S)
    return messages


def _replay(found: store.StoredResponse) -> list[dict]:
    headers = [(b"content-length", str(len(found.body)).encode()), (REPLAYED_HEADER.lower().encode(), b"true")]
    if found.content_type:
        headers.append((b"content-type", found.content_type.encode("latin-1")))
    return [{"type": "http.response.start", "status": found.status, "headers": headers},
            {"type": "http.response.body", "body": found.body}]


_PROBLEM_CONTENT = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}}
RETRY_AFTER_DOC = {"description": "Seconds to wait before retrying the same request (with the same key).",
                   "schema": {"type": "integer", "minimum": 1}}


def document(schema: dict, exempt_prefixes: Sequence[str]) -> None:
    """Every POST outside ``exempt_prefixes`` takes the optional header, and documents the
    answers it adds: 409 (in progress, retryable), 422 (key reused), 400 (malformed key),
    503 (not completed, retryable)."""
    parameter = {
        "name": HEADER, "in": "header", "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
        "description": (
            "Optional; a fresh random value (e.g. a UUID) per intended change, sent again unchanged on every "
            "retry of it. The same key with the same request answers the stored status and body again (header "
            f"`{REPLAYED_HEADER}: true`); with another request 422 `idempotentie-sleutel-hergebruikt`; while the "
            "first request runs 409 `idempotentie-sleutel-in-behandeling` with `Retry-After`. Keys are per caller "
            "and kept 24 hours. See the README's retry contract."
        ),
        "example": "7d0f3c2e-5b1a-4f7e-9c3d-2a6b8e1f4c90",
    }
    extra = {
        "400": "Bad request (e.g. a malformed Idempotency-Key: `idempotentie-sleutel-ongeldig`)",
        "409": "Conflict; with `Retry-After` it is retryable (`idempotentie-sleutel-in-behandeling`, "
               "`…-nog-onbekend`)",
        "422": "Unprocessable content (also `idempotentie-sleutel-hergebruikt`)",
        "503": "Not completed, nothing written (`opnieuw-proberen`): retry with the same Idempotency-Key",
    }
    for path, methods in schema.get("paths", {}).items():
        operation = methods.get("post")
        if operation is None or path.startswith(tuple(exempt_prefixes)):
            continue
        operation.setdefault("parameters", []).append(parameter)
        responses = operation.setdefault("responses", {})
        for status, description in extra.items():
            response = responses.setdefault(status, {"description": description, "content": _PROBLEM_CONTENT})
            if status in ("409", "503"):
                response.setdefault("headers", {})["Retry-After"] = RETRY_AFTER_DOC
