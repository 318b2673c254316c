"""The one AWS error hierarchy.

Every expected failure is an ``AwsError`` carrying the wire code, HTTP status and message; the
protocol layer serialises it (``__type`` + ``Message`` + ``x-amzn-ErrorType``). Anything else that
escapes a handler is a bug and becomes ``InternalFailureException``.
"""

from __future__ import annotations


class AwsError(Exception):
    code: str = "InternalFailureException"
    status: int = 500
    #: JSON key for the message. Modeled Transcribe errors use ``Message``; auth errors ``message``.
    message_key: str = "Message"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestException(AwsError):
    code, status = "BadRequestException", 400


class ConflictException(AwsError):
    code, status = "ConflictException", 409


class NotFoundException(AwsError):
    code, status = "NotFoundException", 404


class LimitExceededException(AwsError):
    code, status = "LimitExceededException", 429


class InternalFailureException(AwsError):
    code, status = "InternalFailureException", 500


class ServiceUnavailableException(AwsError):
    code, status = "ServiceUnavailableException", 503


# --- protocol-level errors (not in the Transcribe model; standard AWS JSON 1.1 codes) -------------


class SerializationException(AwsError):
    code, status = "SerializationException", 400


class UnknownOperationException(AwsError):
    code, status = "UnknownOperationException", 400


class NotImplementedOperation(AwsError):
    """An operation that exists in the model but that Harken does not serve (yet)."""

    code, status = "NotImplementedException", 501


class UnsupportedMediaTypeException(AwsError):
    code, status = "UnsupportedMediaTypeException", 415


class MissingAuthenticationTokenException(AwsError):
    code, status, message_key = "MissingAuthenticationTokenException", 403, "message"


class IncompleteSignatureException(AwsError):
    code, status, message_key = "IncompleteSignatureException", 403, "message"


class InvalidSignatureException(AwsError):
    code, status, message_key = "InvalidSignatureException", 403, "message"


class UnrecognizedClientException(AwsError):
    code, status, message_key = "UnrecognizedClientException", 403, "message"


class AccessDeniedException(AwsError):
    code, status, message_key = "AccessDeniedException", 403, "message"


class ThrottlingException(AwsError):
    code, status, message_key = "ThrottlingException", 400, "message"


class RequestEntityTooLargeException(AwsError):
    code, status = "RequestEntityTooLargeException", 413
