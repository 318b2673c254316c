"""TranscriptFormat ``spoken``: numbers, currency, times and symbols rendered as the words spoken.

AWS documents the two formats as: ``written`` renders numbers, dates and other alphanumeric
entities in their standard written form (``$50``, ``10:30 AM``, ``101``); ``spoken`` renders them
as words, as they were spoken (``fifty dollars``, ``ten thirty a m``, ``one oh one``). Whisper
writes the written form, so the spoken form is derived from it here, item by item, with
``num2words`` (pure Python, many languages). One written item can become several spoken items
("$50" → "fifty", "dollars"); they share the written item's time span evenly and keep its
confidence, stability and filter flags.

What cannot be recovered from the written form is taken in its most common reading: "101" is
"one hundred and one" (the speaker may have said "one oh one"), a four-digit number from 1100 to
2099 is read as a year ("nineteen eighty-one"), "1030" as a number. Currency words, a.m./p.m. and
the percent sign are English; numbers are converted in every language num2words knows (the
session's language), and left as digits in the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from services.streaming.results import PRONUNCIATION, Item

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CURRENCY = re.compile(r"^([$£€¥])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?)$")
_PERCENT = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)%$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$", re.IGNORECASE)
_MERIDIEM = re.compile(r"^([ap])\.?m\.?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")

#: Currency symbol → (singular, plural, minor unit plural), English.
_CURRENCIES = {
    "$": ("dollar", "dollars", "cents"),
    "£": ("pound", "pounds", "pence"),
    "€": ("euro", "euros", "cents"),
    "¥": ("yen", "yen", "sen"),
}
_SYMBOLS = {"&": "and", "%": "percent", "+": "plus", "=": "equals", "@": "at"}


def _converter(language: str | None) -> Callable[..., str] | None:
    """num2words for the session's language (Whisper code, e.g. "en"), or None if it has none."""
    from num2words import CONVERTER_CLASSES, num2words

    lang = (language or "en").split("-")[0].lower()
    if lang not in CONVERTER_CLASSES:
        return None

    def say(number: int | float, to: str = "cardinal") -> str:
        return str(num2words(number, lang=lang, to=to))

    return say


def _number(text: str) -> int | float:
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def spoken_words(content: str, language: str | None) -> list[str] | None:
    """The spoken words for one written item, or None when it has nothing to convert."""
    say = _converter(language)
    english = (language or "en").split("-")[0].lower() == "en"
    words: str | None = None
    if english and (m := _MERIDIEM.match(content)):
        return [m.group(1).lower(), "m"]
    if english and content in _SYMBOLS:
        return [_SYMBOLS[content]]
    if say is None or not any(ch.isdigit() for ch in content):
        return None
    if english and (m := _CURRENCY.match(content)):
        one, many, minor = _CURRENCIES[m.group(1)]
        whole, _, cents = m.group(2).replace(",", "").partition(".")
        words = f"{say(int(whole))} {one if int(whole) == 1 else many}"
        if cents and int(cents):
            words += f" {say(int(cents.ljust(2, '0')))} {minor}"
    elif english and (m := _PERCENT.match(content)):
        words = f"{say(_number(m.group(1)))} percent"
    elif (m := _TIME.match(content)) and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        hour, minute = int(m.group(1)), int(m.group(2))
        words = say(hour)
        if minute:
            words += (" oh " if english and minute < 10 else " ") + say(minute)
    elif english and (m := _ORDINAL.match(content)):
        words = say(int(m.group(1)), "ordinal")
    elif _NUMBER.match(content):
        value = _number(content)
        is_year = isinstance(value, int) and "," not in content and 1100 <= value <= 2099
        words = say(value, "year") if is_year else say(value)
    else:  # digits inside a word ("COVID-19", "3D"): each run of digits becomes its number
        spaced = _DIGITS.sub(lambda d: f" {say(int(d.group()))} ", content)
        return [w.strip("-/") for w in spaced.replace(",", " ").split() if w.strip("-/")]
    return [w for w in words.replace(",", " ").split() if w]


def to_spoken(items: list[Item], language: str | None) -> list[Item]:
    """Items in spoken form: each converted written item replaced by one item per spoken word."""
    out: list[Item] = []
    for item in items:
        words = spoken_words(item["Content"], language) if item["Type"] == PRONUNCIATION else None
        if not words:
            out.append(item)
            continue
        start, end = float(item["StartTime"]), float(item["EndTime"])
        step = (end - start) / len(words)
        for i, word in enumerate(words):
            out.append(
                {
                    **item,
                    "Content": word,
                    "StartTime": round(start + i * step, 3),
                    "EndTime": round(end if i == len(words) - 1 else start + (i + 1) * step, 3),
                }
            )
    return out
