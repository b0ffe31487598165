"""The whole embedded system as processes: ``wijkwerk up`` on free ports."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest

from wijkwerk_platform.embedded import free_port, port_is_free
from wijkwerk_platform.testing import wait_until
from wijkwerk_platform.testkit import Tokens

SERVICES = ("toeleiding", "prestaties", "cheques", "evaluatie")


def _free_port_base() -> int:
    for _ in range(50):
        base = free_port() // 10 * 10
        if base + 10 < 65000 and all(port_is_free("127.0.0.1", base + i) for i in range(1, 5)):
            return base
    raise RuntimeError("no four consecutive free ports")


@dataclass
class System:
    data_dir: Path
    pg_port: int
    kafka_port: int
    port_base: int
    proc: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.data_dir / "up.out"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port_base + SERVICES.index(service) + 1}"

    @property
    def tokens(self) -> Tokens:
        keys = self.data_dir / "keys"
        return Tokens(keys / "jwt-private.pem", keys / "jwt-public.pem")

    def start(self, timeout: float = 120) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable, "-m", "wijkwerk_platform.cli.main", "up",
            "--data-dir", str(self.data_dir),
            "--pg-port", str(self.pg_port),
            "--kafka-port", str(self.kafka_port),
            "--port-base", str(self.port_base),
            "--partitions", "4",
        ]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until(lambda: self.proc.poll() is not None or self._all_healthy(), timeout=timeout, interval=0.25)
        if self.proc.poll() is not None:
            raise RuntimeError(f"wijkwerk up exited {self.proc.returncode}:\n{self.log.read_text()[-4000:]}")

    def _all_healthy(self) -> bool:
        try:
            return all(httpx.get(self.url(s) + "/health", timeout=1).status_code == 200 for s in SERVICES)
        except httpx.HTTPError:
            return False

    def stop(self) -> list[psutil.Process]:
        """SIGTERM the supervisor; returns any descendant left running (should be none)."""
        assert self.proc is not None
        children = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        gone, alive = psutil.wait_procs(children, timeout=15)
        self.proc = None
        return alive


@pytest.fixture(scope="module")
def system(tmp_path_factory) -> Iterator[System]:
    system = System(
        data_dir=tmp_path_factory.mktemp("wijkwerk"),
        pg_port=free_port(),
        kafka_port=free_port(),
        port_base=_free_port_base(),
    )
    try:
        system.start()
    except RuntimeError:
        # A port chosen as free can be taken by another process before `up` binds it;
        # one retry on fresh ports (the log of the first attempt stays in up.out).
        system.pg_port, system.kafka_port, system.port_base = free_port(), free_port(), _free_port_base()
        system.start()
    try:
        yield system
    finally:
        if system.proc is not None:
            for p in system.stop():
                p.kill()


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)


# --- headless Chromium (Debian's package) for page tests; installed when missing ------

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--hide-scrollbars",
]


def chromium() -> tuple[str, str]:
    """Debian's chromium and its chromedriver (the same build), installed when missing."""
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        # A test tool's own browser download fails here; Debian's packages work (root).
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"], check=True,
                       capture_output=True, timeout=900,
                       env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    found, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert found is not None and driver is not None, "chromium could not be installed"
    return found, driver


@pytest.fixture(scope="session")
def browser():
    """Opens a headless Chromium driven through WebDriver (forms, cookies, screenshots); the
    caller quits it. Selenium is given the driver's path, so it downloads nothing."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium()

    def open_browser(profile: Path):
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1400,2000"):
            options.add_argument(flag)
        return webdriver.Chrome(options=options, service=Service(executable_path=driver))

    return open_browser
