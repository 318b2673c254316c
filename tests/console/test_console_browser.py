"""The console in a real Chromium: sign-in, the jobs list's filters and paging, resources with the
API's validation messages, the ops glance, keyboard and labels. No model is loaded here; the
upload-to-transcript journey with a real worker is in test_console_e2e.py."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import update

from services.db.models.jobs import TranscriptionJob
from services.db.session import unit_of_work
from tests.support import stack
from tests.support.console import completed_job
from tests.support.jobs import insert_job


def test_sign_in_rejects_a_wrong_secret_then_signs_in(console: Any, artifacts: Path) -> None:
    c = console()
    page = c.open()
    page.get_by_label("Access key ID").fill(stack.KEY_A[0])
    page.get_by_label("Secret access key").fill("wrong-secret")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "InvalidSignatureException" in alert.inner_text()
    page.screenshot(path=artifacts / "sign-in-error.png")
    c.sign_in(stack.KEY_A)
    assert f"Account {stack.ACCOUNT_A}" in c.page.locator("#who").inner_text()
    assert c.page.get_by_label("Secret access key").count() == 0  # the secret form is gone
    cookies = c.context.cookies()
    assert [(k["name"], k["httpOnly"], k["sameSite"]) for k in cookies] == [("harken_console", True, "Strict")]
    c.page.reload()  # the session survives a reload without the secret
    c.page.get_by_role("heading", name="Transcription jobs").wait_for()
    c.page.get_by_role("button", name="Sign out").click()
    c.page.get_by_role("button", name="Sign in").wait_for()
    assert not c.errors


def test_javascript_sha256_and_hmac_match_python(console: Any) -> None:
    """The fallback for pages that are not a secure context (no crypto.subtle) signs correctly."""
    c = console()
    page = c.open()
    got = page.evaluate("""async () => {
        const m = await import('./static/js/sigv4.js');
        const enc = new TextEncoder();
        const long = 'x'.repeat(1000);
        return [m.toHex(m.sha256Js(enc.encode(''))), m.toHex(m.sha256Js(enc.encode(long))),
                m.toHex(m.hmacJs(enc.encode('k'.repeat(100)), enc.encode('message')))];
    }""")
    assert got == [hashlib.sha256(b"").hexdigest(), hashlib.sha256(b"x" * 1000).hexdigest(),
                   hmac.new(b"k" * 100, b"message", hashlib.sha256).hexdigest()]


def test_jobs_list_filters_pages_and_shows_failure_reasons(console: Any, artifacts: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    for i in range(6):
        job_id = insert_job(f"page-{tag}-{i}", "s3://customer-media/audio/missing.wav", status="QUEUED")
        with unit_of_work() as s:
            s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id).values(
                status="FAILED", failure_reason=f"The media file could not be read (case {i})."))
    insert_job(f"page-{tag}-other", "s3://customer-media/audio/en-gb.wav", account_id=stack.ACCOUNT_B,
               status="QUEUED")
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.get_by_label("Status").select_option("FAILED")
    page.get_by_label("Name contains").fill(f"page-{tag}")
    page.get_by_label("Per page").select_option("5")
    rows = page.locator("table.jobs tbody tr[data-job]")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(5)
    assert all(s == "FAILED" for s in rows.evaluate_all("rs => rs.map(r => r.dataset.status)"))
    assert "could not be read (case 5)" in rows.first.inner_text()  # newest first, reason shown
    page.screenshot(path=artifacts / "jobs-failed-filter.png")
    page.get_by_role("button", name="Next page →").click()
    expect(rows).to_have_count(1)
    assert rows.first.get_attribute("data-job") == f"page-{tag}-0"
    assert page.get_by_role("button", name="Next page →").is_disabled()
    page.get_by_role("button", name="← Previous page").click()
    expect(rows).to_have_count(5)
    # account B's job never shows for A, whatever the filter
    page.get_by_label("Status").select_option("")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(5)
    page.get_by_label("Per page").select_option("20")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(6)
    assert f"page-{tag}-other" not in page.locator("table.jobs").inner_text()
    # the failure reason is shown plainly on the job's page
    page.get_by_role("link", name=f"page-{tag}-3").click()
    box = page.locator(".failure-box")
    box.wait_for()
    assert "could not be read (case 3)" in box.inner_text()
    assert not c.errors


def test_resources_show_api_validation_and_lifecycle(console: Any, artifacts: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.get_by_role("link", name="Vocabulary filters").click()
    page.get_by_role("heading", name="Vocabulary filters").wait_for()
    form = page.locator("form.card")
    form.get_by_label("Name").fill(f"bad name {tag}")
    form.get_by_label("Words (one per line)").fill("darn")
    form.get_by_role("button", name="Create").click()
    alert = form.get_by_role("alert")
    alert.wait_for()
    assert "ValidationException" in alert.inner_text() or "BadRequestException" in alert.inner_text()
    page.screenshot(path=artifacts / "filters-validation.png")
    form.get_by_label("Name").fill(f"filter-{tag}")
    form.get_by_role("button", name="Create").click()
    page.locator(f"tr[data-name='filter-{tag}']").wait_for()
    page.get_by_role("button", name=f"filter-{tag}", exact=True).click()
    page.get_by_role("region", name=f"vocabulary filter filter-{tag}").wait_for()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name=f"Delete vocabulary filter filter-{tag}").click()
    page.locator(f"tr[data-name='filter-{tag}']").wait_for(state="detached")

    page.get_by_role("link", name="Vocabularies").click()
    page.get_by_role("heading", name="Custom vocabularies").wait_for()
    form = page.locator("form.card")
    form.get_by_label("Name").fill(f"voc-{tag}")
    form.get_by_role("button", name="Create").click()  # neither phrases nor a file: the API refuses
    alert = form.get_by_role("alert")
    alert.wait_for()
    assert "BadRequestException" in alert.inner_text()
    form.get_by_label("Phrases (one per line)").fill("Harken\nWhisperX")
    form.get_by_role("button", name="Create").click()
    row = page.locator(f"tr[data-name='voc-{tag}']")
    row.wait_for()
    assert any(s in row.inner_text() for s in ("PENDING", "READY", "FAILED"))

    page.get_by_role("link", name="Language models").click()
    page.get_by_role("heading", name="Custom language models").wait_for()
    form = page.locator("form.card")
    form.get_by_label("Name").fill(f"clm-{tag}")
    form.get_by_label("Training data (S3 prefix)").fill("not-a-uri")
    form.get_by_label("Data access role ARN").fill("arn:aws:iam::111122223333:role/Access")
    form.get_by_role("button", name="Create").click()
    alert = form.get_by_role("alert")
    alert.wait_for()
    assert "Exception" in alert.inner_text()
    page.screenshot(path=artifacts / "language-models.png")
    assert not c.errors


def test_ops_glance_and_accessibility_basics(console: Any, artifacts: Path) -> None:
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.get_by_role("link", name="Ops").click()
    page.get_by_role("heading", name="Ops glance").wait_for()
    requests = page.get_by_role("group", name="API requests")
    requests.wait_for()
    assert int(requests.locator(".stat-value").inner_text()) >= 1
    assert page.locator("td", has_text="harken_api_requests_total").count() >= 1 or \
        page.locator("th", has_text="harken_api_requests_total").count() >= 1
    page.screenshot(path=artifacts / "ops.png")
    # every form control on every page has a label (or an aria-label)
    for link in ("New job", "Vocabularies", "Vocabulary filters", "Language models", "Jobs"):
        page.get_by_role("link", name=link, exact=True).click()
        page.wait_for_timeout(200)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && !e.labels?.length && !e.getAttribute('aria-label'))
            .map(e => e.name || e.outerHTML)""")
        assert unlabelled == [], (link, unlabelled)
    # keyboard: the skip link is the first stop and moves focus to the content
    page.reload()
    page.get_by_role("heading", name="Transcription jobs").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert not c.errors


