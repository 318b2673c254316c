"""Recognizers for the personal health information (PHI) that is not PII: dates, ages, gender,
record / insurance / licence numbers, facility names, vehicle ids, URLs and IP addresses.

Transcribe Medical's PHI identification labels these beside names, phone numbers, e-mails and
addresses (which the PII recognizers already find). They run on the written text from
``normalise`` like the PII ones, and report the ``PHI_ONLY_TYPES`` of ``base``; the detector keeps
them out of PII redaction (a DATE never competes with a card expiry in a redaction job).

Precision over recall, as for PII: a date needs a month and a day (a year alone, "three days" or
"today" is not a date of the patient), an age needs "year old" / "age" / "aged", a number is a
record number only after a phrase that says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from workers.engines.pii.recognizers import _Base

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov",
           "dec")
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth", "thirtieth")
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
#: "4", "4th", "fourth", "twenty first" (the normaliser writes "20 first").
_DAY = rf"(?:(?:[23]0\s+)?(?:{_ORDINAL})|\d{{1,2}}(?:st|nd|rd|th)?)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MONTH_DAY = re.compile(rf"\b(?:{_MONTH})\.?\s+(?:the\s+)?{_DAY}\b(?:\s*,?\s*(?:of\s+)?{_YEAR}\b)?", re.IGNORECASE)
#: "March 4, 1962" as the normaliser writes it: adjacent numbers are joined ("March 41962").
_MONTH_GLUED = re.compile(rf"\b(?:{_MONTH})\.?\s+(\d{{1,2}})(?:1[89]|20)\d\d\b", re.IGNORECASE)
_DAY_OF_MONTH = re.compile(rf"\b{_DAY}\s+of\s+(?:{_MONTH})\b(?:\s*,?\s*{_YEAR}\b)?", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\w/-])")
_MONTH_YEAR = re.compile(rf"\b(?:{_MONTH})\s+(?:of\s+)?{_YEAR}\b", re.IGNORECASE)
#: The day of a month-name date when written in digits ("4th"), not its year.
_DAY_NUMBER = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)")
_DIGIT_RUN = re.compile(r"(?<![\w/.-])(\d{6}|\d{8})(?![\w/-])")
#: Phrases that make a date the patient's own (birth), lifting its score and allowing the forms
#: that are too ambiguous elsewhere ("March 1962", "12151962").
BIRTH_CONTEXT = ("birth", "dob", "born", "d o b")

_AGE = re.compile(
    r"\b(\d{1,3})(?:\s*-\s*|\s+)(?:and\s+a\s+half\s+)?(?:years?|yrs?|months?|weeks?|days?)(?:\s*-\s*|\s+)old\b"
    r"|\b(\d{1,3})\s*(?:yo|y/o|y\.o\.?)(?![\w/])"
    r"|\baged?\s+(?:of\s+|is\s+)?(\d{1,3})\b(?!\s*(?:-|/|\.\d))"
    r"|\b(\d{1,3})\s+years?\s+of\s+age\b",
    re.IGNORECASE,
)
_GENDER_WORD = re.compile(r"\b(?:male|female|transgender|non-?binary|intersex)\b", re.IGNORECASE)
#: "a 54 year old man": the noun after an age phrase (or "is a …") is the patient's gender.
_GENDER_NOUN = re.compile(r"\b(?:old|is\s+an?)\s+(man|woman|boy|girl|gentleman|lady)\b", re.IGNORECASE)

_ID_LEADS = (
    "medical record number", "medical record", "record number", "mrn", "chart number", "patient id",
    "patient number", "patient identifier", "member id", "member number", "insurance id", "insurance number",
    "policy number", "subscriber id", "subscriber number", "group number", "beneficiary number",
    "beneficiary id", "medicare number", "medicare id", "medicaid number", "medicaid id", "health plan number",
    "health plan id", "license number", "licence number", "driver's license", "drivers license",
    "driver license", "certificate number", "dea number", "npi number", "npi", "id number",
    "identification number",
)
_LEAD_TAIL = r"(?:\s+(?:number|no|#))?\s*(?:is|was|of|reads|:)?\s*"
_ID_LEAD = re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in _ID_LEADS)})\b{_LEAD_TAIL}", re.IGNORECASE)
_VEHICLE_LEAD = re.compile(
    rf"\b(?:license plate|licence plate|plate number|plate|vin|vehicle identification number)\b{_LEAD_TAIL}",
    re.IGNORECASE)
#: An identifier: up to four tokens of digits, short letter groups (spelled letters arrive joined)
#: or dashes, with at least one digit.
_ID_TOKEN = re.compile(r"[a-z0-9][a-z0-9-]*", re.IGNORECASE)
_MAX_ID_TOKENS = 4

_FACILITY_SUFFIX = ("Hospital", "Clinic", "Medical Center", "Medical Centre", "Health Center", "Health Centre",
                    "Medical Group", "Health System", "Infirmary", "Urgent Care", "Family Practice",
                    "Family Medicine", "Medical Associates", "Pediatrics", "Healthcare", "Health Clinic")
_FACILITY_STOP = frozenset({"The", "A", "An", "This", "That", "Our", "My", "Your", "His", "Her", "Their", "At", "In",
                            "To", "From", "Of", "And", "Or", "I", "We", "He", "She", "They", "It"})
_FACILITY = re.compile(
    rf"((?:(?:St\.?|Saint|Mount|Mt\.?|[A-Z][\w'.&-]*)\s+){{1,4}})"
    rf"(?:{'|'.join(re.escape(s) for s in sorted(_FACILITY_SUFFIX, key=len, reverse=True))})\b",
    re.IGNORECASE)
_FACILITY_WORD = re.compile(r"(?:St\.?|Saint|Mount|Mt\.?|[A-Z][\w'.&-]*)")

_TLD = r"(?:com|org|net|edu|gov|io|us|info|health|care|co)"
_URL = re.compile(
    rf"(?<![@\w.])(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{_TLD}\b(?:/[\w./-]*)?(?!@)"
    # spoken: after "www dot" a name may come as two or three words ("mercy health dot org")
    rf"|\b(?:www\s+dot\s+[a-z0-9-]+(?:\s+[a-z0-9-]+){{0,2}}?|[a-z0-9-]+)(?:\s+dot\s+[a-z0-9-]+)*\s+dot\s+{_TLD}\b"
    r"(?:\s+slash\s+[a-z0-9-]+)*",
    re.IGNORECASE)
_IP = re.compile(r"(?<![\w.])(\d{1,3})(?:\s*(?:\.|dot|point)\s*(\d{1,3})){3}(?![\w.]*\d)", re.IGNORECASE)
_IP_PART = re.compile(r"\d{1,3}")


def _has_birth_context(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start].lower()
    return any(p in before for p in BIRTH_CONTEXT)


def _valid_month_day(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


class DateRecognizer(_Base):
    """Dates with a month and a day ("March 4th, 1962", "the fourth of March", "03/04/62"); after a
    date-of-birth phrase also "March 1962" and a digit run read as MMDDYY(YY)."""

    ENTITIES = ("DATE",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in (*_MONTH_DAY.finditer(text), *_DAY_OF_MONTH.finditer(text)):
            day = _DAY_NUMBER.search(m.group())
            if day and not 1 <= int(day.group(1)) <= 31:
                continue
            out.append(self._result(text, m.start(), m.end(), 0.85))
        for m in _MONTH_GLUED.finditer(text):
            if 1 <= int(m.group(1)) <= 31:
                out.append(self._result(text, m.start(), m.end(), 0.85))
        for m in _NUMERIC_DATE.finditer(text):
            if _valid_month_day(int(m.group(1)), int(m.group(2))):
                out.append(self._result(text, m.start(), m.end(), 0.85))
        for m in _MONTH_YEAR.finditer(text):
            if _has_birth_context(text, m.start()):
                out.append(self._result(text, m.start(), m.end(), 0.8))
        for m in _DIGIT_RUN.finditer(text):
            d = m.group(1)
            if _has_birth_context(text, m.start()) and _valid_month_day(int(d[:2]), int(d[2:4])):
                out.append(self._result(text, m.start(), m.end(), 0.8))
        return out

    @staticmethod
    def _result(text: str, start: int, end: int, score: float) -> RecognizerResult:
        # A date of birth is the patient's own: surer, and it must win over a number reading.
        if _has_birth_context(text, start):
            score = min(0.99, score + 0.12)
        return RecognizerResult("DATE", start, end, score)


class AgeRecognizer(_Base):
    """ "54 year old", "fifty four years old", "aged 54", "54 years of age", "54 y/o"."""

    ENTITIES = ("AGE",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in _AGE.finditer(text):
            group = next(g for g in range(1, 5) if m.group(g) is not None)
            if int(m.group(group)) > 125:
                continue
            # "aged 45": the number is the age; "45 year old", "45 years of age": the whole phrase
            start, end = (m.start(group), m.end(group)) if group == 3 else (m.start(), m.end())
            out.append(RecognizerResult("AGE", start, end, 0.85))
        return out


class GenderRecognizer(_Base):
    """Gender words: "male", "female", …, and "man"/"woman"/… right after an age or "is a"."""

    ENTITIES = ("GENDER",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out = [RecognizerResult("GENDER", m.start(), m.end(), 0.7) for m in _GENDER_WORD.finditer(text)]
        out += [RecognizerResult("GENDER", m.start(1), m.end(1), 0.7) for m in _GENDER_NOUN.finditer(text)]
        return out


def _identifier_after(text: str, pos: int) -> tuple[int, int] | None:
    """The identifier that starts at ``pos``: up to four space-separated tokens of digits or short
    letter groups, ending in a token with a digit; at least three digits and four characters."""
    tokens: list[re.Match[str]] = []
    gap_from = pos
    for tok in _ID_TOKEN.finditer(text, pos):
        if text[gap_from:tok.start()].strip() or len(tokens) == _MAX_ID_TOKENS:
            break  # something other than spaces before it, or long enough
        if not any(c.isdigit() for c in tok.group()) and len(tok.group()) > 3:
            break  # a word, not part of the identifier
        tokens.append(tok)
        gap_from = tok.end()
    while tokens and not any(c.isdigit() for c in tokens[-1].group()):
        tokens.pop()  # trailing letters belong to what is said next
    if not tokens:
        return None
    value = text[tokens[0].start():tokens[-1].end()]
    if sum(c.isdigit() for c in value) < 3 or len(re.sub(r"\W", "", value)) < 4:
        return None
    return tokens[0].start(), tokens[-1].end()


class IdNumberRecognizer(_Base):
    """Medical record, insurance, beneficiary, licence and certificate numbers after a phrase that
    names them ("medical record number is 4 5 6 …", "MRN AB12345", "member ID …")."""

    ENTITIES = ("ID_NUMBER",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        return list(_after_leads(text, _ID_LEAD, "ID_NUMBER", 0.95))


class VehicleRecognizer(_Base):
    """Licence plates and vehicle identification numbers after a phrase that names them."""

    ENTITIES = ("VEHICLE_ID",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        return list(_after_leads(text, _VEHICLE_LEAD, "VEHICLE_ID", 0.9))


def _after_leads(text: str, lead: re.Pattern[str], kind: str, score: float) -> Iterator[RecognizerResult]:
    for m in lead.finditer(text):
        span = _identifier_after(text, m.end())
        if span is not None:
            yield RecognizerResult(kind, span[0], span[1], score)


class FacilityRecognizer(_Base):
    """Names of hospitals, clinics and practices: capitalised words before "Hospital", "Clinic",
    "Medical Center" … ("Mercy General Hospital", "Saint Mary's Medical Center")."""

    ENTITIES = ("FACILITY",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in _FACILITY.finditer(text):
            words = m.group(1).split()
            # keep the capitalised name words nearest the suffix; "the", "at" … end the name
            keep = 0
            for w in reversed(words):
                if w in _FACILITY_STOP or not _FACILITY_WORD.fullmatch(w) or not w[0].isupper():
                    break
                keep += 1
            if keep == 0:
                continue
            start = m.start(1) + len(" ".join(words[:len(words) - keep])) + (1 if keep < len(words) else 0)
            out.append(RecognizerResult("FACILITY", start, m.end(), 0.9))
        return out


class UrlRecognizer(_Base):
    """Web addresses, written ("example.com/portal") or spoken ("www dot example dot com")."""

    ENTITIES = ("URL",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        return [RecognizerResult("URL", m.start(), m.end(), 0.85) for m in _URL.finditer(text)]


class IpAddressRecognizer(_Base):
    """IPv4 addresses, written or spoken with "dot"/"point"."""

    ENTITIES = ("IP_ADDRESS",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in _IP.finditer(text):
            if all(int(p) <= 255 for p in _IP_PART.findall(m.group())):
                out.append(RecognizerResult("IP_ADDRESS", m.start(), m.end(), 0.9))
        return out


PHI_RECOGNIZERS = (DateRecognizer, AgeRecognizer, GenderRecognizer, IdNumberRecognizer, VehicleRecognizer,
                   FacilityRecognizer, UrlRecognizer, IpAddressRecognizer)
