"""Streaming latency, accuracy and capacity, with the real amazon-transcribe SDK over TLS.

    PYTHONPATH=$PWD python bench/streaming_latency.py [--model tiny.en] [--max-streams 4]

Measures, per utterance, streaming audio in real time:
  * first partial: from the moment the audio of the utterance's first word has been sent (its end
    time in the final result) to the first partial result containing a word;
  * final: from the moment the utterance's last word has been sent to its final result;
  * WER of the streaming finals vs the batch recognizer (same model, whole file) and vs references;
  * capacity: N concurrent real-time streams; a stream "keeps up" when every final arrives within
    3 s of its utterance's end (finals are the results that cannot be dropped under load).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import awscrt.io  # noqa: E402
import httpx  # noqa: E402
from amazon_transcribe.auth import StaticCredentialResolver  # noqa: E402
from amazon_transcribe.client import TranscribeStreamingClient  # noqa: E402
from amazon_transcribe.endpoints import StaticEndpointResolver  # noqa: E402

from services.embedded.ports import free_port, wait_for_port  # noqa: E402
from tests.support.streaming import make_certificate, pcm16, wer  # noqa: E402

CLIPS = {
    "two-utterances (espeak)": (ROOT / "tests/data/streaming/two-utterances.flac",
                                "Hello world, this is a streaming test. The quick brown fox jumps over the lazy dog."),
    "two-speakers (espeak)": (ROOT / "tests/data/streaming/two-speakers.flac",
                              "Good morning, thank you for calling the support line. Hi, I need some help with "
                              "my order please."),
    "en-gb (recorded)": (ROOT / "tests/data/audio/en-gb.wav",
                         "Hello, my name is Stephen Fry, I was born in London, and I've been in the "
                         "entertainment business since, well I suppose about 1981."),
    "multi-speaker (recorded)": (ROOT / "tests/data/audio/multi-speaker.wav",
                                 "Hey, I am using local stack. Yeah, it's a great tool to emulate the cloud "
                                 "services."),
}


async def run_stream(server: Any, audio: bytes, speed: float = 1.0) -> dict[str, Any]:
    client = TranscribeStreamingClient(region="us-east-1", endpoint_resolver=StaticEndpointResolver(server.https_url),
                                       credential_resolver=StaticCredentialResolver("AKIDBENCH", "secret"))
    opts = awscrt.io.TlsContextOptions()
    opts.override_default_trust_store_from_path(None, str(server.cert))
    client._session_manager._tls_ctx = awscrt.io.ClientTlsContext(opts)
    stream = await client.start_stream_transcription(language_code="en-US", media_sample_rate_hz=16000,
                                                     media_encoding="pcm")
    chunk = 3200  # 100 ms
    t0 = time.monotonic()

    async def write() -> None:
        for i in range(0, len(audio), chunk):
            await stream.input_stream.send_audio_event(audio_chunk=audio[i:i + chunk])
            await asyncio.sleep(max(0.0, t0 + (i + chunk) / 32000 / speed - time.monotonic()))
        await stream.input_stream.end_stream()

    events: list[tuple[float, Any]] = []

    async def read() -> None:
        async for event in stream.output_stream:
            for r in event.transcript.results:
                events.append((time.monotonic() - t0, r))

    await asyncio.gather(write(), read())
    first_partial, final_latency, texts = [], [], []
    for when, r in events:
        if r.is_partial:
            continue
        words = [i for i in r.alternatives[0].items if i.item_type == "pronunciation"]
        texts.append(r.alternatives[0].transcript)
        if not words:
            continue
        final_latency.append(when - words[-1].end_time / speed)
        partials = [(w, p) for w, p in events if p.is_partial and p.result_id == r.result_id
                    and any(i.item_type == "pronunciation" for i in p.alternatives[0].items)]
        if partials:
            first_partial.append(partials[0][0] - words[0].end_time / speed)
    return {"first_partial": first_partial, "final": final_latency, "text": " ".join(texts),
            "audio_seconds": len(audio) / 32000}


def batch_text(path: Path, model: str) -> tuple[str, float]:
    """The batch pipeline's recognizer on the whole file (beam 5, its own VAD): the accuracy yardstick."""
    from workers.engines.whisper import WhisperRecognizer
    from workers.pipeline.media import load

    rec = WhisperRecognizer(model=model, cache_dir=Path(tempfile.gettempdir()) / "harken-bench-models",
                            device="cpu", compute_type="int8")
    _, decoded = load(path)
    t = time.perf_counter()
    result = rec.transcribe(decoded.mono, language="en")
    return " ".join(s.text.strip() for s in result.segments), time.perf_counter() - t


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[round(q * (len(values) - 1))]


