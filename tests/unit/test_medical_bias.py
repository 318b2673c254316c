"""Clinical lexicon and medical vocabulary biasing: prompt, corrections, the biased recogniser."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from services.core.errors import BadRequestException
from services.transcribe.medical.job_rules import check_start_request
from workers.engines.base import Recognition, Segment, Word
from workers.pipeline.medical_bias import MAX_PROMPT_CHARS, BiasedRecognizer, compile_bias


def words(*texts: str) -> list[Word]:
    return [Word(" " + t, i * 0.5, i * 0.5 + 0.4, 0.8) for i, t in enumerate(texts)]


def corrected(texts: Sequence[str], vocabulary: list[dict[str, object]] | None = None, lexicon: bool = True) -> str:
    bias = compile_bias(vocabulary, use_lexicon=lexicon, dictation=False)
    return "".join(w.text for w in bias.correct(words(*texts))).strip()


def test_prompt_lists_vocabulary_first_and_fits_whispers_window() -> None:
    vocab = [{"phrase": "zelvoramab"}, {"phrase": "acute-respiratory-distress-syndrome", "display_as": "ARDS"}]
    bias = compile_bias(vocab, use_lexicon=True, dictation=True)
    assert bias.initial_prompt is not None and len(bias.initial_prompt) <= MAX_PROMPT_CHARS
    assert bias.initial_prompt.index("zelvoramab") < bias.initial_prompt.index("lisinopril")
    assert "ARDS" in bias.initial_prompt and "comma" in bias.initial_prompt
    assert compile_bias(None, use_lexicon=False, dictation=False).initial_prompt is None
    off = compile_bias(vocab, use_lexicon=False, dictation=False).initial_prompt or ""
    assert "zelvoramab" in off and "lisinopril" not in off


def test_near_misses_of_lexicon_terms_are_fixed() -> None:
    assert corrected(["hyperlypidemia,"]) == "hyperlipidemia,"
    assert corrected(["Lisinoprill", "daily."]) == "Lisinopril daily."
    assert corrected(["lisin", "opril"]) == "lisinopril"  # split by the recogniser
    assert corrected(["hyperlypidemia"], lexicon=False) == "hyperlypidemia"  # switched off


def test_real_words_are_not_corrected_into_terms() -> None:
    assert corrected(["hypotension"]) == "hypotension"  # not "hypertension"
    assert corrected(["medications", "reviewed"]) == "medications reviewed"
    assert corrected(["the", "patient", "is", "stable"]) == "the patient is stable"
    assert corrected(["a", "bid", "for", "it"]) == "a bid for it"  # "bid" is a word, B I D an order


def test_abbreviations_read_aloud() -> None:
    assert corrected(["C", "O", "P", "D", "exacerbation"]) == "COPD exacerbation"
    assert corrected(["twice", "daily", "b.i.d."]) == "twice daily BID."  # the last dot may end the sentence
    assert corrected(["e", "k", "g,", "normal"]) == "EKG, normal"


def test_vocabulary_display_as_and_phrases() -> None:
    vocab = [{"phrase": "acute-respiratory-distress-syndrome", "display_as": "ARDS"},
             {"phrase": "S.T.E.M.I.-s", "display_as": "STEMIs"}, {"phrase": "zelvoramab"}]
    assert corrected(["for", "acute", "respiratory", "distress", "syndrome."], vocab) == "for ARDS."
    assert corrected(["two", "stemis", "ruled", "out"], vocab) == "two STEMIs ruled out"
    assert corrected(["start", "zelvoramib"], vocab, lexicon=False) == "start zelvoramab"


class FakeEngine:
    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self.calls: list[dict[str, object]] = []

    def transcribe(self, audio: np.ndarray, *, language: str | None = None, initial_prompt: str | None = None,
                   hotwords: str | None = None) -> Recognition:
        self.calls.append({"language": language, "initial_prompt": initial_prompt, "hotwords": hotwords})
        return Recognition("en", 1.0, self.segments)

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return [("en", 1.0)]


def test_biased_recognizer_prompts_corrects_and_drops_an_invented_tail() -> None:
    spoken = Segment(0.0, 3.0, " x", tuple(words("hyperlypidemia", "and", "gout.")))
    invented = Segment(3.0, 3.4, " Thank you for watching.", (
        Word(" Thank", 3.0, 3.1, 0.1), Word(" you", 3.1, 3.2, 0.9), Word(" for", 3.2, 3.3, 0.9),
        Word(" watching.", 3.3, 3.4, 0.9)))
    engine = FakeEngine([spoken, invented])
    bias = compile_bias(None, use_lexicon=True, dictation=False)
    rec = BiasedRecognizer(engine, bias).transcribe(np.zeros(16000, np.float32), language="en",
                                                     initial_prompt="Acme.")
    assert [s.text for s in rec.segments] == [" hyperlipidemia and gout."]
    prompt = str(engine.calls[0]["initial_prompt"])
    assert prompt.startswith("Acme. ") and "lisinopril" in prompt


REQUEST = {"MedicalTranscriptionJobName": "j", "LanguageCode": "en-US", "Specialty": "PRIMARYCARE",
           "Type": "DICTATION", "OutputBucketName": "out", "Media": {"MediaFileUri": "s3://b/k.wav"}}


@pytest.mark.parametrize(("extra", "needle"), [
    ({"LanguageCode": "es-US"}, "supports only en-US"),
    ({"Settings": {"MaxAlternatives": 3}}, "MaxAlternatives can only be used"),
    ({"Settings": {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2, "ChannelIdentification": True}},
     "both ShowSpeakerLabels and ChannelIdentification"),
    ({"OutputKey": "/abs"}, "OutputKey can't start with a slash"),
    ({"KMSEncryptionContext": {"a": "b"}}, "OutputEncryptionKMSKeyId"),
])
def test_start_rules(extra: dict[str, object], needle: str) -> None:
    with pytest.raises(BadRequestException, match=needle):
        check_start_request({**REQUEST, **extra})


def test_valid_request_passes() -> None:
    check_start_request({**REQUEST, "OutputKey": "notes/today", "Settings": {"VocabularyName": "v"},
                         "ContentIdentificationType": "PHI"})
    for settings in ({"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2}, {"ChannelIdentification": True},
                     {"ShowAlternatives": True, "MaxAlternatives": 3}):
        check_start_request({**REQUEST, "Settings": settings})
