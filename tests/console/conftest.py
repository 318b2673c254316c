"""A real headless Chromium (Debian's) driven by Playwright against the running gateway."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import stack
from tests.support.celery_worker import routed_worker

ROOT = Path(__file__).resolve().parents[2]
#: Screenshots land here (git-ignored); docs/console.md embeds copies of a few.
ARTIFACTS = Path(os.environ.get("HARKEN_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "console"


def chromium_path() -> str:
    found = os.environ.get("HARKEN_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.fail("Chromium is needed for the console tests: apt-get install chromium (scripts/test does it as root)")
    return found


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the console tests, closed when they are done: Playwright's sync API keeps an
    event loop running on the main thread while it is open, which later asyncio.run() calls refuse."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                    "--autoplay-policy=no-user-gesture-required",
                                    "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class Console:
    """One browser context (one user) on the console."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="en-GB",
                                           timezone_id="UTC")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.base = base

    def open(self, hash_: str = "") -> Any:
        self.page.goto(f"{self.base}/console/{hash_}")
        return self.page

    def sign_in(self, key: tuple[str, str], region: str = "us-east-1") -> Any:
        page = self.open()
        page.get_by_label("Access key ID").fill(key[0])
        page.get_by_label("Secret access key").fill(key[1])
        page.get_by_label("Region").fill(region)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Transcription jobs").wait_for()
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def console(browser: Any, gateway: stack.ServerThread) -> Iterator[Any]:
    made: list[Console] = []

    def make() -> Console:
        c = Console(browser, gateway.url)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture(scope="module")
def worker(harken_env: dict[str, str], media_bucket: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Celery worker on a queue of its own for this module; jobs the gateway starts go to it."""
    with routed_worker("console", tmp_path_factory.mktemp("console") / "w.log") as queue:
        yield queue
