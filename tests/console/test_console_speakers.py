"""Speaker turns in the console from a real ShowSpeakerLabels job: started from the console's form
(upload, "Identify speakers"), run by a real Celery worker (faster-whisper tiny.en + the embedded
diarizer), and the turns Chromium shows compared with the job's own ``speaker_labels``. Also the
medical jobs list, which AWS's console (and Harken's) keeps apart from transcription jobs.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from services.console.turns import clock
from tests.console.test_console_e2e import audio_time, wait_audio_at
from tests.support import stack
from workers.errors import MEDIA_UNREACHABLE

pytestmark = pytest.mark.slow

DIAR = Path(__file__).resolve().parents[1] / "data" / "diarization"
AUDIO = DIAR / "two-speakers.flac"
TRUTH = json.loads((DIAR / "two-speakers.json").read_text())


def expected_turns(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(speaker, item start times) per turn, from ``results.speaker_labels`` alone: its segments in
    order, consecutive segments of one speaker joined (a turn lasts until someone else speaks)."""
    turns: list[tuple[str, list[str]]] = []
    for seg in doc["results"]["speaker_labels"]["segments"]:
        starts = [it["start_time"] for it in seg["items"]]
        if turns and turns[-1][0] == seg["speaker_label"]:
            turns[-1][1].extend(starts)
        elif starts:
            turns.append((seg["speaker_label"], starts))
    return turns


def shown_turns(page: Any) -> list[dict[str, Any]]:
    return list(page.locator(".transcript section.turn").evaluate_all("""ts => ts.map(t => ({
        kind: t.dataset.kind, label: t.dataset.label,
        speaker: (t.querySelector('.speaker') || {}).textContent || '',
        time: t.querySelector('button.time').textContent,
        starts: [...t.querySelectorAll('.w[data-start]')].map(w => w.dataset.start)}))"""))


def test_speaker_turns_of_a_real_diarized_job(console: Any, worker: str, artifacts: Path) -> None:
    name = f"console-speakers-{uuid.uuid4().hex[:6]}"
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.locator("#nav").get_by_role("link", name="New job").click()
    page.get_by_role("heading", name="Start a transcription job").wait_for()
    page.get_by_label("Audio or video file").set_input_files(str(AUDIO))
    page.get_by_label("Job name").fill(name)
    page.get_by_label("Language code").select_option("en-US")
    page.get_by_label("Identify speakers (ShowSpeakerLabels)").check()
    page.get_by_label("Maximum speakers").fill("4")
    page.get_by_role("button", name="Start job").click()
    try:
        page.get_by_role("heading", name=f"Job {name}").wait_for()
    except Exception:  # say why the form stayed (an API error box), not just that it timed out
        page.screenshot(path=artifacts / "speakers-start-failed.png")
        raise AssertionError(f"job not started: {page.get_by_role('alert').all_inner_texts()} {c.errors}") from None
    page.locator(".facts .badge-completed").wait_for(timeout=300_000)
    page.locator(".transcript .w[data-start]").first.wait_for()

    doc = page.request.get(f"{c.base}/console/api/jobs/{name}/download/json").json()
    assert doc["jobName"] == name
    labels = doc["results"]["speaker_labels"]
    assert labels["speakers"] == TRUTH["speakers"]  # the embedded diarizer found both voices
    want = expected_turns(doc)
    assert len({s for s, _ in want}) == labels["speakers"]

    shown = shown_turns(page)
    assert [t["kind"] for t in shown] == ["speaker"] * len(shown)
    assert [(t["label"], t["starts"]) for t in shown] == want
    items = {it["start_time"]: it for it in doc["results"]["items"] if it["type"] == "pronunciation"}
    for turn in shown:
        assert turn["speaker"] == f"Speaker {turn['label'].removeprefix('spk_')}"
        first, last = items[turn["starts"][0]], max(float(items[s]["end_time"]) for s in turn["starts"])
        assert turn["time"] == f"{clock(float(first['start_time']))[3:]} \u2013 {clock(last)[3:]}"
    # the conversation alternates: as many turns as the script has (A B A B A B), or close to it
    assert abs(len(shown) - len(TRUTH["turns"])) <= 1, [t["label"] for t in shown]
    page.screenshot(path=artifacts / "transcript-speakers-real.png", full_page=False)

    # the second turn's time button plays from where that speaker starts
    second = page.locator(".transcript section.turn").nth(1)
    start = float(shown[1]["starts"][0])
    second.locator("button.time").click()
    t = wait_audio_at(page, start)
    assert start - 1.01 <= t < start + 3.0, (start, t)  # the button plays from the turn's whole second
    page.evaluate("() => document.querySelector('audio').pause()")
    assert audio_time(page) >= 0

    # plain-text export: one paragraph per turn, labelled with its speaker
    text = page.request.get(f"{c.base}/console/api/jobs/{name}/download/txt").text()
    heads = [line for line in text.splitlines() if line.startswith("[")]
    assert [h.rsplit(" ", 1)[1] for h in heads] == [s for s, _ in want]
    assert not c.errors


def test_medical_jobs_have_their_own_list(console: Any, worker: str, transcribe: Any,
                                         artifacts: Path) -> None:
    """A medical job is listed under "Medical jobs" (status, specialty, type, a plain failure
    reason) and not among transcription jobs, as in AWS's console; it can be deleted there."""
    tag = uuid.uuid4().hex[:6]
    good, bad = f"console-medical-{tag}", f"console-medical-bad-{tag}"
    common: dict[str, Any] = dict(LanguageCode="en-US", Specialty="PRIMARYCARE", OutputBucketName="customer-out")
    transcribe.start_medical_transcription_job(MedicalTranscriptionJobName=good, Type="DICTATION",
                                               Media={"MediaFileUri": "s3://customer-media/audio/en-gb.wav"}, **common)
    transcribe.start_medical_transcription_job(MedicalTranscriptionJobName=bad, Type="CONVERSATION",
                                               Media={"MediaFileUri": "s3://customer-media/nope.wav"}, **common)
    c = console()
    page = c.sign_in(stack.KEY_A)
    page.get_by_label("Name contains").fill(tag)
    page.get_by_role("button", name="Apply").click()
    page.locator("td.empty", has_text="No jobs match.").wait_for()  # not a transcription job

    page.locator("#nav").get_by_role("link", name="Medical jobs").click()
    page.get_by_role("heading", name="Medical transcription jobs").wait_for()
    page.get_by_label("Name contains").fill(tag)
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("table.jobs tbody tr[data-job]")
    failed = page.locator(f'tr[data-job="{bad}"][data-status="FAILED"]')
    failed.wait_for(timeout=120_000)  # live: the worker fails it while the page is open
    assert MEDIA_UNREACHABLE in failed.locator(".failure").inner_text()
    assert rows.count() == 2
    row = page.locator(f'tr[data-job="{good}"]')
    cells = row.locator("td").all_inner_texts()
    assert cells[1:4] == ["en-US", "PRIMARYCARE", "DICTATION"], cells
    page.screenshot(path=artifacts / "medical-jobs.png")

    page.once("dialog", lambda d: d.accept())
    failed.get_by_role("button", name=f"Delete medical job {bad}").click()
    page.locator(f'tr[data-job="{bad}"]').wait_for(state="detached")
    names = [j["MedicalTranscriptionJobName"] for j in
             transcribe.list_medical_transcription_jobs(JobNameContains=tag)["MedicalTranscriptionJobSummaries"]]
    assert names == [good]
    assert not c.errors
