"""Browser tests of the workbench: Playwright driving Debian's Chromium, headless.

They run when the `playwright` package and a Chromium binary are present (``apt-get install
chromium``; or set BREACHKIT_CHROMIUM to a binary) and skip cleanly otherwise. WebGL runs on
SwiftShader (software). The server is a real ``breachkit serve`` on a free loopback port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu-sandbox",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    given = os.environ.get("BREACHKIT_CHROMIUM")
    if given and Path(given).is_file():
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("fastapi")
    port = _free_port()
    runs = tmp_path_factory.mktemp("runs")
    log = (runs / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "breachkit", "serve", "--port", str(port), "--runs", str(runs)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "api/cases", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((runs / "server.log").read_text()) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = chromium_path()
    if exe is None:
        pytest.skip("no Chromium binary (apt-get install chromium, or set BREACHKIT_CHROMIUM)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
