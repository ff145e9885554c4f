"""A live server on loopback and Debian's headless Chromium driven by Playwright.

Every page a test visits can be checked with axe-core (`assert_accessible`); requests that
leave the server and CSP violations fail the test.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


def _missing_tools() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed"
    if not AXE.exists():
        return "node_modules/axe-core is not installed (npm install)"
    if shutil.which("node") is None:
        return "node is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app.config["PUBLIC_BASE_URL"] = self.url  # links in its mails lead back to it
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_server(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.seed_reference()
    server = LiveServer(app).start()
    yield server
    server.stop()


def phone_page(browser, server: LiveServer, **options):
    """A new page in its own browser context: a phone of 360x740, Mongolian, on `server`."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="mn-MN",
                                  base_url=server.url, **options)
    context.set_default_timeout(10_000)
    return watch(context.new_page(), server)


@pytest.fixture
def page(browser, live_server):
    page = phone_page(browser, live_server)
    yield page
    page.context.close()
    assert not page.problems, page.problems


def watch(page, live_server):
    """Collect in page.problems the requests leaving the server, CSP violations and script
    errors; the page fixture fails the test on any."""
    problems = []
    page.on("request", lambda request: request.url.startswith(
        (live_server.url, "data:", "blob:")) or problems.append(f"external request {request.url}"))
    page.on("console", lambda message: "Content Security Policy" in message.text
            and problems.append(f"CSP violation: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.problems = problems
    return page


def assert_accessible(page) -> None:
    """axe-core finds no violation on the page as it is now (any impact level)."""
    # evaluate() runs through the DevTools protocol, outside the page's CSP.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    assert violations == [], f"axe violations on {page.url}: {violations}"


LAYOUT_PROBLEMS = """() => {
    const problems = [], root = document.documentElement;
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim()
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const label = el => `${name(el)} "${el.textContent.trim().slice(0, 40)}"`;
    const sticksOut = el => el.getBoundingClientRect().right > root.clientWidth + 1;
    if (root.scrollWidth > root.clientWidth) {
        const wide = [...document.body.querySelectorAll('*')].filter(
            el => sticksOut(el) && ![...el.children].some(sticksOut));
        problems.push(`page ${root.scrollWidth} px wide on a ${root.clientWidth} px screen,`
            + ` because of ${wide.slice(0, 3).map(label).join(', ')}`);
    }
    for (const cell of document.querySelectorAll('td, th')) {
        for (const el of [cell, ...cell.querySelectorAll('*')]) {
            const style = getComputedStyle(el);
            if (el.closest('.visually-hidden') || style.display === 'none') continue;
            const cut = el.scrollWidth > el.clientWidth + 1 && (style.overflowX === 'hidden'
                || style.overflowX === 'clip' || style.textOverflow === 'ellipsis');
            if (cut) problems.push(`${label(el)} in a table is cut off`);
        }
    }
    return problems;
}"""


def layout_problems(page) -> list[str]:
    """What a phone's reader would notice at once: a page wider than the screen (it scrolls
    sideways) or a table cell (or something in one) that cuts its text off."""
    return page.evaluate(LAYOUT_PROBLEMS)


def sign_in(page, email: str, password: str = factories.PASSWORD) -> None:
    page.goto("/account/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def open_account_menu(page) -> None:
    """The signed-in person's own links sit in a disclosure in the header."""
    if page.locator("details.account-menu[open]").count() == 0:
        page.locator(".account-menu summary").click()


def open_site_menu(page) -> None:
    """The section links (events, issues, the staff's pages) sit in the header's "Menu"."""
    if page.locator(".main-nav details[open]").count() == 0:
        page.locator(".main-nav summary").click()


def sign_out(page) -> None:
    open_account_menu(page)
    page.locator("header form[action$='/account/logout'] button").click()
    page.wait_for_url(re.compile(r"/$"))
