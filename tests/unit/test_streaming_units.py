"""Streaming building blocks without a model: parameters, result building, signatures, VAD."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from amazon_transcribe.auth import Credentials as SdkCredentials
from amazon_transcribe.eventstream import EventSigner, EventStreamMessageSerializer
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from services.core.errors import BadRequestException, InvalidSignatureException
from services.protocol import eventstream, sigv4
from services.streaming import params
from services.streaming.results import Stabilizer, apply_display_forms, build_result, items_from_words, join
from workers.engines.base import Word

BASE = {"sample-rate": "16000", "media-encoding": "pcm"}


def test_params_parse_booleans_any_case_and_echo() -> None:
    p = params.parse({**BASE, "language-code": "en-US", "show-speaker-label": "True",
                      "enable-partial-results-stabilization": "true", "identify-language": "false"})
    assert p.show_speaker_label and p.enable_partial_results_stabilization
    assert p.partial_results_stability == "high"  # AWS's default level
    assert not p.identify_language
    echoed = dict(p.response_headers())
    assert echoed[b"x-amzn-transcribe-show-speaker-label"] == b"True"
    assert len(p.session_id) == 36 and echoed[b"x-amzn-transcribe-session-id"] == p.session_id.encode()


@pytest.mark.parametrize("raw, message", [
    ({"media-encoding": "pcm", "language-code": "en-US"}, "mediaSampleRateHertz' failed to satisfy constraint: "
     "Member must not be null"),
    ({**BASE, "sample-rate": "96000", "language-code": "en-US"}, "less than or equal to 48000"),
    ({**BASE, "media-encoding": "mp3", "language-code": "en-US"}, "enum value set"),
    ({**BASE}, "You must specify either LanguageCode"),
    ({**BASE, "language-code": "en-US", "identify-language": "true", "language-options": "en-US,es-US"},
     "only specify one"),
    ({**BASE, "identify-language": "true", "language-options": "en-US,es-US", "preferred-language": "fr-FR"},
     "PreferredLanguage must be one of"),
    ({**BASE, "language-code": "xx-XX"}, "languageCode"),
    ({**BASE, "language-code": "en-US", "session-id": "not-a-uuid"}, "sessionId"),
    ({**BASE, "language-code": "en-US", "vocabulary-filter-method": "mask"}, "requires VocabularyFilterName"),
    ({**BASE, "language-code": "en-US", "partial-results-stability": "low"}, "requires EnablePartial"),
    ({**BASE, "language-code": "en-US", "enable-channel-identification": "true"}, "NumberOfChannels"),
    ({**BASE, "language-code": "en-US", "enable-channel-identification": "true", "number-of-channels": "3"},
     "less than or equal to 2"),
    ({**BASE, "language-code": "en-US", "pii-entity-types": "NAME"}, "requires ContentIdentificationType"),
    ({**BASE, "language-code": "en-US", "vocabulary-names": "a,b"}, "VocabularyNames can only be used"),
    ({**BASE, "language-code": "en-US", "show-speaker-label": "yes"}, "boolean"),
])
def test_params_errors(raw: dict[str, str], message: str) -> None:
    with pytest.raises(BadRequestException, match=message.replace("(", r"\(")):
        params.parse(raw)


def words(*spec: tuple[str, float, float]) -> list[Word]:
    return [Word(t, s, e, 0.9) for t, s, e in spec]


def test_items_split_punctuation_and_join() -> None:
    items = items_from_words(words((" Hello,", 0.1, 0.4), (" world.", 0.5, 0.9), (" ¿Qué?", 1.0, 1.3)))
    assert [(i["Type"], i["Content"]) for i in items] == [
        ("pronunciation", "Hello"), ("punctuation", ","), ("pronunciation", "world"), ("punctuation", "."),
        ("punctuation", "¿"), ("pronunciation", "Qué"), ("punctuation", "?")]
    assert items[1]["StartTime"] == items[1]["EndTime"] == 0.4
    assert "Confidence" not in items[1] and items[0]["Confidence"] == 0.9
    assert join(items) == "Hello, world. ¿Qué?"
    result = build_result("r1", items, partial=True, start=0.0, end=1.5, channel_id="ch_1",
                          language_code="en-US", language_identification=[("en-US", 0.9), ("es-US", 0.1)])
    assert result["IsPartial"] is True and result["ChannelId"] == "ch_1"
    assert result["Alternatives"][0]["Transcript"] == "Hello, world. ¿Qué?"
    assert result["LanguageIdentification"][0] == {"LanguageCode": "en-US", "Score": 0.9}


def test_stabilizer_locks_a_prefix_that_never_changes_again() -> None:
    st = Stabilizer("high")
    h1 = items_from_words(words(("the", 0, 0.2), ("quick", 0.2, 0.5)))
    h2 = items_from_words(words(("the", 0, 0.2), ("quick", 0.2, 0.5), ("round", 0.5, 0.8)))
    h3 = items_from_words(words(("a", 0, 0.2), ("quick", 0.2, 0.5), ("brown", 0.5, 0.8), ("fox", 0.8, 1.0)))
    out1 = st.apply(h1, final=False)
    assert not any(i["Stable"] for i in out1)
    out2 = st.apply(h2, final=False)
    assert [i["Stable"] for i in out2] == [True, True, False]  # "the quick" agreed twice; last word open
    out3 = st.apply(h3, final=False)  # the recogniser changed its mind about "the": the lock holds
    assert [i["Content"] for i in out3] == ["the", "quick", "brown", "fox"]
    final = st.apply(items_from_words(words(("a", 0, 0.2), ("quack", 0.2, 0.5), ("brown", 0.5, 0.8))), final=True)
    assert [i["Content"] for i in final][:2] == ["the", "quick"] and all(i["Stable"] for i in final)
    low = Stabilizer("low")
    for _ in range(3):
        assert not any(i["Stable"] for i in low.apply(h2, final=False))


def test_display_forms_replace_phrases() -> None:
    items = items_from_words(words(("Los", 0, 0.2), ("Angeles", 0.2, 0.6), ("is", 0.6, 0.7), ("big.", 0.7, 1.0)))
    out = apply_display_forms(items, [(("los", "angeles"), "L.A."), (("big",), "BIG")])
    assert [i["Content"] for i in out] == ["L.A.", "is", "BIG", "."]
    assert out[0]["StartTime"] == 0 and out[0]["EndTime"] == 0.6


def test_event_signature_matches_the_sdk_signer() -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)
    signer = EventSigner("transcribe", "us-west-2", utc_now=lambda: when)
    creds = SdkCredentials("AKID", "SECRET")
    prior = bytes(range(32))
    headers = signer.sign(b"inner-bytes", prior, creds)
    raw_date = EventStreamMessageSerializer().encode_headers({":date": when})
    ours = sigv4.event_signature("SECRET", "us-west-2", "transcribe", prior.hex(), raw_date, when, b"inner-bytes")
    assert ours == headers[":chunk-signature"]


def test_presigned_urls_verify_and_tampering_fails() -> None:
    now = dt.datetime.now(dt.UTC)
    req = AWSRequest(method="GET", url="https://h.example:8443/stream-transcription-websocket?language-code=en-US"
                                       "&media-encoding=pcm&sample-rate=16000")
    SigV4QueryAuth(Credentials("AKID", "SECRET"), "transcribe", "eu-west-1", expires=300).add_auth(req)
    path, query = req.url.split("?", 1)[0].split("8443", 1)[1], req.url.split("?", 1)[1]
    from urllib.parse import parse_qsl

    pairs = parse_qsl(query, keep_blank_values=True)
    ident = sigv4.verify_presigned(method="GET", path=path, query=pairs, headers={"host": ["h.example:8443"]},
                                   lookup=lambda k: "SECRET" if k == "AKID" else None, service="transcribe",
                                   now=now)
    assert ident.region == "eu-west-1" and len(ident.signature) == 64
    tampered = [(k, "8000" if k == "sample-rate" else v) for k, v in pairs]
    with pytest.raises(InvalidSignatureException):
        sigv4.verify_presigned(method="GET", path=path, query=tampered, headers={"host": ["h.example:8443"]},
                               lookup=lambda k: "SECRET", service="transcribe", now=now)
    with pytest.raises(InvalidSignatureException, match="expired"):
        sigv4.verify_presigned(method="GET", path=path, query=pairs, headers={"host": ["h.example:8443"]},
                               lookup=lambda k: "SECRET", service="transcribe",
                               now=now + dt.timedelta(minutes=10))


def test_streaming_vad_finds_speech_in_a_fixture() -> None:
    from pathlib import Path

    from services.streaming.vad import StreamingVad
    from tests.support.streaming import pcm16

    audio = np.frombuffer(pcm16(Path(__file__).parents[1] / "data" / "streaming" / "two-utterances.flac"),
                          dtype="<i2").astype(np.float32) / 32768
    vad = StreamingVad()
    probs = np.concatenate([vad.push(audio[i:i + 1234]) for i in range(0, len(audio), 1234)])
    speech = probs > 0.5
    assert not speech[:10].any()  # 0.5 s lead-in silence
    assert speech[20:40].mean() > 0.8  # first utterance
    changes = np.flatnonzero(np.diff(speech.astype(int)))
    assert len(changes) >= 3  # speech, pause, speech


def test_event_stream_header_bytes_as_received_are_kept() -> None:
    raw = eventstream.encode_message({":date": eventstream.Timestamp(5), "x": "y"}, b"")
    (msg,) = list(eventstream.MessageDecoder().feed(raw))
    assert msg.raw_headers[":date"] + msg.raw_headers["x"] == eventstream.encode_headers(
        {":date": eventstream.Timestamp(5), "x": "y"})


def test_decode_slots_serve_finals_before_partials() -> None:
    import asyncio

    from services.streaming.decoder import FINAL, PARTIAL, _Slots

    order: list[str] = []

    async def job(slots: _Slots, name: str, priority: int, gate: asyncio.Event | None = None) -> None:
        async with slots.hold(priority):
            order.append(name)
            if gate is not None:
                await gate.wait()

    async def scenario() -> None:
        slots = _Slots(1)
        gate = asyncio.Event()
        first = asyncio.create_task(job(slots, "busy", PARTIAL, gate))
        await asyncio.sleep(0)
        waiting = [asyncio.create_task(job(slots, n, p)) for n, p in
                   (("p1", PARTIAL), ("f1", FINAL), ("p2", PARTIAL), ("f2", FINAL))]
        cancelled = asyncio.create_task(job(slots, "gone", FINAL))
        await asyncio.sleep(0)
        cancelled.cancel()  # a client that went away while waiting never takes a slot
        gate.set()
        await asyncio.gather(first, *waiting)
        async with slots.hold(FINAL):  # every slot came back
            order.append("after")

    asyncio.run(scenario())
    assert order == ["busy", "f1", "f2", "p1", "p2", "after"]


def _exact(words, filter_words):  # type: ignore[no-untyped-def]
    """The matcher contract (word-index spans) for single words, to test the stage's methods."""
    wanted = {w.lower() for w in filter_words}
    return [(i, i + 1) for i, w in enumerate(words) if w.lower() in wanted]


