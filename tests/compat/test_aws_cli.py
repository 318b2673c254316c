"""The AWS CLI (``awscli`` package), unmodified, against the running gateway."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import stack


def aws(gateway: stack.ServerThread, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": stack.KEY_A[0], "AWS_SECRET_ACCESS_KEY": stack.KEY_A[1],
        "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ENDPOINT_URL_TRANSCRIBE": gateway.url,
        "AWS_MAX_ATTEMPTS": "1",
    }
    return subprocess.run([sys.executable, "-m", "awscli", "transcribe", *args, "--output", "json"],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.usefixtures("clean_db")
def test_cli_start_get_list_delete(gateway: stack.ServerThread, tmp_path: Path) -> None:
    r = aws(gateway, tmp_path, "start-transcription-job", "--transcription-job-name", "cli-job",
            "--language-code", "en-GB", "--media", "MediaFileUri=s3://customer-media/audio/en-gb.mp3",
            "--subtitles", "Formats=srt,OutputStartIndex=1")
    assert r.returncode == 0, r.stderr
    job: dict[str, Any] = json.loads(r.stdout)["TranscriptionJob"]
    assert job["TranscriptionJobStatus"] == "IN_PROGRESS"
    assert job["Subtitles"] == {"Formats": ["srt"], "OutputStartIndex": 1}
    r = aws(gateway, tmp_path, "get-transcription-job", "--transcription-job-name", "cli-job")
    assert r.returncode == 0 and json.loads(r.stdout)["TranscriptionJob"]["LanguageCode"] == "en-GB"
    r = aws(gateway, tmp_path, "list-transcription-jobs", "--job-name-contains", "CLI")
    assert [s["TranscriptionJobName"] for s in json.loads(r.stdout)["TranscriptionJobSummaries"]] == ["cli-job"]


@pytest.mark.usefixtures("clean_db")
def test_cli_reports_aws_errors(gateway: stack.ServerThread, tmp_path: Path) -> None:
    r = aws(gateway, tmp_path, "get-transcription-job", "--transcription-job-name", "missing")
    assert r.returncode == 255  # AWS CLI v1 exits 255 on service errors
    assert ("An error occurred (BadRequestException) when calling the GetTranscriptionJob operation: The requested "
            "job couldn't be found. Check the job name and try your request again.") in r.stderr
    r = aws(gateway, tmp_path, "list-transcription-jobs", "--max-results", "500")
    assert r.returncode == 255 and "Member must have value less than or equal to 100" in r.stderr
