"""Speaker diarization engines: who spoke when, behind the small ``Diarizer`` protocol (``base``).

``get_diarizer()`` builds the backend named by ``settings.diarization.backend`` once per process:
``embedded`` (resemblyzer's speaker encoder + spectral clustering, CPU, weights from PyPI) or
``pyannote`` (a pyannote.audio pipeline from a folder the operator mounts).
"""

from workers.engines.diarization.base import Diarization, Diarizer, SpeakerTurn, get_diarizer, reset_diarizer

__all__ = ["Diarization", "Diarizer", "SpeakerTurn", "get_diarizer", "reset_diarizer"]
