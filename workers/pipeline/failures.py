"""FailureReason texts a transcription job can end with when its media is bad.

Clients compare these strings, so they are AWS's exact wording. Source: the ``FailureReason``
member of ``TranscriptionJob`` in the botocore service model (``service-2.json``), the same text as
https://docs.aws.amazon.com/transcribe/latest/APIReference/API_TranscriptionJob.html. AWS documents
exactly six values; every bad-media case Harken detects is mapped onto one of them rather than
inventing new strings that no client handles.

Limits come from https://docs.aws.amazon.com/transcribe/latest/dg/how-input.html ("Data input and
output": one or two channels; 8,000 Hz for telephone audio, 16,000 to 48,000 Hz otherwise) and
https://docs.aws.amazon.com/transcribe/latest/dg/input.html ("less than 4 hours in length or less
than 2 GB of audio data").
"""

from __future__ import annotations

#: MediaFormat names a format AWS does not accept, or the file's container is not one of AWS's
#: formats, or nothing in the file can be decoded (empty, truncated, not media at all, no audio
#: track). AWS documents no separate reason for corrupt files; it cannot detect a format in them.
UNSUPPORTED_MEDIA_FORMAT = "Unsupported media format"

#: MediaFormat was given and the detected container is a different one.
MEDIA_FORMAT_MISMATCH = "The media format provided does not match the detected media format"

#: MediaSampleRateHertz, or the rate detected in the file, is outside 8,000 to 48,000 Hz.
INVALID_SAMPLE_RATE = "Invalid sample rate for audio file"

#: MediaSampleRateHertz was given and differs from the detected rate.
SAMPLE_RATE_MISMATCH = "The sample rate provided does not match the detected sample rate"

#: Larger than the 2 GB quota, and (Harken's mapping) longer than the 4-hour quota: AWS states both
#: as one quota ("less than 4 hours in length or less than 2 GB") and documents one reason for it.
FILE_TOO_LARGE = "Invalid file size: file size too large"

#: More than two audio channels.
TOO_MANY_CHANNELS = "Invalid number of channels: number of channels too large"

ALL_REASONS = (
    UNSUPPORTED_MEDIA_FORMAT,
    MEDIA_FORMAT_MISMATCH,
    INVALID_SAMPLE_RATE,
    SAMPLE_RATE_MISMATCH,
    FILE_TOO_LARGE,
    TOO_MANY_CHANNELS,
)

MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 48_000
MAX_CHANNELS = 2
MAX_MEDIA_SECONDS = 4 * 3600
MAX_MEDIA_BYTES = 2 * 1024**3
