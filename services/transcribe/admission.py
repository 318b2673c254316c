"""What every API call passes before its handler runs: the account's request rate, and the S3
locations it names.

Called once per request from the dispatcher, after shape validation. Every S3 location a request
can name is checked here, in one table, rather than in each resource family: the URI must resolve
to a bucket and key on Harken's own S3 store (``parse_s3_uri``: no other hosts, no ``..``), the key
Harken would write must stay inside the named bucket and prefix, and the account must be allowed
to read or write that bucket (``services.storage.access``). Handlers still word their own errors
for URIs that name no S3 object at all.
"""

from __future__ import annotations

from typing import Any

from services.core import ratelimit
from services.core.errors import BadRequestException
from services.storage import access
from services.storage.uris import UnsafeS3Uri, key_problem, parse_s3_uri, transcript_key
from services.transcribe.context import RequestContext

S3_UNREADABLE = ("The S3 URI that you provided can't be accessed. Make sure that you have read "
                 "permission and try your request again.")
S3_UNWRITABLE = ("The S3 bucket {bucket} that you specified as OutputBucketName can't be written to. Make "
                 "sure that you have write permission on the bucket and try your request again.")

#: Where each operation names S3 objects Harken will read: (path of members, is a prefix).
READS: dict[str, tuple[tuple[tuple[str, ...], bool], ...]] = {
    "StartTranscriptionJob": ((("Media", "MediaFileUri"), False),),
    "StartMedicalTranscriptionJob": ((("Media", "MediaFileUri"), False),),
    "StartCallAnalyticsJob": ((("Media", "MediaFileUri"), False),),
    "StartMedicalScribeJob": ((("Media", "MediaFileUri"), False),),
    "CreateVocabulary": ((("VocabularyFileUri",), False),),
    "UpdateVocabulary": ((("VocabularyFileUri",), False),),
    "CreateMedicalVocabulary": ((("VocabularyFileUri",), False),),
    "UpdateMedicalVocabulary": ((("VocabularyFileUri",), False),),
    "CreateVocabularyFilter": ((("VocabularyFilterFileUri",), False),),
    "UpdateVocabularyFilter": ((("VocabularyFilterFileUri",), False),),
    "CreateLanguageModel": ((("InputDataConfig", "S3Uri"), True), (("InputDataConfig", "TuningDataS3Uri"), True)),
}
#: Operations that write to OutputBucketName (+ OutputKey), and the member naming the job.
WRITES: dict[str, str] = {
    "StartTranscriptionJob": "TranscriptionJobName",
    "StartMedicalTranscriptionJob": "MedicalTranscriptionJobName",
}


def admit(op: str, ctx: RequestContext, params: dict[str, Any]) -> None:
    ratelimit.check(ctx.settings, ctx.account_id, op)
    for path, prefix in READS.get(op, ()):
        uri = _member(params, path)
        if isinstance(uri, str):
            _check_read(ctx, path[-1], uri, prefix)
    if op in WRITES:
        _check_write(ctx, params, params.get(WRITES[op]))


def _member(params: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = params
    for name in path:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def _check_read(ctx: RequestContext, member: str, uri: str, prefix: bool) -> None:
    endpoint = ctx.settings.s3.endpoint_url
    try:
        if prefix and uri.startswith("s3://"):
            bucket, _, key = uri[5:].partition("/")
            loc = parse_s3_uri(f"s3://{bucket}/{key or '_'}", endpoint_url=endpoint)
        elif prefix:
            loc = parse_s3_uri(uri.rstrip("/") + "/_", endpoint_url=endpoint)
        else:
            loc = parse_s3_uri(uri, endpoint_url=endpoint)
    except UnsafeS3Uri as exc:
        raise BadRequestException(f"The {member} {uri!r} isn't a valid S3 location: {exc}. Specify "
                                  "s3://bucket/key (or an S3 HTTPS URL) and try your request again.") from None
    if loc is None:
        return  # not an S3 location at all: the handler answers with its own wording
    if not access.can_read(ctx.settings, ctx.account_id, loc.bucket, loc.key):
        raise BadRequestException(S3_UNREADABLE)


def _check_write(ctx: RequestContext, params: dict[str, Any], job_name: Any) -> None:
    bucket = params.get("OutputBucketName")
    key = params.get("OutputKey")
    if isinstance(key, str) and key:
        problem = key_problem(key)
        if problem is None and isinstance(job_name, str):
            problem = key_problem(transcript_key(job_name, key))
        if problem:
            raise BadRequestException(f"The OutputKey {key!r} isn't valid: {problem}. Use a key or folder "
                                      "inside your bucket and try your request again.")
    if isinstance(bucket, str) and bucket and not access.can_write(ctx.settings, ctx.account_id, bucket):
        raise BadRequestException(S3_UNWRITABLE.format(bucket=bucket))
