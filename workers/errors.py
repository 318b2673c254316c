"""Which failures are worth retrying, and the FailureReason texts a job can end with.

The split matters for cost: retrying bad media or a bug re-runs an expensive transcription for
nothing, while giving up on a blip of S3, Postgres or Redis fails a job the user did nothing wrong
with. Anything not recognised as transient fails the job at once.
"""

from __future__ import annotations

import builtins

#: AWS's text when the media object cannot be read (missing key or bucket, or no permission) [R].
MEDIA_UNREACHABLE = ("The S3 URI that you provided can't be accessed. Make sure that you have read "
                     "permission and try your request again.")
#: AWS's FailureReason for media above the size limit [R].
MEDIA_TOO_LARGE = "Invalid file size: file size too large. Maximum audio file size is 2GB."
#: Output bucket missing or not writable [R: AWS refuses this at Start when it can check].
OUTPUT_UNWRITABLE = ("The output location that you specified can't be written to. Check the "
                     "OutputBucketName and your permissions and try your request again.")
#: What a job shows once its attempts are spent or the worker hit an unexpected error.
INTERNAL_FAILURE = "An internal error occurred while processing the job. Try your request again."

_TRANSIENT_S3_CODES = {
    "SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestTimeTooSkewed",
    "InternalError", "ServiceUnavailable", "503", "500", "502", "504",
}
_MISSING_CODES = {"NoSuchKey", "NoSuchBucket", "NotFound", "404", "AccessDenied", "403", "Forbidden"}


class TransientError(Exception):
    """Wraps a retryable failure so Celery's ``autoretry_for`` has a single type to match."""


class JobFailure(Exception):
    """A permanent failure with the FailureReason the job must show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def s3_error_code(exc: BaseException) -> str | None:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return str(err.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
    return None


def is_missing(exc: BaseException) -> bool:
    return s3_error_code(exc) in _MISSING_CODES


def is_transient(exc: BaseException) -> bool:
    from botocore.exceptions import (
        ClientError,
        ConnectionClosedError,
        ConnectTimeoutError,
        EndpointConnectionError,
        HTTPClientError,
        ReadTimeoutError,
    )
    from kombu.exceptions import OperationalError as KombuOperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, TransientError):
        return True
    if isinstance(exc, ClientError):
        code = s3_error_code(exc)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return code in _TRANSIENT_S3_CODES or int(status or 0) >= 500
    if isinstance(exc, EndpointConnectionError | ConnectionClosedError | ConnectTimeoutError
                  | ReadTimeoutError | HTTPClientError):
        return True
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, RedisConnectionError | RedisTimeoutError | KombuOperationalError):
        return True
    return isinstance(exc, builtins.ConnectionError | builtins.TimeoutError)
