"""A recogniser-free stand-in for ``workers.pipeline.run.transcribe_media``.

Only for tests of durability mechanics (leases, retries, killed workers), where a real model would
add minutes and nothing to prove. It honours the contract: bad media raises ``MediaError``, and the
result is shaped like the real one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from workers.pipeline.contract import JobOptions, MediaError, PipelineResult

#: Media whose first bytes are this fail as AWS fails undecodable input.
BAD_MEDIA = b"NOT AUDIO"


def transcribe_media(path: Path, options: JobOptions) -> PipelineResult:
    data = Path(path).read_bytes()
    if data.startswith(BAD_MEDIA):
        raise MediaError("Unsupported media format")
    text = f"fake transcript {hashlib.sha256(data).hexdigest()[:8]}"
    transcript = {
        "jobName": options.job_name,
        "accountId": options.account_id,
        "status": "COMPLETED",
        "results": {"transcripts": [{"transcript": text}], "items": []},
    }
    i = options.subtitle_start_index
    subtitles = {
        "srt": f"{i}\n00:00:00,000 --> 00:00:01,000\n{text}\n",
        "vtt": f"WEBVTT\n\n{i}\n00:00:00.000 --> 00:00:01.000\n{text}\n",
    }
    chosen = {f: subtitles[f] for f in options.subtitle_formats}
    return PipelineResult(transcript=transcript, subtitles=chosen, media_format="wav",
                          sample_rate=16000, duration_seconds=1.0,
                          language_code=options.language_code or "en-US")
