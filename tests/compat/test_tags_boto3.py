"""TagResource / UntagResource / ListTagsForResource by ARN, through boto3."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import stack

ARN = f"arn:aws:transcribe:us-east-1:{stack.ACCOUNT_A}:transcription-job/tagged"


@pytest.fixture()
def tagged_job(transcribe: Any, clean_db: None) -> str:
    transcribe.start_transcription_job(TranscriptionJobName="tagged", LanguageCode="en-US",
                                       Media={"MediaFileUri": "s3://customer-media/audio/en-gb.wav"},
                                       Tags=[{"Key": "a", "Value": "1"}])
    return ARN


def test_tag_untag_list(transcribe: Any, tagged_job: str) -> None:
    assert transcribe.list_tags_for_resource(ResourceArn=tagged_job)["Tags"] == [{"Key": "a", "Value": "1"}]
    transcribe.tag_resource(ResourceArn=tagged_job, Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": ""}])
    resp = transcribe.list_tags_for_resource(ResourceArn=tagged_job)
    assert resp["ResourceArn"] == tagged_job
    assert sorted((t["Key"], t["Value"]) for t in resp["Tags"]) == [("a", "2"), ("b", "")]
    transcribe.untag_resource(ResourceArn=tagged_job, TagKeys=["a", "missing"])
    assert transcribe.list_tags_for_resource(ResourceArn=tagged_job)["Tags"] == [{"Key": "b", "Value": ""}]
    job = transcribe.get_transcription_job(TranscriptionJobName="tagged")["TranscriptionJob"]
    assert job["Tags"] == [{"Key": "b", "Value": ""}]


def test_unknown_resource_and_foreign_account(transcribe: Any, transcribe_b: Any, tagged_job: str) -> None:
    with pytest.raises(transcribe.exceptions.NotFoundException):
        transcribe.list_tags_for_resource(ResourceArn=tagged_job.replace("tagged", "other"))
    with pytest.raises(transcribe_b.exceptions.NotFoundException):  # B can't see A's job through its ARN
        transcribe_b.tag_resource(ResourceArn=tagged_job, Tags=[{"Key": "x", "Value": "y"}])
    b_arn = tagged_job.replace(stack.ACCOUNT_A, stack.ACCOUNT_B)
    with pytest.raises(transcribe_b.exceptions.NotFoundException):
        transcribe_b.list_tags_for_resource(ResourceArn=b_arn)
    assert transcribe.list_tags_for_resource(ResourceArn=tagged_job)["Tags"] == [{"Key": "a", "Value": "1"}]


def test_tag_limit(transcribe: Any, tagged_job: str) -> None:
    transcribe.tag_resource(ResourceArn=tagged_job, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(199)])
    with pytest.raises(transcribe.exceptions.BadRequestException, match="at most 200 tags"):
        transcribe.tag_resource(ResourceArn=tagged_job, Tags=[{"Key": "one-too-many", "Value": "v"}])


def test_tags_go_with_the_job(transcribe: Any, tagged_job: str, db: Any) -> None:
    from services.db.models import Tag, TranscriptionJob

    db.query(TranscriptionJob).filter_by(name="tagged").update({"status": "FAILED"})
    db.commit()
    transcribe.delete_transcription_job(TranscriptionJobName="tagged")
    assert db.query(Tag).count() == 0
    with pytest.raises(transcribe.exceptions.NotFoundException):
        transcribe.list_tags_for_resource(ResourceArn=tagged_job)
