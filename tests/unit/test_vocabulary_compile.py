"""Custom vocabularies compiled and applied without a model: biasing text, exact, SoundsLike and
near-miss corrections, DisplayAs, guards that keep ordinary speech intact, and the pipeline hooks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workers.engines.base import Recognition, Segment, Word
from workers.pipeline.contract import JobOptions
from workers.pipeline.customization import (
    JOB_LEVEL,
    Customization,
    JobCustomizations,
    LanguageModelBias,
    correct_tokens,
    drop_echoes,
    from_request_settings,
)
from workers.pipeline.run import transcribe_media
from workers.pipeline.transcript import build_transcript, tokens_from_segments
from workers.pipeline.vocabulary import CompiledVocabulary, Correction, compile_vocabulary, phonetic_key

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


def entry(phrase: str, sounds_like: str = "", display_as: str = "") -> dict[str, str | None]:
    return {"phrase": phrase, "sounds_like": sounds_like or None, "ipa": None, "display_as": display_as or None}


VOCAB = compile_vocabulary(
    [
        entry("Zyloquent"),
        entry("Tenzarine"),
        entry("Velmorix"),
        entry("Los-Angeles"),
        entry("C.L.I.", display_as="CLI"),
        entry("Kubernetes", "koo-ber-net-eez", "K8s"),
        entry("cars"),
        entry("Gravimax", display_as="GraviMax"),
    ],
    "en-US",
)


def fix(text: str, probs: Sequence[float] | None = None, vocab: CompiledVocabulary = VOCAB) -> list[Correction]:
    return vocab.correct(text.split(), probs)


def test_compiled_form_round_trips_through_json() -> None:
    data = json.loads(json.dumps(VOCAB.to_dict()))
    again = CompiledVocabulary.from_dict(data)
    assert again.to_dict() == VOCAB.to_dict()
    assert again.correct(["tensorim"], [0.3]) == VOCAB.correct(["tensorim"], [0.3])


def test_bias_text_is_punctuated_rare_terms_first_and_bounded() -> None:
    assert VOCAB.initial_prompt.endswith(".") and "GraviMax" in VOCAB.initial_prompt
    assert VOCAB.initial_prompt.split(", ")[-1] == "cars."  # an ordinary word needs the least help
    big = compile_vocabulary([entry(f"Term{chr(97 + i % 26)}{chr(97 + i // 26)}xq") for i in range(400)], "en-US")
    assert 200 < len(big.initial_prompt) <= 250 and big.initial_prompt.endswith(".")


def test_exact_letters_render_display_as() -> None:
    assert fix("flew to los angeles, then") == [Correction(2, 4, "Los Angeles")]
    assert fix("the c l i tool") == [Correction(1, 4, "CLI")]
    assert fix("the C.L.I. tool") == [Correction(1, 2, "CLI")]
    assert fix("our gravimax sensor") == [Correction(1, 2, "GraviMax")]
    assert fix("the GraviMax sensor") == []  # already right


def test_sounds_like_maps_to_the_phrase() -> None:
    assert fix("deploy on koo ber net eez today") == [Correction(2, 6, "K8s")]


def test_near_misses_of_invented_terms_are_corrected() -> None:
    assert fix("of Lyloquent twice") == [Correction(1, 2, "Zyloquent")]
    assert fix("run the tensorim scanner", [0.9, 0.9, 0.3, 0.9]) == [Correction(2, 3, "Tenzarine")]
    assert fix("We met Dr. Mel Morick at", [0.9, 0.9, 0.9, 0.3, 0.3, 0.9]) == [Correction(3, 5, "Velmorix")]


def test_ordinary_words_heard_clearly_are_left_alone() -> None:
    assert fix("a tangerine and brevity", [0.9, 0.95, 0.9, 0.95]) == []
    assert fix("my car is fast") == []  # "cars" is an ordinary word: exact matches only
    assert fix("the tangerine", [0.9, 0.95]) == []


def test_a_span_never_crosses_a_clause_end() -> None:
    assert fix("in los, angeles") == []


def test_phonetic_key_merges_voicing() -> None:
    assert phonetic_key("Brevanta")[:3] == phonetic_key("preventer")[:3]


def seg(*words: tuple[str, float, float, float]) -> Segment:
    ws = tuple(Word(t, s, e, p) for t, s, e, p in words)
    return Segment(ws[0].start, ws[-1].end, "".join(w.text for w in ws), ws)


def test_correct_tokens_spreads_time_and_keeps_trailing_punctuation() -> None:
    tokens = tokens_from_segments(
        [seg((" to", 0.0, 0.2, 0.9), (" los", 0.2, 0.5, 0.5), (" angeles,", 0.5, 1.1, 0.7), (" then", 1.2, 1.4, 0.9))]
    )
    doc = build_transcript("j", "1", correct_tokens(tokens, VOCAB))
    items = doc["results"]["items"]
    assert doc["results"]["transcripts"][0]["transcript"] == "to Los Angeles, then"
    los, angeles = items[1], items[2]
    assert (los["start_time"], angeles["end_time"]) == ("0.2", "1.1")
    assert float(los["end_time"]) == float(angeles["start_time"])
    assert los["alternatives"][0]["confidence"] == "0.6"
    assert [i["id"] for i in items] == list(range(len(items)))


def test_echoes_of_the_prompt_are_dropped() -> None:
    speech = seg((" We", 0.0, 0.26, 0.67), (" met", 0.26, 0.58, 0.95), (" Velmorix.", 1.16, 1.64, 0.12))
    echo = seg((" We", 3.24, 3.64, 0.0), (" met", 3.64, 3.64, 0.0), (" Velmorix.", 3.64, 3.64, 0.0))
    squeezed = seg((" Thank", 3.16, 3.28, 0.04), (" you.", 3.28, 3.28, 0.98))
    out = drop_echoes(Recognition("en", 1.0, [speech, echo, squeezed]))
    assert out.segments == [speech]
    recited = seg(
        (" Zyloquent,", 4.0, 4.6, 0.6),
        (" Tenzarine,", 4.6, 5.3, 0.7),
        (" Velmorix,", 5.3, 6.0, 0.5),
        (" Velmorix.", 6.0, 6.6, 0.5),
    )
    mentions = seg(
        (" Zyloquent", 7.0, 7.6, 0.6),
        (" beats", 7.6, 8.0, 0.9),
        (" Tenzarine", 8.0, 8.6, 0.7),
        (" and", 8.6, 8.8, 0.9),
        (" Velmorix.", 8.8, 9.5, 0.5),
    )
    out = drop_echoes(Recognition("en", 1.0, [speech, recited, mentions]), VOCAB.initial_prompt)
    assert out.segments == [speech, mentions]


def test_language_mismatch_means_not_applied() -> None:
    custom = Customization(vocabulary=VOCAB)
    assert custom.for_language("en-GB") == Customization()
    assert custom.for_language("en-US").vocabulary is VOCAB
    assert custom.for_language(None) == Customization()


def test_bias_merges_vocabulary_before_language_model() -> None:
    lm = LanguageModelBias("en-US", "Atrial fibrillation, warfarin.")
    prompt = Customization(vocabulary=VOCAB, language_model=lm).bias()
    assert prompt is not None and prompt.startswith(VOCAB.initial_prompt) and "Atrial" in prompt
    assert len(prompt) <= 250 and prompt.endswith(".")
    assert Customization().bias() is None
    assert Customization(vocabulary=VOCAB).bias() == VOCAB.initial_prompt


def test_request_names_resolve_per_language() -> None:
    assert from_request_settings(
        {
            "VocabularyName": "v",
            "VocabularyFilterName": "f",
            "VocabularyFilterMethod": "tag",
            "ModelSettings": {"LanguageModelName": "m"},
        }
    ) == {
        JOB_LEVEL: {
            "VocabularyName": "v",
            "VocabularyFilterName": "f",
            "VocabularyFilterMethod": "tag",
            "LanguageModelName": "m",
        }
    }
    assert from_request_settings(
        {
            "VocabularyFilterMethod": "remove",
            "LanguageIdSettings": {
                "en-US": {"VocabularyName": "v-en", "VocabularyFilterName": "f-en"},
                "es-US": {"LanguageModelName": "m-es"},
                "fr-FR": {},
            },
        }
    ) == {
        "en-US": {"VocabularyName": "v-en", "VocabularyFilterName": "f-en", "VocabularyFilterMethod": "remove"},
        "es-US": {"LanguageModelName": "m-es"},
    }
    assert from_request_settings({}) == {}


class BiasRecorder:
    """A recognizer that hears "Lyloquent" and records how it was biased."""

    def __init__(self) -> None:
        self.kwargs: list[dict[str, object]] = []

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        self.kwargs.append({"initial_prompt": initial_prompt, "hotwords": hotwords})
        words = (Word(" Take", 0.1, 0.4, 0.9), Word(" Lyloquent", 0.4, 1.0, 0.2), Word(" daily.", 1.0, 1.5, 0.9))
        return Recognition("en", 1.0, [Segment(0.1, 1.5, "", words)])

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return [("en", 1.0)]


def run(language: str, custom: Customization) -> tuple[BiasRecorder, str]:
    rec = BiasRecorder()
    result = transcribe_media(
        AUDIO / "en-gb.mp3",
        JobOptions(
            job_name="j",
            account_id="1",
            language_code=language,
            subtitle_formats=("srt",),
            customizations=JobCustomizations({JOB_LEVEL: custom}),
        ),
        engine=rec,
    )
    assert "Take" in result.subtitles["srt"]
    return rec, result.transcript["results"]["transcripts"][0]["transcript"]


def test_pipeline_biases_and_corrects_only_for_the_vocabularys_language() -> None:
    rec, text = run("en-US", Customization(vocabulary=VOCAB))
    assert text == "Take Zyloquent daily."
    # a plain decode, then the doubtful "Lyloquent" (sounds like Zyloquent) re-decoded with the prompt
    assert rec.kwargs == [
        {"initial_prompt": None, "hotwords": None},
        {"initial_prompt": VOCAB.initial_prompt, "hotwords": None},
    ]
    rec, text = run("en-GB", Customization(vocabulary=VOCAB))
    assert text == "Take Lyloquent daily."
    assert rec.kwargs == [{"initial_prompt": None, "hotwords": None}]


def test_name_lists_resolve_to_the_identified_language() -> None:
    from workers.pipeline.customization import pick_named, split_names

    assert split_names(" med-en, med-es ,") == ["med-en", "med-es"] and split_names(None) == []
    named = {"med-en": "en-US", "med-es": "es-US"}
    assert pick_named(named, "es-US") == "med-es" and pick_named(named, "en-US") == "med-en"
    assert pick_named(named, "fr-FR") is None and pick_named(named, None) is None


class Scripted:
    """Hears ``plain`` unprompted and ``prompted`` with any prompt; records the prompted calls."""

    def __init__(self, plain: list[tuple[str, float]], prompted: list[tuple[str, float]]) -> None:
        self.readings = {False: plain, True: prompted}
        self.prompts: list[tuple[str | None, float]] = []

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        if initial_prompt:
            self.prompts.append((language, round(len(audio) / 16_000, 2)))
        said = self.readings[bool(initial_prompt)]
        words = tuple(Word(" " + t, 0.5 * n, 0.5 * n + 0.4, p) for n, (t, p) in enumerate(said))
        return Recognition(language or "en", 1.0, [Segment(0.0, 0.5 * len(said), "", words)])

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return [("en", 1.0)]


def selective(engine: Scripted, vocab: CompiledVocabulary = VOCAB) -> str:
    from workers.pipeline.selective_bias import Bias, SelectiveBiasRecognizer

    biased = SelectiveBiasRecognizer(engine, lambda language: Bias(vocab.initial_prompt, (vocab,)))
    rec = biased.transcribe(np.zeros(16_000 * 4, np.float32), language="en")
    return " ".join(w.text.strip() for s in rec.segments for w in s.words)


def test_an_everyday_utterance_is_never_re_decoded_with_the_bias() -> None:
    plain = [("My", 0.9), ("brother", 0.95), ("bought", 0.9), ("a", 0.9), ("new", 0.95), ("car.", 0.9)]
    engine = Scripted(
        plain, [("My", 0.9), ("brother", 0.9), ("Maltri", 0.2), ("bought", 0.9), ("a", 0.9), ("car.", 0.9)]
    )
    assert selective(engine) == "My brother bought a new car."
    assert engine.prompts == []  # clearly heard ordinary words: no candidate, no biased decode


def test_only_the_term_is_taken_from_the_biased_decode() -> None:
    # The prompt changes an ordinary word too ("reads" -> "read"); only the term's stretch is taken.
    engine = Scripted(
        [("She", 0.9), ("reads", 0.6), ("about", 0.9), ("Lyloquent", 0.3), ("daily.", 0.9)],
        [("She", 0.9), ("read", 0.5), ("about", 0.9), ("Zyloquent", 0.2), ("daily.", 0.9)],
    )
    assert selective(engine) == "She reads about Zyloquent daily."
    assert engine.prompts == [("en", 2.9)]  # one window: the segment and 0.4 s either side


def test_a_recited_glossary_or_a_term_over_other_speech_is_refused() -> None:
    recital = Scripted(
        [("Take", 0.9), ("Lyloquent", 0.3), ("with", 0.5), ("food.", 0.9)],
        [("Take", 0.9), ("Zyloquent,", 0.01), ("Tenzarine,", 0.0), ("food.", 0.9)],
    )
    assert selective(recital) == "Take Lyloquent with food."
    elsewhere = Scripted(
        [("Take", 0.9), ("Lyloquent", 0.3), ("with", 0.5), ("porridge.", 0.4)],
        [("Take", 0.9), ("Lyloquent", 0.3), ("with", 0.5), ("Velmorix.", 0.1)],
    )
    assert selective(elsewhere) == "Take Lyloquent with porridge."  # "porridge" does not sound like it


def test_ipa_finds_a_term_spelled_far_from_its_sound() -> None:
    # "Caoimhe" is said "KEE-va": its letters and Metaphone key are far from what Whisper writes.
    with_ipa = compile_vocabulary([entry("Caoimhe") | {"ipa": "k iː v ə"}], "en-US")  # noqa: RUF001
    without = compile_vocabulary([entry("Caoimhe")], "en-US")
    assert fix("I met Keeva yesterday", [0.9, 0.9, 0.4, 0.9], with_ipa) == [Correction(2, 3, "Caoimhe")]
    assert fix("I met Keeva yesterday", [0.9, 0.9, 0.4, 0.9], without) == []
    # the stored (compiled) form keeps the pronunciation
    again = CompiledVocabulary.from_dict(json.loads(json.dumps(with_ipa.to_dict())))
    assert again.correct(["Keeva"], [0.4]) == [Correction(0, 1, "Caoimhe")]
    # and SoundsLike goes through the same phoneme comparison
    sounds = compile_vocabulary([entry("Caoimhe", "kee-vah")], "en-US")
    assert fix("I met Keeva yesterday", [0.9, 0.9, 0.4, 0.9], sounds) == [Correction(2, 3, "Caoimhe")]


class TwoLanguages:
    """Hears quieter audio as Spanish. Prompted, it writes the prompt's first term for "Lyloquent"."""

    def __init__(self) -> None:
        self.prompts: list[tuple[str | None, str | None]] = []

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        self.prompts.append((language, initial_prompt))
        term = initial_prompt.split(",")[0].rstrip(".") if initial_prompt else "Lyloquent"
        said = [("Take" if language == "en" else "Toma", 0.9), (term, 0.2), ("ahora.", 0.9)]
        words = tuple(Word(" " + t, 0.2 + 0.5 * n, 0.6 + 0.5 * n, p) for n, (t, p) in enumerate(said))
        return Recognition(language or "en", 1.0, [Segment(0.2, 1.7, "", words)])

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
        spanish = float(np.abs(audio).max()) < 0.2
        return [("es", 0.9), ("en", 0.1)] if spanish else [("en", 0.9), ("es", 0.1)]


