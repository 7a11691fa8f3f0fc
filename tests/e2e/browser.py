"""Browser journeys in headless Debian Chromium driven by Playwright (no `playwright install`)."""

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}

# Playwright runs an event loop in the test thread; Django's ORM calls from the same thread are
# synchronous test setup, not async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is missing: `make test` installs it (apt-get).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Screenshots:
    def __init__(self, name: str):
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def take(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screenshots(request) -> Screenshots:
    return Screenshots(request.node.name)


def _context(browser, viewport):
    # zh-CN like the city's phones; the portal serves Chinese whatever the browser says anyway.
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(browser):
    context = _context(browser, PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = _context(browser, {"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
