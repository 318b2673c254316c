"""Checks a claimed job must pass before any media is fetched, because the world moved since Start.

A QUEUED job can wait hours for a slot. Meanwhile its vocabulary, filter or language model may be
deleted (AWS lets you: Delete* has no "in use" error) and the operator may narrow the account's
bucket policy. AWS then fails the job when it starts rather than running it without the
customisation; Harken does the same, with the message Start would have given, by re-running the
same reference rules Start ran (``services.transcribe.jobs.service.check_references``) and the
same bucket policy (``services.storage.access``).
"""

from __future__ import annotations

from services.core.errors import AwsError
from services.core.settings import get_settings
from services.db.session import unit_of_work
from services.storage import access
from services.storage.uris import parse_media_uri
from services.transcribe.context import RequestContext
from workers.errors import MEDIA_UNREACHABLE, OUTPUT_UNWRITABLE, JobFailure
from workers.leases import ClaimedJob


def check_claimed_job(job: ClaimedJob) -> None:
    """Raise JobFailure with the FailureReason the job must show, or return when it may run."""
    settings = get_settings()
    media = (job.request.get("Media") or {}).get("MediaFileUri", "")
    loc = parse_media_uri(media, endpoint_url=settings.s3.endpoint_url)
    if loc is None or not access.can_read(settings, job.account_id, loc.bucket, loc.key):
        raise JobFailure(MEDIA_UNREACHABLE)
    out = job.request.get("OutputBucketName")
    if out and not access.can_write(settings, job.account_id, out):
        raise JobFailure(OUTPUT_UNWRITABLE)
    if job.medical:
        return  # medical jobs name medical vocabularies only; their rules live with medical jobs
    from services.transcribe.jobs.service import check_references

    with unit_of_work() as session:
        ctx = RequestContext(account_id=job.account_id, region=job.region, request_id=f"job-{job.id}",
                             session=session, settings=settings)
        try:
            check_references(ctx, job.request)
        except AwsError as exc:
            raise JobFailure(exc.message) from None