def test_each_language_of_a_multi_language_job_gets_its_own_customisation(tmp_path: Path) -> None:
    import wave

    with wave.open(str(AUDIO / "en-gb.wav")) as w:
        rate, clip = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    loud = clip.astype(np.float32) / max(1, int(np.abs(clip).max())) * 0.9
    # two utterances at full level (English), two quieter (Spanish): one language span each
    mix = np.concatenate([loud, loud, loud * 0.15, loud * 0.15])
    path = tmp_path / "two.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((mix * 32767).astype(np.int16).tobytes())
    from workers.pipeline.customization import FilterSpec

    spanish = compile_vocabulary([entry("Lyloquenta")], "es-US")
    custom = JobCustomizations(
        {
            "en-US": Customization(vocabulary=VOCAB),
            "es-US": Customization(vocabulary=spanish, vocabulary_filter=FilterSpec(("ahora",), "mask", "es-US")),
        }
    )
    engine = TwoLanguages()
    result = transcribe_media(
        path,
        JobOptions(
            job_name="j",
            account_id="1",
            identify_multiple_languages=True,
            language_options=("en-US", "es-US"),
            customizations=custom,
        ),
        engine=engine,
    )
    prompted = [(lang, prompt) for lang, prompt in engine.prompts if prompt]
    assert prompted == [("en", VOCAB.initial_prompt), ("es", spanish.initial_prompt)]
    items = [
        (i["alternatives"][0]["content"], i.get("language_code"))
        for i in result.transcript["results"]["items"]
        if i["type"] == "pronunciation"
    ]
    assert items == [
        ("Take", "en-US"),
        ("Zyloquent", "en-US"),
        ("ahora", "en-US"),
        ("Toma", "es-US"),
        ("Lyloquenta", "es-US"),
        ("***", "es-US"),
    ]


