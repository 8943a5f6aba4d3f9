"""End to end: `python app.py` in a subprocess, a real Chromium, a two-turn chat.

Needs /usr/bin/chromium (CI installs it; never `playwright install`).
Set QA_SCREENSHOT=docs/chat.png to also save the screenshot there.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
START_TIMEOUT_S = 120
ANSWER_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app.py exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"app.py not healthy after {START_TIMEOUT_S}s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def server(tmp_path):
    """The app on a free loopback port with a fresh index root; yields its URL."""
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "QA_INDEX_ROOT": str(tmp_path / "index"), "GRADIO_ANALYTICS_ENABLED": "False",
           "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install chromium fonts-nanum`")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ko-KR")
            yield context.new_page()
        finally:
            browser.close()


def ask(page, question: str, expected: str, turn: int) -> None:
    """Type `question`, press Enter, wait until the `turn`-th answer shows `expected` in bold."""
    box = page.locator("#qa-question textarea, #qa-question input").first
    box.fill(question)
    box.press("Enter")
    answer = page.locator("#qa-chat .qa-answer strong").nth(turn - 1)
    answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert answer.inner_text() == expected


def test_two_turn_chat_in_a_browser(server, page, tmp_path):
    page.goto(server, wait_until="domcontentloaded")
    page.locator("#qa-question").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "문서 질의응답" in page.title() + page.locator("h1").first.inner_text()

    ask(page, "NHN 투자액은?", "2100억원", turn=1)
    ask(page, "기간은?", "10년간", turn=2)

    chat = page.locator("#qa-chat")
    assert chat.locator("mark").first.inner_text() == "2100억원"      # the evidence is highlighted
    assert "검색한 질문:" in chat.inner_text()                          # the follow-up shows its rewrite
    assert chat.locator("details.qa-sources").count() >= 2             # sources survived the sanitizer

    page.wait_for_timeout(300)  # let the scroll settle before the picture
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("QA_SCREENSHOT"):
        target = Path(os.environ["QA_SCREENSHOT"])
        target = target if target.is_absolute() else ROOT / target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)

    # "새 대화" clears the chat and the conversation: "기간은?" alone has no topic to borrow.
    page.locator("#qa-reset").click()
    page.locator("#qa-chat .qa-answer").first.wait_for(state="detached", timeout=ANSWER_TIMEOUT_MS)
