"""All tables; importing this package registers them on ``Base.metadata``."""

from services.db.models.jobs import TranscriptionJob
from services.db.models.language_models import LanguageModel
from services.db.models.tags import Tag
from services.db.models.vocabularies import Vocabulary
from services.db.models.vocabulary_filters import VocabularyFilter

__all__ = ["LanguageModel", "Tag", "TranscriptionJob", "Vocabulary", "VocabularyFilter"]