class ServerProcess:
    """``harken streaming`` in its own process (as deployed): the client's work does not share its GIL."""

    def __init__(self, model: str) -> None:
        folder = Path(tempfile.mkdtemp(prefix="harken-bench-"))
        self.cert, key = make_certificate(folder / "tls")
        self.tls_port, self.h2c_port = free_port(), free_port()
        env = {**os.environ, "HARKEN_DEV_MODE": "true", "HARKEN_AUTH__ALLOW_ANY_KEY": "true",
               "HARKEN_WHISPER__MODEL": model, "HARKEN_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "streaming", "--host", "127.0.0.1", "--port", str(self.tls_port),
             "--certfile", str(self.cert), "--keyfile", str(key), "--h2c-port", str(self.h2c_port),
             "--log-level", "warning"], env=env, cwd=ROOT)
        if not wait_for_port("127.0.0.1", self.h2c_port, 120):
            self.proc.kill()
            raise RuntimeError("streaming server did not start")

    @property
    def https_url(self) -> str:
        return f"https://localhost:{self.tls_port}"

    def decode_seconds(self) -> dict[str, tuple[float, float]]:
        """(count, sum) of model calls per kind, from the server's /metrics."""
        text = httpx.get(f"http://127.0.0.1:{self.h2c_port}/metrics").text
        out: dict[str, list[float]] = {}
        for line in text.splitlines():
            for kind in ("partial", "final"):
                if line.startswith(f'harken_stream_decode_seconds_count{{kind="{kind}"}}'):
                    out.setdefault(kind, [0.0, 0.0])[0] = float(line.split()[-1])
                if line.startswith(f'harken_stream_decode_seconds_sum{{kind="{kind}"}}'):
                    out.setdefault(kind, [0.0, 0.0])[1] = float(line.split()[-1])
        return {k: (v[0], v[1]) for k, v in out.items()}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def mean_decode(before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]) -> dict[str, float]:
    out = {}
    for kind, (count, total) in after.items():
        c0, t0 = before.get(kind, (0.0, 0.0))
        if count > c0:
            out[kind] = round((total - t0) / (count - c0), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--max-streams", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()

    server = ServerProcess(args.model)
    report: dict[str, Any] = {"model": args.model}
    try:
        first, final, per_clip = [], [], {}
        before = server.decode_seconds()
        for name, (path, reference) in CLIPS.items():
            audio = pcm16(path)
            batch, _ = batch_text(path, args.model)
            runs = [asyncio.run(run_stream(server, audio)) for _ in range(args.repeats)]
            for r in runs:
                first += r["first_partial"]
                final += r["final"]
            text = runs[-1]["text"]
            per_clip[name] = {"stream_text": text, "batch_text": batch,
                              "wer_stream_vs_reference": round(wer(reference, text), 3),
                              "wer_batch_vs_reference": round(wer(reference, batch), 3),
                              "wer_stream_vs_batch": round(wer(batch, text), 3)}
            print(name, json.dumps(per_clip[name]), flush=True)
        report["clips"] = per_clip
        report["decode_call_mean_s"] = mean_decode(before, server.decode_seconds())
        report["load_average"] = [round(x, 2) for x in os.getloadavg()]
        report["first_partial_s"] = {"median": round(statistics.median(first), 3), "p90": round(pct(first, 0.9), 3),
                                     "n": len(first)}
        report["final_s"] = {"median": round(statistics.median(final), 3), "p90": round(pct(final, 0.9), 3),
                             "n": len(final)}
        print("latency", json.dumps({k: report[k] for k in ("first_partial_s", "final_s", "decode_call_mean_s",
                                                             "load_average")}), flush=True)

        audio = pcm16(CLIPS["en-gb (recorded)"][0]) + pcm16(CLIPS["two-utterances (espeak)"][0])
        capacity = {}
        for n in range(1, args.max_streams + 1):
            async def many(n: int = n) -> list[dict[str, Any]]:
                return await asyncio.gather(*(run_stream(server, audio) for _ in range(n)))

            before = server.decode_seconds()
            runs = asyncio.run(many())
            finals = [x for r in runs for x in r["final"]]
            firsts = [x for r in runs for x in r["first_partial"]]
            capacity[n] = {"final_p90_s": round(pct(finals, 0.9), 3), "final_max_s": round(max(finals), 3),
                           "first_partial_median_s": round(statistics.median(firsts), 3) if firsts else None,
                           "keeps_up": max(finals) <= 3.0,
                           "decode_call_mean_s": mean_decode(before, server.decode_seconds()),
                           "load_average_1m": round(os.getloadavg()[0], 2)}
            print("streams", n, json.dumps(capacity[n]), flush=True)
        report["capacity"] = capacity
    finally:
        server.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
