"""Control-plane resources a stream names (vocabularies, filters, language models), read from Postgres.

Lookups run once when the stream opens, in a thread (SQLAlchemy is synchronous), and follow the
batch API's rules: names are per account, a vocabulary must be READY and in the stream's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from services.core.errors import BadRequestException
from services.db.models.language_models import LanguageModel
from services.db.models.vocabularies import Vocabulary as VocabularyRow
from services.db.models.vocabulary_filters import VocabularyFilter
from services.streaming.params import StreamParams
from services.streaming.session import Vocabulary


@lru_cache(maxsize=4)
def _sessions(db_url: str) -> sessionmaker[Session]:
    """A small pool of its own: lookups happen once per stream open, never on the audio path."""
    return sessionmaker(bind=create_engine(db_url, pool_size=2, max_overflow=4, pool_pre_ping=True))


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in phrase.replace("-", " ").split())


def load_vocabulary(db_url: str, account_id: str, params: StreamParams) -> Vocabulary:
    names: Sequence[str] = params.vocabulary_names or ((params.vocabulary_name,) if params.vocabulary_name else ())
    vocab = Vocabulary()
    if not names and not params.vocabulary_filter_name and not params.vocabulary_filter_names \
            and not params.language_model_name:
        return vocab
    with _sessions(db_url)() as db:
        hot: list[str] = []
        for name in names:
            row = db.scalars(select(VocabularyRow).where(
                VocabularyRow.account_id == account_id, VocabularyRow.medical.is_(False),
                VocabularyRow.name == name)).first()
            if row is None:
                raise BadRequestException(
                    "The requested vocabulary couldn't be found. Check the vocabulary name and try your "
                    "request again.")
            if row.state != "READY":
                raise BadRequestException(
                    f"The vocabulary {name} is not ready to use. Its state is {row.state}; wait until it "
                    "is READY.")
            if params.language_code and row.language_code != params.language_code:
                raise BadRequestException(
                    f"The language code of the vocabulary {name} ({row.language_code}) doesn't match the "
                    f"language code of the stream ({params.language_code}).")
            if params.language_options and row.language_code not in params.language_options:
                raise BadRequestException(
                    f"The language of the vocabulary {name} ({row.language_code}) is not one of the "
                    "LanguageOptions.")
            for entry in row.entries or []:
                phrase = str(entry.get("phrase") or "").strip()
                if not phrase:
                    continue
                spoken = phrase.replace("-", " ")
                if spoken not in hot:
                    hot.append(spoken)
                display = entry.get("display_as")
                vocab.display.append((_phrase_words(phrase), str(display) if display else spoken))
        vocab.hotwords = " ".join(hot)
        for fname in params.vocabulary_filter_names or (
                (params.vocabulary_filter_name,) if params.vocabulary_filter_name else ()):
            frow = db.scalars(select(VocabularyFilter).where(
                VocabularyFilter.account_id == account_id, VocabularyFilter.name == fname)).first()
            if frow is None:
                raise BadRequestException(
                    "The requested vocabulary filter couldn't be found. Check the vocabulary filter name "
                    "and try your request again.")
            if params.language_code and frow.language_code != params.language_code:
                raise BadRequestException(
                    f"The language code of the vocabulary filter {fname} ({frow.language_code}) doesn't match "
                    f"the language code of the stream ({params.language_code}).")
            vocab.filter_words += [str(w) for w in frow.words or [] if str(w) not in vocab.filter_words]
        if params.language_model_name:
            lm = db.scalars(select(LanguageModel).where(
                LanguageModel.account_id == account_id,
                LanguageModel.name == params.language_model_name)).first()
            if lm is None:
                raise BadRequestException(
                    "The requested language model couldn't be found. Check the language model name and "
                    "try your request again.")
            if lm.status != "COMPLETED":
                raise BadRequestException(
                    f"The language model {lm.name} is not ready to use. Its status is {lm.status}.")
            if params.language_code and lm.language_code != params.language_code:
                raise BadRequestException(
                    f"The language code of the language model {lm.name} ({lm.language_code}) doesn't match "
                    f"the language code of the stream ({params.language_code}).")
            vocab.initial_prompt = str((lm.artifacts or {}).get("prompt") or "")
    return vocab
