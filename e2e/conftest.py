"""Browser tests: Playwright for Python driving Debian's Chromium.

Playwright's own browser download cannot work on our machines, so the tests launch
/usr/bin/chromium (CHROMIUM to override). `make test` runs them when it is present.
Screenshots of each step go to e2e/screenshots/<test name>/ (printed by each test).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: apt-get install chromium, or run `make test`,"
            " which leaves the browser tests out when Chromium is missing."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the tests only
    # touch the database between browser steps, never concurrently with them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def new_page(browser):
    """A fresh browser context per user, so sessions do not leak between roles."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shots(request):
    """Save numbered screenshots of a test's steps; the folder is printed."""
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    print(f"\nscreenshots: {folder}")
    counter = iter(range(1, 100))

    def shoot(page, step: str) -> None:
        page.screenshot(
            path=str(folder / f"{next(counter):02d}-{step}.png"), full_page=True
        )

    return shoot