class Scored(Scripted):
    """``Scripted`` with the engine's unprompted scoring: each word costs 1 (nat), each word not in
    ``supported`` costs ``cost`` more."""

    def __init__(
        self, plain: list[tuple[str, float]], prompted: list[tuple[str, float]], supported: set[str], cost: float
    ) -> None:
        super().__init__(plain, prompted)
        self.supported = supported
        self.cost = cost
        self.scored: list[list[str]] = []

    def score_texts(self, audio: np.ndarray, texts: Sequence[str], *, language: str | None = None) -> list[float]:
        self.scored.append(list(texts))
        return [
            -sum(1.0 + (0.0 if w.strip(".,").lower() in self.supported else self.cost) for w in t.split())
            for t in texts
        ]


def test_the_audio_can_support_a_term_the_plain_words_do_not_sound_like() -> None:
    # The doubtful "Fentalun" makes the window a candidate; the biased decode writes the term where
    # the plain one heard "and to", which does not sound like it (the sound test refuses it). The
    # unprompted model finds that reading nearly as likely as the plain one, so it is taken.
    plain = [("and", 0.1), ("to", 0.5), ("Fentalun", 0.3), ("helps", 0.9), ("patients.", 0.9)]
    prompted = [("Fentalune,", 0.06), ("Fentalun", 0.3), ("helps", 0.9), ("patients.", 0.9)]
    vocab = compile_vocabulary([entry("Fentalune")], "en-US")
    assert selective(Scripted(plain, prompted), vocab) == "and to Fentalun helps patients."  # no scorer
    engine = Scored(plain, prompted, {"and", "to", "fentalun", "helps", "patients"}, 10.0)
    assert selective(engine, vocab) == "Fentalune, Fentalun helps patients."
    assert engine.scored  # the scorer was asked
    # ... but not when the audio does not support it: the term costs more than one term may
    costly = Scored(plain, prompted, {"and", "to", "fentalun", "helps", "patients"}, 20.0)
    assert selective(costly, vocab) == "and to Fentalun helps patients."


