"""The service image: deploy/docker/Dockerfile passes hadolint (the pip-installed binary)
with no finding at any level, follows the image policy (multi-stage, pinned bases,
non-root, HEALTHCHECK, no build tools in the final stage, migrations shipped), its build
context (.dockerignore) holds what the COPYs need and nothing secret, and its entrypoint
and health probe behave. No Docker engine is needed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from deploykit import DEPLOY, DOCKERFILE, REPO, split_image  # type: ignore[import-not-found]
from dockerfile_parse import DockerfileParser

from wijkwerk_platform.cli.services import SERVICES

ENTRYPOINT = DEPLOY / "docker" / "entrypoint.sh"
HEALTHCHECK = DEPLOY / "docker" / "healthcheck.py"
INIT_SCRIPT = DEPLOY / "postgres" / "init" / "01-databases.sh"
DOCKERIGNORE = REPO / ".dockerignore"
JUNK = {"__pycache__", ".pytest_cache"}
BUILD_TOOLS = re.compile(r"\b(apt-get|apt|apk|yum|dnf|gcc|g\+\+|make|build-essential|pip\s+install)\b")


def _tool(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def _require_tool(name: str) -> str:
    found = _tool(name)
    if found is None:
        pytest.fail(f"{name} is not installed (a pinned test dependency in tools/pyproject.toml)")
    return found


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    return DockerfileParser(path=str(DOCKERFILE))


def _stages(parser: DockerfileParser) -> list[list[dict]]:
    stages: list[list[dict]] = []
    for instruction in parser.structure:
        if instruction["instruction"] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _values(stage: list[dict], name: str) -> list[str]:
    return [i["value"] for i in stage if i["instruction"] == name]


# --- lint --------------------------------------------------------------------------------------


def test_hadolint_finds_nothing():
    hadolint = _require_tool("hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", "--format", "json", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    findings = json.loads(result.stdout or "[]")
    assert findings == [], "\n".join(f"line {f['line']}: {f['code']} {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


def test_hadolint_is_really_linting(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install requests\n")
    result = subprocess.run([_require_tool("hadolint"), "--format", "json", str(bad)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert {f["code"] for f in json.loads(result.stdout)} >= {"DL3007", "DL3013"}


@pytest.mark.parametrize("script", [ENTRYPOINT, INIT_SCRIPT], ids=lambda p: p.name)
def test_shell_scripts_pass_shellcheck(script):
    result = subprocess.run([_require_tool("shellcheck"), "--format", "gcc", str(script)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert os.access(script, os.X_OK), f"{script.name} must be executable"


# --- image policy ------------------------------------------------------------------------------


def test_multi_stage_from_pinned_python_3_11_slim(dockerfile):
    assert dockerfile.is_multistage
    assert len(dockerfile.parent_images) >= 2
    for image in dockerfile.parent_images:
        name, tag = split_image(image)
        assert tag and tag != "latest" and "$" not in image, image
    final = dockerfile.parent_images[-1]
    assert split_image(final)[0] in {"python", "docker.io/library/python"}
    assert re.match(r"3\.11(\.\d+)?-slim", split_image(final)[1]), final


def test_the_final_stage_runs_as_a_non_root_user_with_a_healthcheck(dockerfile):
    final = _stages(dockerfile)[-1]
    users = _values(final, "USER")
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, users[-1]
    assert user.isdigit(), "a numeric uid lets Kubernetes verify runAsNonRoot"
    order = [i["instruction"] for i in final]
    assert order.index("USER") < order.index("ENTRYPOINT")
    (healthcheck,) = _values(final, "HEALTHCHECK")
    assert "/health" in healthcheck and "CMD" in healthcheck
    assert _values(final, "ENTRYPOINT") == ['["/usr/local/bin/wijkwerk-entrypoint"]']


def test_no_build_tools_reach_the_final_stage(dockerfile):
    builder, final = _stages(dockerfile)[0], _stages(dockerfile)[-1]
    for run in _values(final, "RUN"):
        assert not BUILD_TOOLS.search(run), f"final stage installs something: {run}"
    for copy in _values(final, "COPY"):
        args = copy.split()
        if any(a.startswith("--from=") for a in args):
            assert "--from=builder" in args, copy
        else:
            assert all(src.startswith("deploy/docker/") for src in _copy_sources(copy)), copy
    # Wheels only, so no compiler is needed in the builder either.
    assert any("--only-binary=:all:" in run for run in _values(builder, "RUN"))
    assert any("pip uninstall --yes pip setuptools" in run for run in _values(builder, "RUN"))


def test_every_stage_takes_the_service_argument_and_migrations_are_shipped(dockerfile):
    for stage in _stages(dockerfile):
        assert "SERVICE" in _values(stage, "ARG"), stage[0]["value"]
    builder_copies = " ".join(_values(_stages(dockerfile)[0], "COPY"))
    assert "services/${SERVICE}/alembic.ini" in builder_copies
    assert "services/${SERVICE}/migrations /app/services/${SERVICE}/migrations" in builder_copies
    assert "--from=builder /app /app" in _values(_stages(dockerfile)[-1], "COPY")


def test_the_entrypoint_serves_each_services_factory():
    from wijkwerk_platform.serve import uvicorn_argv

    text = ENTRYPOINT.read_text()
    assert 'exec python -m wijkwerk_platform.serve "${WIJKWERK_SERVICE}"' in text
    for spec in SERVICES:
        assert spec.app_factory == f"{spec.name}.entrypoints.api:create_app"
        assert uvicorn_argv(spec.name, ["--port", "1"]) == [spec.app_factory, "--factory", "--port", "1"]


# --- build context -----------------------------------------------------------------------------


def _dockerignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in DOCKERIGNORE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        rules.append((negated, re.compile(_glob_to_regex(pattern))))
    return rules


def _glob_to_regex(pattern: str) -> str:
    """Go filepath.Match syntax plus '**' (moby/patternmatcher), as a regex."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
            continue
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.index("]", i)
            out += "[" + pattern[i + 1:end].replace("!", "^", 1) + "]"
            i = end
        else:
            out += re.escape(c)
        i += 1
    return out


