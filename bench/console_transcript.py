"""How long the console takes to show a long transcript: the gateway's transcript route (S3 read,
turn building, JSON) and Chromium's render of every word, for 10 min, 1 h and 4 h of speech.

Starts its own SeaweedFS and a scratch Postgres database (as the tests do), the gateway in a thread,
seeds one COMPLETED job per size with a synthetic speaker-labelled transcript (150 words a minute,
a speaker change every ~12 words), then signs in with Debian's Chromium through Playwright.

Usage: python bench/console_transcript.py [--minutes 10 60 240] [--repeat 3]
Needs: Postgres (HARKEN_TEST_PG_ADMIN_URL or 127.0.0.1:5432), /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.embedded.ports import free_port
from services.embedded.seaweed import SeaweedS3
from tests.support import stack
from tests.support.console import completed_job, console_client

S3_KEY = ("bench", "bench-secret-0123456789")


def synthetic_items(minutes: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    t = 0.0
    for n in range(minutes * 150):
        speaker = f"spk_{(n // 12) % 3}"
        items.append({"id": len(items), "type": "pronunciation", "start_time": f"{t:.3f}",
                      "end_time": f"{t + 0.3:.3f}", "speaker_label": speaker,
                      "alternatives": [{"confidence": "0.42" if n % 17 == 0 else "0.97", "content": f"word{n}"}]})
        t += 0.4
        if n % 12 == 11:
            items.append({"id": len(items), "type": "punctuation",
                          "alternatives": [{"confidence": "0.0", "content": "."}]})
    return items


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=int, nargs="+", default=[10, 60, 240])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-s3-"))
    s3_server = SeaweedS3(folder, free_port(), *S3_KEY).start()
    url, db_name = stack.create_database()
    creds = [{"access_key_id": stack.KEY_A[0], "secret_access_key": stack.KEY_A[1], "account_id": stack.ACCOUNT_A}]
    os.environ.update({
        "HARKEN_DB__URL": url, "HARKEN_S3__ENDPOINT_URL": s3_server.endpoint_url,
        "HARKEN_S3__ACCESS_KEY_ID": S3_KEY[0], "HARKEN_S3__SECRET_ACCESS_KEY": S3_KEY[1],
        "HARKEN_AUTH__CREDENTIALS": json.dumps(creds), "HARKEN_API__TOKEN_SECRET": "bench",
        "HARKEN_BROKER__URL": stack.REDIS_URL,
    })
    from playwright.sync_api import sync_playwright

    from services.core.settings import get_settings
    from services.db.migrate import upgrade
    from services.gateway.app import create_app
    from services.storage.s3 import ensure_bucket, s3_client

    upgrade(url)
    ensure_bucket("harken-service")
    gateway = stack.ServerThread(create_app(get_settings())).start()
    try:
        s3 = s3_client()
        jobs = {m: completed_job(s3, stack.ACCOUNT_A, f"console-uploads/{stack.ACCOUNT_A}/b/{m}.wav",
                                 synthetic_items(m), media=b"RIFF") for m in args.minutes}
        client = console_client(gateway.url, stack.KEY_A)
        print(f"{'speech':>8} {'words':>7} {'JSON KB':>8} {'route ms':>9} {'render ms':>10}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            ctx = browser.new_context(viewport={"width": 1366, "height": 800})
            page = ctx.new_page()
            page.goto(f"{gateway.url}/console/")
            page.get_by_label("Access key ID").fill(stack.KEY_A[0])
            page.get_by_label("Secret access key").fill(stack.KEY_A[1])
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Transcription jobs").wait_for()
            for minutes, name in jobs.items():
                route, render = [], []
                size = 0
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    r = client.get(f"/console/api/jobs/{name}/transcript")
                    route.append((time.perf_counter() - t0) * 1000)
                    size = len(r.content)
                    page.goto(f"{gateway.url}/console/#/jobs")
                    page.get_by_role("heading", name="Transcription jobs").wait_for()
                    t0 = time.perf_counter()
                    page.goto(f"{gateway.url}/console/#/jobs/{name}")
                    page.locator(".transcript .w[data-start]").last.wait_for(timeout=300_000)
                    render.append((time.perf_counter() - t0) * 1000)
                print(f"{minutes:>6} m {minutes * 150:>7} {size / 1024:>8.0f} {statistics.median(route):>9.0f} "
                      f"{statistics.median(render):>10.0f}")
            browser.close()
    finally:
        gateway.stop()
        s3_server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        from services.db.session import dispose_engines

        dispose_engines()
        stack.drop_database(db_name)


if __name__ == "__main__":
    main()