def test_a_recital_is_refused_even_with_a_scorer() -> None:
    # Two terms over other speech: each costs more than a term may, so the recital stays out.
    engine = Scored(
        [("Take", 0.9), ("Lyloquent", 0.3), ("with", 0.5), ("food.", 0.9)],
        [("Take", 0.9), ("Zyloquent,", 0.01), ("Tenzarine,", 0.0), ("food.", 0.9)],
        {"take", "lyloquent", "with", "food"},
        25.0,
    )
    assert selective(engine) == "Take Lyloquent with food."


def test_a_language_models_real_word_next_to_a_term_is_no_recital() -> None:
    # A language model's rare real word ("firewalls") beside its product name is not two terms.
    vocab = compile_vocabulary([entry("Torvane"), entry("firewalls")], "en-US")
    engine = Scripted(
        [("a", 0.8), ("new", 0.9), ("tour", 0.15), ("of", 0.2), ("the", 0.2), ("entire", 0.7), ("world.", 0.6)],
        [("a", 0.8), ("new", 0.9), ("Torvane", 0.3), ("firewall.", 0.4)],
    )
    assert selective(engine, vocab) == "a new Torvane firewall."


def test_a_compilation_stored_with_hotwords_still_loads() -> None:
    data = VOCAB.to_dict() | {"hotwords": "Zyloquent, Tenzarine"}
    assert "hotwords" not in VOCAB.to_dict()
    assert CompiledVocabulary.from_dict(data) == VOCAB