def _w(i: int, text: str, start: float, end: float, speaker: str, conf: str = "0.95", **extra: Any) -> dict[str, Any]:
    return {"id": i, "type": "pronunciation", "start_time": f"{start:.3f}", "end_time": f"{end:.3f}",
            "speaker_label": speaker, "alternatives": [{"confidence": conf, "content": text, **extra}]}


def test_speaker_turns_marks_and_alternatives(console: Any, s3: Any, artifacts: Path) -> None:
    """A speaker-labelled, redacted, filtered document with alternatives, as AWS writes one (the
    pipeline in main does not diarize yet), over real audio so playback can be checked."""
    items = [
        _w(0, "Hello", 0.4, 0.8, "spk_0"), {"id": 1, "type": "punctuation", "alternatives": [
            {"confidence": "0.0", "content": ","}]},
        _w(2, "my", 0.9, 1.0, "spk_0"), _w(3, "name", 1.0, 1.2, "spk_0"), _w(4, "is", 1.2, 1.3, "spk_0"),
        _w(5, "[PII]", 1.3, 2.0, "spk_0", "0.0", redactions=[{"type": "PII", "category": "NAME", "confidence": "0.9"}]),
        _w(6, "I", 2.4, 2.5, "spk_1"), _w(7, "was", 2.5, 2.7, "spk_1"), _w(8, "barn", 2.7, 2.9, "spk_1", "0.21"),
        _w(9, "in", 2.9, 3.0, "spk_1"), _w(10, "***", 3.0, 3.6, "spk_1"),
        {**_w(11, "darn", 3.7, 4.0, "spk_0"), "vocabulary_filter_match": True},
    ]
    segments = [{"start_time": "2.400", "end_time": "3.600", "alternatives": [
        {"transcript": "I was barn in ***", "items": []}, {"transcript": "I was born in ***", "items": []}]}]
    media_key = f"console-uploads/{stack.ACCOUNT_A}/synthetic/en-gb.wav"
    audio = (Path(__file__).resolve().parents[1] / "data" / "audio" / "en-gb.wav").read_bytes()
    name = completed_job(s3, stack.ACCOUNT_A, media_key, items, media=audio, results_extra={"segments": segments})
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.goto(f"{c.base}/console/#/jobs/{name}")
    turns = page.locator(".transcript section.turn")
    # The page fetches the job, its transcript and the audio. Late in a full test session this took
    # 5-9 s while the gateway built an S3 client per new thread-pool thread (0.4-1 s of CPU, seconds
    # on a loaded machine); one shared client now (services/storage/s3.py). The wait stays generous.
    expect(turns).to_have_count(3, timeout=30_000)
    assert turns.evaluate_all("ts => ts.map(t => [t.dataset.kind, t.dataset.label])") == [
        ["speaker", "spk_0"], ["speaker", "spk_1"], ["speaker", "spk_0"]]
    assert [t.locator(".speaker").inner_text() for t in turns.all()] == ["Speaker 0", "Speaker 1", "Speaker 0"]
    assert turns.nth(0).locator(".words").inner_text() == "Hello, my name is [PII]"
    assert page.locator(".transcript .w.redacted").inner_text() == "[PII]"
    assert page.locator(".transcript .w.low").all_inner_texts() == ["barn"]
    assert page.locator(".transcript .w.filtered").all_inner_texts() == ["***", "darn"]
    page.get_by_text("Alternatives (1 segment)").click()
    assert "I was born in ***" in page.locator(".alternatives").inner_text()
    word = page.locator(".transcript .w", has_text="was")
    word.click()
    deadline = time.monotonic() + 10
    t = 0.0
    while time.monotonic() < deadline:
        t = page.evaluate("() => document.querySelector('audio').currentTime")
        if t >= 2.49:
            break
        time.sleep(0.05)
    assert 2.49 <= t < 5.5, t
    page.evaluate("() => document.querySelector('audio').pause()")
    page.screenshot(path=artifacts / "transcript-speakers.png")
    assert not c.errors
