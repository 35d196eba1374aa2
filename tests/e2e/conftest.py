"""Browser tests: Playwright for Python driving Debian's Chromium (no browser download) against the live
test server. Every page a journey visits must load without a console error, an uncaught script error or
a failed request; each step leaves a screenshot under $ARTIFACTS_DIR/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test's thread; the test also writes fixtures through
# the ORM in that thread, which Django would otherwise refuse as "async unsafe". Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR") or Path(__file__).resolve().parents[2] / "artifacts")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture
def browser():
    # Started per test and stopped before the database is torn down: while Playwright's sync API runs,
    # Django's thread-local connections resolve to new connection objects, which do not carry the
    # serialized test data that restores the seeded agencies between transactional tests.
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_TOOLS"):
            pytest.fail(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # The machine has no network beyond itself: no background calls home.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Journey:
    """One persona's browser session at one screen size, recording every problem a page shows."""

    def __init__(self, browser, live_server, viewport: str, persona: str):
        self.live_server = live_server
        self.viewport = viewport
        self.context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale="id-ID", accept_downloads=True
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.problems.append(f"console: {message.text}"),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"script: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        # A download ends its request early ("aborted"): that is not a failure.
        self.downloads: set[str] = set()
        self.page.on("download", lambda download: self.downloads.add(f"failed: {download.url}"))
        self.page.on(
            "response",
            lambda response: (
                response.status >= 400 and self.problems.append(f"{response.status}: {response.url}")
            ),
        )
        self.persona = persona
        self.shots = 0

    def url(self, path: str) -> str:
        return self.live_server.url + path

    def shot(self, step: str) -> None:
        folder = ARTIFACTS / "screenshots" / self.viewport
        folder.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        self.page.screenshot(path=folder / f"{self.persona}-{self.shots:02d}-{step}.png", full_page=True)

    def login(self, username: str, password: str) -> None:
        self.page.goto(self.url("/akun/masuk/"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_load_state()

    def close(self) -> None:
        self.context.close()
        problems = [problem for problem in self.problems if problem not in self.downloads]
        assert problems == [], f"{self.persona} at {self.viewport}: {problems}"


@pytest.fixture
def journey(browser, live_server, request):
    journeys = []

    def start(viewport: str, persona: str) -> Journey:
        journeys.append(Journey(browser, live_server, viewport, persona))
        return journeys[-1]

    yield start
    for opened in journeys:
        opened.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots():
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
