"""Medical transcription job operations and errors through an unmodified boto3 client.

No worker runs here: jobs stay IN_PROGRESS unless a test moves them on in the database. The
end-to-end behaviour (transcripts, dictation, vocabularies) is in test_medical_e2e.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError

from services.db.models import TranscriptionJob, Vocabulary
from tests.compat.resource_support import unique
from tests.support import stack

MEDIA = {"MediaFileUri": "s3://customer-media/audio/en-gb.wav"}
NOT_FOUND = "The requested job couldn't be found. Check the job name and try your request again."
VOCAB_NOT_FOUND = ("The requested vocabulary couldn't be found. Check the vocabulary name and try your "
                   "request again.")


def start(client: Any, name: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("LanguageCode", "en-US")
    kw.setdefault("Specialty", "PRIMARYCARE")
    kw.setdefault("Type", "DICTATION")
    kw.setdefault("OutputBucketName", "customer-out")
    kw.setdefault("Media", MEDIA)
    return client.start_medical_transcription_job(MedicalTranscriptionJobName=name, **kw)["MedicalTranscriptionJob"]


def bad_request(client: Any, **kw: Any) -> str:
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        start(client, unique("bad"), **kw)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return str(exc.value.response["Error"]["Message"])


def set_status(db: Any, name: str, status: str, **values: Any) -> None:
    db.query(TranscriptionJob).filter_by(name=name, medical=True).update({"status": status, **values})
    db.commit()


def test_start_returns_in_progress(transcribe: Any) -> None:
    name = unique("start")
    job = start(transcribe, name, MediaFormat="wav")
    assert job["MedicalTranscriptionJobName"] == name and job["TranscriptionJobStatus"] == "IN_PROGRESS"
    assert job["LanguageCode"] == "en-US" and job["MediaFormat"] == "wav" and job["Media"] == MEDIA
    assert job["Specialty"] == "PRIMARYCARE" and job["Type"] == "DICTATION"
    assert isinstance(job["CreationTime"], dt.datetime) and isinstance(job["StartTime"], dt.datetime)
    assert "Transcript" not in job and "CompletionTime" not in job and "ContentIdentificationType" not in job
    assert job["Settings"] == {"ChannelIdentification": False, "ShowAlternatives": False}


def test_get_echoes_request_and_tags(transcribe: Any) -> None:
    name = unique("get")
    start(transcribe, name, Type="CONVERSATION", OutputKey="notes/", MediaSampleRateHertz=16000,
          Tags=[{"Key": "clinic", "Value": "north"}])
    job = transcribe.get_medical_transcription_job(MedicalTranscriptionJobName=name)["MedicalTranscriptionJob"]
    assert job["Type"] == "CONVERSATION" and job["MediaSampleRateHertz"] == 16000
    assert job["Tags"] == [{"Key": "clinic", "Value": "north"}]
    arn = f"arn:aws:transcribe:us-east-1:{stack.ACCOUNT_A}:medical-transcription-job/{name}"
    assert transcribe.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "clinic", "Value": "north"}]


def test_completed_job_reports_customer_bucket_uri(transcribe: Any, db: Any) -> None:
    name = unique("done")
    start(transcribe, name, OutputKey="dictations/today")
    set_status(db, name, "COMPLETED", completion_time=dt.datetime.now(dt.UTC).replace(tzinfo=None),
               outputs={"location_type": "CUSTOMER_BUCKET",
                        "transcript": {"bucket": "customer-out", "key": f"dictations/today/{name}.json"},
                        "subtitles": []})
    job = transcribe.get_medical_transcription_job(MedicalTranscriptionJobName=name)["MedicalTranscriptionJob"]
    uri = job["Transcript"]["TranscriptFileUri"]
    assert uri.endswith(f"/customer-out/dictations/today/{name}.json") and "X-Amz-Signature" not in uri
    summary = transcribe.list_medical_transcription_jobs(JobNameContains=name)["MedicalTranscriptionJobSummaries"]
    assert summary[0]["OutputLocationType"] == "CUSTOMER_BUCKET" and summary[0]["TranscriptionJobStatus"] == "COMPLETED"


def test_own_name_space_beside_general_jobs(transcribe: Any) -> None:
    name = unique("shared")
    transcribe.start_transcription_job(TranscriptionJobName=name, Media=MEDIA, LanguageCode="en-US")
    start(transcribe, name)  # a medical job may share a general job's name
    with pytest.raises(transcribe.exceptions.ConflictException) as exc:
        start(transcribe, name)
    assert exc.value.response["Error"]["Message"] == ("The requested job name already exists. Use a different "
                                                      "job name.")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    general = transcribe.list_transcription_jobs(JobNameContains=name)["TranscriptionJobSummaries"]
    medical = transcribe.list_medical_transcription_jobs(JobNameContains=name)["MedicalTranscriptionJobSummaries"]
    assert [j["TranscriptionJobName"] for j in general] == [name]
    assert [j["MedicalTranscriptionJobName"] for j in medical] == [name]
    general_job = transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
    assert general_job["TranscriptionJobName"] == name


def test_list_filters_pages_and_echoes_status(transcribe: Any, db: Any) -> None:
    prefix = unique("page")
    names = [f"{prefix}-{i}" for i in range(3)]
    for n in names:
        start(transcribe, n)
    set_status(db, names[0], "FAILED", failure_reason="bad media")
    first = transcribe.list_medical_transcription_jobs(JobNameContains=prefix.upper(), MaxResults=2)
    assert [j["MedicalTranscriptionJobName"] for j in first["MedicalTranscriptionJobSummaries"]] == names[:0:-1]
    second = transcribe.list_medical_transcription_jobs(JobNameContains=prefix.upper(), MaxResults=2,
                                                        NextToken=first["NextToken"])
    assert [j["MedicalTranscriptionJobName"] for j in second["MedicalTranscriptionJobSummaries"]] == names[:1]
    assert "NextToken" not in second
    failed = transcribe.list_medical_transcription_jobs(JobNameContains=prefix, Status="FAILED")
    assert failed["Status"] == "FAILED"
    [summary] = failed["MedicalTranscriptionJobSummaries"]
    assert summary["FailureReason"] == "bad media" and summary["Specialty"] == "PRIMARYCARE"
    assert summary["Type"] == "DICTATION" and summary["LanguageCode"] == "en-US"
    with pytest.raises(transcribe.exceptions.BadRequestException, match="NextToken"):
        transcribe.list_medical_transcription_jobs(JobNameContains=prefix, Status="COMPLETED",
                                                   NextToken=first["NextToken"])


def test_delete(transcribe: Any, db: Any) -> None:
    name = unique("del")
    start(transcribe, name, Tags=[{"Key": "k", "Value": "v"}])
    with pytest.raises(transcribe.exceptions.BadRequestException, match="IN_PROGRESS"):
        transcribe.delete_medical_transcription_job(MedicalTranscriptionJobName=name)
    set_status(db, name, "FAILED", failure_reason="x")
    assert set(transcribe.delete_medical_transcription_job(MedicalTranscriptionJobName=name)) == {"ResponseMetadata"}
    for call in (transcribe.get_medical_transcription_job, transcribe.delete_medical_transcription_job):
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            call(MedicalTranscriptionJobName=name)
        assert exc.value.response["Error"]["Message"] == NOT_FOUND
    arn = f"arn:aws:transcribe:us-east-1:{stack.ACCOUNT_A}:medical-transcription-job/{name}"
    with pytest.raises(transcribe.exceptions.NotFoundException):
        transcribe.list_tags_for_resource(ResourceArn=arn)


def test_accounts_are_isolated(transcribe: Any, transcribe_b: Any) -> None:
    name = unique("tenant")
    start(transcribe, name)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.get_medical_transcription_job(MedicalTranscriptionJobName=name)
    listed = transcribe_b.list_medical_transcription_jobs(JobNameContains=name)
    assert listed["MedicalTranscriptionJobSummaries"] == []
    start(transcribe_b, name)  # the same name in another account is another job


def test_request_rules(transcribe: Any) -> None:
    assert "en-US" in bad_request(transcribe, LanguageCode="en-GB")
    assert "ShowSpeakerLabels" in bad_request(transcribe, Settings={"ShowSpeakerLabels": True,
                                                                     "ChannelIdentification": True})
    assert "MaxSpeakerLabels" in bad_request(transcribe, Settings={"ShowSpeakerLabels": True})
    assert "ShowSpeakerLabels" in bad_request(transcribe, Settings={"MaxSpeakerLabels": 2})
    assert "MaxAlternatives" in bad_request(transcribe, Settings={"ShowAlternatives": True})
    assert "KMSEncryptionContext" in bad_request(transcribe, KMSEncryptionContext={"a": "b"})
    assert "OutputKey" in bad_request(transcribe, OutputKey="a//b")
    assert "RedactedMediaFileUri" in bad_request(
        transcribe, Media={"MediaFileUri": MEDIA["MediaFileUri"], "RedactedMediaFileUri": "s3://b/k.wav"})
    assert "MediaFileUri" in bad_request(transcribe, Media={})
    assert "S3 URI" in bad_request(transcribe, Media={"MediaFileUri": "https://example.com/a.wav"})
    # Model constraints the client does not check: enums, ranges, patterns.
    assert "specialty" in bad_request(transcribe, Specialty="CARDIOLOGY").lower()
    assert "type" in bad_request(transcribe, Type="NOTES").lower()
    assert "mediaSampleRateHertz" in bad_request(transcribe, MediaSampleRateHertz=96000)
    assert "outputBucketName" in bad_request(transcribe, OutputBucketName="Not_A_Bucket")
    assert "contentIdentificationType" in bad_request(transcribe, ContentIdentificationType="PII")


def test_speaker_channel_and_alternative_settings_are_accepted_and_echoed(transcribe: Any) -> None:
    for settings in ({"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2}, {"ChannelIdentification": True},
                     {"ShowAlternatives": True, "MaxAlternatives": 3}):
        name = unique("settings")
        start(transcribe, name, Type="CONVERSATION", Settings=settings)
        job = transcribe.get_medical_transcription_job(MedicalTranscriptionJobName=name)["MedicalTranscriptionJob"]
        assert all(job["Settings"][k] == v for k, v in settings.items()), job["Settings"]
    # Explicitly off is fine too.
    start(transcribe, unique("off"), Settings={"ShowSpeakerLabels": False, "ChannelIdentification": False,
                                                "ShowAlternatives": False})
    too_many = {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 31}
    assert "settings.maxSpeakerLabels" in bad_request(transcribe, Settings=too_many)


def test_phi_identification_is_accepted_and_echoed(transcribe: Any) -> None:
    name = unique("phi")
    job = start(transcribe, name, Type="CONVERSATION", ContentIdentificationType="PHI")
    assert job["ContentIdentificationType"] == "PHI"
    got = transcribe.get_medical_transcription_job(MedicalTranscriptionJobName=name)["MedicalTranscriptionJob"]
    assert got["ContentIdentificationType"] == "PHI"
    summary = transcribe.list_medical_transcription_jobs(JobNameContains=name)["MedicalTranscriptionJobSummaries"]
    assert summary[0]["ContentIdentificationType"] == "PHI"
    # PHI is the only kind the model defines; PII is a general-job (redaction) parameter.
    assert "contentIdentificationType" in bad_request(transcribe, ContentIdentificationType="PII")
    assert "contentIdentificationType" in bad_request(transcribe, ContentIdentificationType="phi")


def test_required_members_are_checked_by_the_client(transcribe: Any) -> None:
    with pytest.raises(ParamValidationError, match="OutputBucketName"):
        transcribe.start_medical_transcription_job(MedicalTranscriptionJobName="x", LanguageCode="en-US",
                                                   Media=MEDIA, Specialty="PRIMARYCARE", Type="DICTATION")


def test_medical_vocabulary_must_exist_and_be_ready(transcribe: Any, db: Any) -> None:
    assert bad_request(transcribe, Settings={"VocabularyName": unique("nope")}) == VOCAB_NOT_FOUND
    name = unique("pending")
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["x"])
    # A general vocabulary of that name is not a medical one.
    assert bad_request(transcribe, Settings={"VocabularyName": name}) == VOCAB_NOT_FOUND
    db.add(Vocabulary(account_id=stack.ACCOUNT_A, region="us-east-1", medical=True, name=name,
                      language_code="en-US", state="PENDING", file_uri="s3://b/k",
                      last_modified_time=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    db.commit()
    assert "isn't ready" in bad_request(transcribe, Settings={"VocabularyName": name})
    db.query(Vocabulary).filter_by(name=name, medical=True).update({"state": "READY", "entries": []})
    db.commit()
    job = start(transcribe, unique("vocab"), Settings={"VocabularyName": name})
    assert job["Settings"]["VocabularyName"] == name


def test_concurrency_limit(transcribe: Any, gateway_settings: Any, monkeypatch: pytest.MonkeyPatch,
                           clean_db: None) -> None:
    monkeypatch.setattr(gateway_settings.limits, "max_concurrent_jobs", 1)
    start(transcribe, unique("slot"))
    transcribe.start_transcription_job(TranscriptionJobName=unique("general"), Media=MEDIA, LanguageCode="en-US")
    with pytest.raises(transcribe.exceptions.LimitExceededException) as exc:
        start(transcribe, unique("over"))
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert "medical transcription jobs" in exc.value.response["Error"]["Message"]