def _in_context(path: str, rules) -> bool:
    """Whether Docker sends ``path`` (relative, '/'-separated): the last rule that matches
    the path or one of its parent directories decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    included = True
    for negated, regex in rules:
        if any(regex.fullmatch(c) for c in candidates):
            included = negated
    return included


def _copy_sources(value: str) -> list[str]:
    args = [a for a in value.split() if not a.startswith("--")]
    return args[:-1]


def _files(root: Path) -> Iterator[str]:
    if root.is_file():
        yield root.relative_to(REPO).as_posix()
        return
    for path in root.rglob("*"):
        if path.is_file() and not (JUNK & set(path.parts)) and not any(p.endswith(".egg-info") for p in path.parts):
            yield path.relative_to(REPO).as_posix()


def test_the_build_context_holds_every_copied_file(dockerfile):
    rules = _dockerignore_rules()
    checked = 0
    for copy in (i["value"] for i in dockerfile.structure if i["instruction"] == "COPY"):
        if "--from=" in copy:
            continue
        for spec in SERVICES:
            for source in _copy_sources(copy.replace("${SERVICE}", spec.name)):
                path = REPO / source
                assert path.exists(), f"COPY {source}: not in the repository"
                for file in _files(path):
                    assert _in_context(file, rules), f"{file} is needed by COPY but excluded by .dockerignore"
                    checked += 1
    assert checked > 50


@pytest.mark.parametrize("path", [
    ".git/config", ".venv/bin/python", ".wijkwerk/keys/jwt-private.pem", ".wijkwerk/pg/PG_VERSION",
    "services/toeleiding/tests/unit/test_domein.py", "shared/tests/conftest.py",
    "services/toeleiding/src/toeleiding/__pycache__/api.cpython-311.pyc",
    "services/toeleiding/src/wijkwerk_toeleiding.egg-info/PKG-INFO", "docker-compose.yml", "deploy/k8s/base/secrets.example.yaml",
])
def test_the_build_context_leaves_out_secrets_data_and_tests(path):
    assert not _in_context(path, _dockerignore_rules()), path


# --- entrypoint and health probe ---------------------------------------------------------------


def test_the_entrypoint_runs_uvicorn_without_arguments_and_other_commands_as_given(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "python").write_text('#!/bin/sh\necho "python $*"\n')
    (fake_bin / "python").chmod(0o755)
    env = {"PATH": f"{fake_bin}:/usr/bin:/bin", "WIJKWERK_SERVICE": "cheques", "PORT": "8003"}
    served = subprocess.run(["sh", str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=30, check=True)
    assert served.stdout.startswith("python -m wijkwerk_platform.serve cheques --host 0.0.0.0 --port 8003")
    options = subprocess.run(["sh", str(ENTRYPOINT), "--workers", "1"], env=env, capture_output=True, text=True,
                             timeout=30, check=True)
    assert options.stdout.rstrip().endswith("--workers 1")
    other = subprocess.run(["sh", str(ENTRYPOINT), "echo", "wijkwerk", "migrate"], env=env, capture_output=True,
                           text=True, timeout=30, check=True)
    assert other.stdout == "wijkwerk migrate\n"


class _Probe(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(200 if self.path == "/health" else 503)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_the_health_probe_exits_zero_only_on_200():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Probe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {**os.environ, "PORT": str(server.server_address[1])}

        def probe(*args: str) -> int:
            return subprocess.run([sys.executable, str(HEALTHCHECK), *args], env=env, capture_output=True,
                                  timeout=30, check=False).returncode

        assert probe() == 0
        assert probe("/health") == 0
        assert probe("/ready") == 1
        assert probe("/health", "/health") == 0
        assert probe("/health", "/ready") == 1  # every path must answer 200
    finally:
        server.shutdown()
        server.server_close()
    assert probe("/health") == 1  # nothing listens any more


def test_the_health_probe_speaks_https_when_the_service_has_a_certificate(tmp_path):
    """<SERVICE>_TLS_CERTFILE set: the API port is HTTPS, and so is the image's probe."""
    import datetime as dt
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cheques")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(hours=1)).sign(key, hashes.SHA256()))
    certfile, keyfile = tmp_path / "tls.crt", tmp_path / "tls.key"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Probe)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {**os.environ, "PORT": str(server.server_address[1]), "WIJKWERK_SERVICE": "cheques"}

        def probe(**extra: str) -> int:
            return subprocess.run([sys.executable, str(HEALTHCHECK), "/health"], env={**env, **extra},
                                  capture_output=True, timeout=30, check=False).returncode

        assert probe(CHEQUES_TLS_CERTFILE=str(certfile)) == 0
        assert probe() == 1  # plain HTTP against the TLS port fails
    finally:
        server.shutdown()
        server.server_close()