def test_filter_stage_methods() -> None:
    from services.streaming.filters import FilterStage

    items = items_from_words(words(("darn", 0, 0.2), ("it,", 0.2, 0.4), ("Darn.", 0.5, 0.8)))
    masked, _ = FilterStage(_exact, ["darn"], "mask")(items)
    assert join(masked) == "*** it, ***."
    assert [i["VocabularyFilterMatch"] for i in masked if i["Type"] == "pronunciation"] == [True, False, True]
    removed, _ = FilterStage(_exact, ["darn"], "remove")(items)
    assert join(removed) == "it,"
    tagged, _ = FilterStage(_exact, ["darn"], "tag")(items)
    assert join(tagged) == "darn it, Darn." and tagged[0]["VocabularyFilterMatch"] is True


def test_filter_stage_with_the_shared_matcher() -> None:
    vf = pytest.importorskip("workers.pipeline.vocabulary_filter")
    from services.streaming.filters import FilterStage

    items = items_from_words(words(("What", 0, 0.2), ("the", 0.2, 0.3), ("heck.", 0.3, 0.6)))
    masked, _ = FilterStage(vf.find_matches, ["heck"], "mask")(items)
    assert join(masked) == "What the ***."


def test_degenerate_decodes_are_recognised() -> None:
    from services.streaming.decoder import looks_degenerate

    assert looks_degenerate("Hello, my name is N. Hello, my name is N. Hello, my name is N. Hello, my name is N.")
    assert not looks_degenerate("Hello, my name is Steven Fry. I was born in London.")
    assert not looks_degenerate("yes")


