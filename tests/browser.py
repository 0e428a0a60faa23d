"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium through Playwright
(``playwright install`` cannot download a browser here)."""

import contextlib
import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path():
    path = os.environ.get("JCZX_CHROMIUM", "/usr/bin/chromium")
    if shutil.which(path):
        return path
    if os.environ.get("JCZX_REQUIRE_BROWSER"):
        pytest.fail(f"Chromium not found at {path}: browser tests are required here")
    pytest.skip(f"Chromium not found at {path}")


@contextlib.contextmanager
def chromium_beside_the_orm():
    """``chromium()`` for fixtures and tests that make ORM calls while the browser is
    open: Playwright's sync API runs an event loop in this thread, and the ORM calls made
    meanwhile are synchronous and safe (no coroutine shares them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium() as browser:
            yield browser


@contextlib.contextmanager
def chromium():
    """Yield a Playwright browser; skips (or fails under JCZX_REQUIRE_BROWSER) without
    Chromium. Create database rows before entering: Django refuses ORM calls while
    Playwright's event loop runs in the thread."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class CspWatcher:
    """Collects Content-Security-Policy violations a page reports, from the console and
    from ``securitypolicyviolation`` events."""

    def __init__(self, page):
        self.violations = []
        page.on("console", self._console)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP-VIOLATION"):
            self.violations.append(text)
