"""The console end to end in Chromium with the real stack: sign in, upload a file, watch the job
complete without a reload (real Celery worker, faster-whisper tiny.en), open the transcript, click
a word and check where the audio element is, keyboard playback, segment turns, downloads, another
tenant's view, a plain failure reason, delete.

Diarization has not landed in main, so turns here are the transcript's audio segments; speaker and
channel turns are covered on synthetic documents in tests/unit/test_console_turns.py and
tests/integration/test_console_api.py.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.core.settings import reset_settings_cache
from tests.support import stack
from tests.support.celery_worker import WorkerProcess
from tests.support.jobs import drop_queue
from workers.errors import MEDIA_UNREACHABLE

pytestmark = pytest.mark.slow

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio" / "en-gb.wav"


@pytest.fixture(scope="module")
def worker(harken_env: dict[str, str], media_bucket: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    queue = f"console-{uuid.uuid4().hex[:8]}"
    old = os.environ.get("HARKEN_WORKER__QUEUE")
    os.environ["HARKEN_WORKER__QUEUE"] = queue  # the gateway's sends read it at send time
    reset_settings_cache()
    proc = WorkerProcess("console", {"HARKEN_WORKER__QUEUE": queue},
                         tmp_path_factory.mktemp("console") / "w.log", queue).start()
    proc.wait_ready()
    yield queue
    proc.stop()
    drop_queue(queue)
    if old is None:
        os.environ.pop("HARKEN_WORKER__QUEUE", None)
    else:
        os.environ["HARKEN_WORKER__QUEUE"] = old
    reset_settings_cache()


def audio_time(page: Any) -> float:
    return float(page.evaluate("() => document.querySelector('audio').currentTime"))


def wait_audio_at(page: Any, start: float, timeout: float = 10) -> float:
    deadline = time.monotonic() + timeout
    t = audio_time(page)
    while t < start - 0.01 and time.monotonic() < deadline:
        time.sleep(0.05)
        t = audio_time(page)
    return t


def test_upload_watch_transcript_and_play_from_a_word(console: Any, worker: str, artifacts: Path) -> None:
    name = f"console-e2e-{uuid.uuid4().hex[:6]}"
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.locator("#nav").get_by_role("link", name="New job").click()
    page.get_by_role("heading", name="Start a transcription job").wait_for()
    page.get_by_label("Audio or video file").set_input_files(str(AUDIO))
    assert page.get_by_label("Job name").input_value().startswith("en-gb-")  # suggested from the file
    page.get_by_label("Job name").fill(name)
    page.get_by_label("Language code").select_option("en-GB")
    page.get_by_label("SRT").check()
    page.screenshot(path=artifacts / "new-job.png", full_page=True)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_role("button", name="Start job").click()

    page.get_by_role("heading", name=f"Job {name}").wait_for()
    page.locator(".facts .badge-completed").wait_for(timeout=240_000)  # live status, no reload
    assert page.evaluate("() => window.__sameDocument === true")
    assert "s3://harken-service/console-uploads/111122223333/" in page.locator(".facts").inner_text()

    words = page.locator(".transcript .w[data-start]")
    words.first.wait_for()
    text = page.locator(".transcript").inner_text()
    assert "London" in text and "Fry" in text, text
    # turns: audio segments with times (no speaker labels without diarization)
    turns = page.locator(".transcript section.turn")
    assert turns.count() >= 1
    assert set(turns.evaluate_all("ts => ts.map(t => t.dataset.kind)")) == {"segment"}
    assert turns.first.locator("button.time").inner_text().startswith("00:00 \u2013 ")

    london = page.locator(".transcript .w[data-start]", has_text="London").first
    start = float(london.get_attribute("data-start"))
    assert start > 1.0
    london.click()
    t = wait_audio_at(page, start)
    assert start - 0.01 <= t < start + 3.0, (start, t)
    page.evaluate("() => document.querySelector('audio').pause()")
    paused = audio_time(page)
    time.sleep(0.3)
    current = page.locator(".transcript .w.current")
    assert current.count() == 1
    assert float(current.get_attribute("data-start")) <= paused + 0.01
    assert current.get_attribute("aria-current") == "true"
    page.screenshot(path=artifacts / "transcript.png", full_page=False)

    # keyboard: first word focusable, arrows move, Enter plays from the focused word
    first = words.first
    assert first.get_attribute("tabindex") == "0"
    first.focus()
    page.keyboard.press("ArrowRight")
    second = words.nth(1)
    assert page.evaluate("() => document.activeElement.dataset.start") == second.get_attribute("data-start")
    page.keyboard.press("Enter")
    t = wait_audio_at(page, float(second.get_attribute("data-start")))
    assert float(second.get_attribute("data-start")) - 0.01 <= t < float(second.get_attribute("data-start")) + 3
    page.evaluate("() => document.querySelector('audio').pause()")

    # downloads (same cookie as the page)
    links = {a.inner_text(): a.get_attribute("href") for a in page.locator(".downloads a").all()}
    assert set(links) == {"JSON", "SRT", "WebVTT", "Text"}
    got = {k: page.request.get(c.base + v) for k, v in links.items()}
    assert all(r.status == 200 for r in got.values())
    assert got["JSON"].json()["jobName"] == name
    assert "London" in got["Text"].text() and got["Text"].text().startswith("[00:00:00 - ")
    assert got["SRT"].text().startswith("0\n00:00:") and "-->" in got["SRT"].text()
    assert got["WebVTT"].text().startswith("WEBVTT")
    assert 'attachment; filename*=UTF-8' in got["SRT"].headers["content-disposition"]

    # another tenant sees nothing of it
    b = console()
    page_b = b.sign_in(stack.KEY_B)
    page_b.get_by_label("Name contains").fill(name)
    page_b.get_by_role("button", name="Apply").click()
    page_b.locator("td.empty", has_text="No jobs match.").wait_for()
    page_b.goto(f"{b.base}/console/#/jobs/{name}")
    page_b.get_by_role("alert").wait_for()
    assert "BadRequestException" in page_b.get_by_role("alert").inner_text()
    assert page_b.request.get(f"{b.base}/console/api/jobs/{name}/audio").status == 400
    assert page_b.request.get(f"{b.base}/console/api/jobs/{name}/download/txt").status == 400

    # delete from the job page
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete job").click()
    page.get_by_role("heading", name="Transcription jobs").wait_for()
    page.get_by_label("Name contains").fill(name)
    page.get_by_role("button", name="Apply").click()
    page.locator("td.empty", has_text="No jobs match.").wait_for()
    assert not c.errors and not b.errors


def test_failure_reason_is_shown_plainly(console: Any, worker: str, artifacts: Path) -> None:
    name = f"console-fail-{uuid.uuid4().hex[:6]}"
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.goto(f"{c.base}/console/#/new")
    page.get_by_role("heading", name="Start a transcription job").wait_for()
    page.get_by_label("An S3 object").check()
    page.get_by_label("Media file URI").fill("s3://customer-media/audio/does-not-exist.wav")
    page.get_by_label("Job name").fill(name)
    page.get_by_role("button", name="Start job").click()
    box = page.locator(".failure-box")
    box.wait_for(timeout=120_000)
    assert MEDIA_UNREACHABLE in box.inner_text()
    assert page.locator(".facts .badge-failed").count() == 1
    page.screenshot(path=artifacts / "job-failed.png")
    # a request the API refuses keeps the user on the form with the API's message
    page.goto(f"{c.base}/console/#/new")
    page.get_by_label("An S3 object").check()
    page.get_by_label("Media file URI").fill("s3://customer-media/audio/en-gb.wav")
    page.get_by_label("Job name").fill(name)  # taken
    page.get_by_role("button", name="Start job").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "ConflictException" in alert.inner_text()
    assert not c.errors