def test_short_context_applies_only_to_threads_that_ask() -> None:
    import threading

    import faster_whisper.transcribe as fw

    from services.streaming import decoder

    decoder._install_short_context()
    features = np.zeros((80, 200), dtype=np.float32)
    assert fw.pad_or_trim(features).shape == (80, 3000)  # everyone else: the full window
    seen = []

    def streaming_thread() -> None:
        decoder._SHORT.enabled = True
        seen.append(fw.pad_or_trim(features).shape)
        seen.append(fw.pad_or_trim(np.zeros((80, 900), dtype=np.float32)).shape)

    t = threading.Thread(target=streaming_thread)
    t.start()
    t.join()
    assert seen == [(80, decoder.SHORT_CONTEXT_MIN), (80, 900 + decoder.SHORT_CONTEXT_MARGIN)]
    assert fw.pad_or_trim(features).shape == (80, 3000)


@pytest.mark.parametrize("encoding", ["g711-ulaw", "g711-alaw", "flac", "ogg-opus"])
def test_audio_decoders_reproduce_the_signal(encoding: str) -> None:
    """Telephony codecs and containers decode incrementally to the same 16 kHz signal as PCM."""
    import io
    import time
    from pathlib import Path

    import av

    from services.streaming.audio import make_decoder
    from tests.support.streaming import pcm16

    ref = np.frombuffer(pcm16(Path(__file__).parents[1] / "data" / "streaming" / "two-utterances.flac"),
                        dtype="<i2").astype(np.float32) / 32768
    rate = 8000 if encoding.startswith("g711") else 48000 if encoding == "ogg-opus" else 16000
    buf = io.BytesIO()
    fmt = {"g711-ulaw": "mulaw", "g711-alaw": "alaw", "flac": "flac", "ogg-opus": "ogg"}[encoding]
    codec = {"g711-ulaw": "pcm_mulaw", "g711-alaw": "pcm_alaw", "flac": "flac", "ogg-opus": "libopus"}[encoding]
    with av.open(buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray((ref * 32767).astype("<i2")[None, :], format="s16", layout="mono")
        frame.sample_rate = 16000
        for f in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = buf.getvalue()
    dec = make_decoder(encoding, rate, 1)
    got = []
    for i in range(0, len(data), 777):
        dec.feed(data[i:i + 777])
        time.sleep(0.001)
        got.append(dec.take())
    dec.finish()
    got.append(dec.take())
    out_audio = np.concatenate(got, axis=1)[0]
    assert dec.error is None
    assert abs(len(out_audio) - len(ref)) < 0.05 * 16000 + 0.01 * len(ref)
    n = min(len(out_audio), len(ref))
    lag = 0
    if encoding == "ogg-opus":  # opus adds a short pre-skip delay: align before comparing
        corr = [float(np.dot(ref[:n - 800], out_audio[k:k + n - 800])) for k in range(0, 800, 8)]
        lag = 8 * int(np.argmax(corr))
    a, b = ref[: n - 800], out_audio[lag: lag + n - 800]
    assert float(np.corrcoef(a, b)[0, 1]) > 0.9


def test_spoken_form_of_written_items() -> None:
    from services.streaming.spoken import spoken_words, to_spoken

    assert spoken_words("$50", "en") == ["fifty", "dollars"]
    assert spoken_words("$1.05", "en") == ["one", "dollar", "five", "cents"]
    assert spoken_words("10:30", "en") == ["ten", "thirty"]
    assert spoken_words("9:05", "en") == ["nine", "oh", "five"]
    assert spoken_words("AM", "en") == ["a", "m"] and spoken_words("p.m", "en") == ["p", "m"]
    assert spoken_words("1981", "en") == ["nineteen", "eighty-one"]
    assert spoken_words("1,500", "en") == ["one", "thousand", "five", "hundred"]
    assert spoken_words("50%", "en") == ["fifty", "percent"]
    assert spoken_words("2nd", "en") == ["second"]
    assert spoken_words("3.5", "en") == ["three", "point", "five"]
    assert spoken_words("COVID-19", "en") == ["COVID", "nineteen"]
    assert spoken_words("hello", "en") is None
    assert spoken_words("21", "fr") == ["vingt", "et", "un"]
    assert spoken_words("50", "de") == ["fünfzig"]
    assert spoken_words("50", "xx") is None  # no converter: the digits stay
    items = [{"StartTime": 1.0, "EndTime": 1.6, "Type": "pronunciation", "Content": "$50", "Confidence": 0.9,
              "VocabularyFilterMatch": False, "Stable": True},
             {"StartTime": 1.6, "EndTime": 1.6, "Type": "punctuation", "Content": ".", "VocabularyFilterMatch": False}]
    out = to_spoken(items, "en")
    assert [i["Content"] for i in out] == ["fifty", "dollars", "."]
    assert [(i["StartTime"], i["EndTime"]) for i in out] == [(1.0, 1.3), (1.3, 1.6), (1.6, 1.6)]
    assert all(i["Confidence"] == 0.9 and i["Stable"] for i in out[:2])
