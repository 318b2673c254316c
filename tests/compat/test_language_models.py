"""Custom language models through real boto3: create → IN_PROGRESS, training run as the worker
runs it → COMPLETED (artifacts stored) or FAILED (with a reason), listing, update, delete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.core.settings import get_settings
from tests.compat.resource_support import error, model_row, tag_rows, train_model, unique

ROLE = "arn:aws:iam::111122223333:role/TranscribeCLM"
NOT_FOUND = ("The requested language model couldn't be found. Check the language model name and try your "
             "request again.")
TRAINING = ("Patients with atrial fibrillation received anticoagulation therapy.\n"
            "Atrial fibrillation increases stroke risk; anticoagulation lowers it.\n"
            "The cardiologist reviewed the echocardiogram and the Holter monitor results.\n"
            "Persistent atrial fibrillation may need cardioversion or catheter ablation.\n"
            "Warfarin and apixaban are common choices for anticoagulation in these patients.\n"
            "After ablation the patient stayed in sinus rhythm for six months.\n"
            "Left atrial appendage occlusion is an option when anticoagulation is unsafe.\n"
            "The echocardiogram showed a dilated left atrium and normal ventricular function.\n"
            "Rate control with a beta blocker eased the palpitations before the ablation.\n"
            "Stroke risk scores guide the decision to start anticoagulation in older patients.\n")


def upload(s3: Any, bucket: str, prefix: str, files: dict[str, bytes]) -> str:
    for name, body in files.items():
        s3.put_object(Bucket=bucket, Key=f"{prefix}/{name}", Body=body)
    return f"s3://{bucket}/{prefix}/"


def create(transcribe: Any, name: str, uri: str, **extra: Any) -> dict[str, Any]:
    return dict(transcribe.create_language_model(
        LanguageCode="en-US", BaseModelName="WideBand", ModelName=name,
        InputDataConfig={"S3Uri": uri, "DataAccessRoleArn": ROLE, **extra.pop("config", {})}, **extra))


def test_training_completes_with_artifacts(transcribe: Any, s3: Any, media_bucket: str) -> None:
    name = unique("clm")
    train = upload(s3, media_bucket, f"clm/{name}/train",
                   {"a.txt": TRAINING.encode(), "b.txt": TRAINING.encode()})
    tune = upload(s3, media_bucket, f"clm/{name}/tune", {"t.txt": b"atrial fibrillation ablation\n"})
    created = create(transcribe, name, train, config={"TuningDataS3Uri": tune},
                     Tags=[{"Key": "domain", "Value": "cardiology"}])
    assert created["ModelStatus"] == "IN_PROGRESS" and created["BaseModelName"] == "WideBand"
    assert created["InputDataConfig"] == {"S3Uri": train, "TuningDataS3Uri": tune, "DataAccessRoleArn": ROLE}
    assert tag_rows("language-model", name) == [("domain", "cardiology")]
    with pytest.raises(transcribe.exceptions.ConflictException):  # no update while training
        transcribe.update_language_model(ModelName=name)

    assert train_model(name) == "COMPLETED"
    assert train_model(name) is None  # idempotent
    model = transcribe.describe_language_model(ModelName=name)["LanguageModel"]
    assert model["ModelStatus"] == "COMPLETED" and model["UpgradeAvailability"] is False
    assert model["LanguageCode"] == "en-US" and model["ModelName"] == name
    assert model["CreateTime"] <= model["LastModifiedTime"] and "FailureReason" not in model
    row = model_row(name)
    summary = row.artifacts
    assert summary["training"]["files"] == 2 and summary["tuning"]["files"] == 1
    assert summary["key"] == f"language-models/{row.account_id}/{row.id}/artifact.json"
    # the full artifact is in the service bucket; the row keeps its head
    full = json.loads(s3.get_object(Bucket=get_settings().s3.service_bucket, Key=summary["key"])["Body"].read())
    assert full["format"] == "harken-clm-v2" and full["terms"][:20] == summary["terms"]
    assert full["phrases"][0]["phrase"].lower() == "atrial fibrillation"
    assert "anticoagulation" in full["prompt"] and full["prompt"].endswith(".")
    # ranked against general English: domain words first, everyday words ("patients") far behind
    ranked = [t["term"].lower() for t in full["terms"]]
    assert ranked.index("anticoagulation") < 5 and "echocardiogram" in ranked[:10]
    assert ranked.index("patients") > ranked.index("apixaban")  # "patients" occurs more often
    assert {t["term"].lower(): t["rare"] for t in full["terms"]}["echocardiogram"] is True

    updated = transcribe.update_language_model(ModelName=name)
    assert updated["ModelStatus"] == "COMPLETED" and updated["ModelName"] == name


@pytest.mark.parametrize(("files", "needle"), [
    ({}, "No training data was found"),
    ({"bad.bin": b"\xff\xfe\x00binary"}, "isn't UTF-8 plain text"),
    ({"empty.txt": b"1234 5678\n"}, "contains no words"),
    ({"short.txt": b"Atrial fibrillation needs anticoagulation.\n"}, "contains only 4 words; at least 100"),
    ({"latin1.txt": "Caf\u00e9 cardiology notes\n".encode("latin-1")}, "latin1.txt isn't UTF-8 plain text"),
])
def test_training_failures(transcribe: Any, s3: Any, media_bucket: str, files: dict[str, bytes],
                           needle: str) -> None:
    name = unique("clmbad")
    uri = upload(s3, media_bucket, f"clm/{name}", files)
    create(transcribe, name, uri)
    assert train_model(name) == "FAILED"
    model = transcribe.describe_language_model(ModelName=name)["LanguageModel"]
    assert model["ModelStatus"] == "FAILED" and needle in model["FailureReason"]
    failed = transcribe.list_language_models(StatusEquals="FAILED", NameContains=name)["Models"]
    assert [m["ModelName"] for m in failed] == [name]


def test_too_much_data_fails_with_the_limit(transcribe: Any, s3: Any, media_bucket: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from services.transcribe.language_models import training

    monkeypatch.setattr(training, "MAX_TRAINING_BYTES", 1000)  # AWS's 2 GB, scaled down
    name = unique("clmbig")
    create(transcribe, name, upload(s3, media_bucket, f"clm/{name}", {"a.txt": TRAINING.encode() * 2}))
    assert train_model(name) == "FAILED"
    reason = transcribe.describe_language_model(ModelName=name)["LanguageModel"]["FailureReason"]
    assert f"is {len(TRAINING.encode()) * 2} bytes in total; the limit is 1000 bytes" in reason


def test_models_from_an_older_harken_offer_an_upgrade(transcribe: Any, s3: Any, media_bucket: str) -> None:
    from services.db.session import unit_of_work

    name = unique("clmold")
    create(transcribe, name, upload(s3, media_bucket, f"clm/{name}", {"a.txt": TRAINING.encode()}))
    assert train_model(name) == "COMPLETED"
    with unit_of_work() as session:
        row = session.merge(model_row(name))
        row.artifacts = {**row.artifacts, "format": "harken-clm-v1"}
    model = transcribe.describe_language_model(ModelName=name)["LanguageModel"]
    assert model["UpgradeAvailability"] is True and model["ModelStatus"] == "COMPLETED"


def test_request_rules(transcribe: Any) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:  # CLM languages only
        transcribe.create_language_model(LanguageCode="fr-FR", BaseModelName="WideBand",
                                         ModelName=unique("fr"),
                                         InputDataConfig={"S3Uri": "s3://b/p/", "DataAccessRoleArn": ROLE})
    assert "languageCode" in error(exc)[1]
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_language_model(LanguageCode="en-US", BaseModelName="Huge", ModelName=unique("b"),
                                         InputDataConfig={"S3Uri": "s3://b/p/", "DataAccessRoleArn": ROLE})
    assert "baseModelName" in error(exc)[1]
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        create(transcribe, unique("same"), "s3://b/p/", config={"TuningDataS3Uri": "s3://b/p"})
    assert "TuningDataS3Uri" in error(exc)[1]
    name = unique("dupclm")
    create(transcribe, name, "s3://b/p/")
    with pytest.raises(transcribe.exceptions.ConflictException) as exc:
        create(transcribe, name, "s3://b/q/")
    assert error(exc) == ("ConflictException",
                          "The requested language model name already exists. Use a different language "
                          "model name.", 409)


def test_unknown_model(transcribe: Any) -> None:
    for call in (lambda: transcribe.describe_language_model(ModelName="nope"),
                 lambda: transcribe.delete_language_model(ModelName="nope"),
                 lambda: transcribe.update_language_model(ModelName="nope")):
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            call()
        assert error(exc) == ("BadRequestException", NOT_FOUND, 400)


def test_delete_while_training_makes_the_task_a_no_op(transcribe: Any, s3: Any, media_bucket: str) -> None:
    name = unique("clmdel")
    create(transcribe, name, upload(s3, media_bucket, f"clm/{name}", {"a.txt": TRAINING.encode()}),
           Tags=[{"Key": "k", "Value": "v"}])
    mid = model_row(name).id
    transcribe.delete_language_model(ModelName=name)
    assert model_row(name) is None and tag_rows("language-model", name) == []
    from services.db.session import unit_of_work
    from services.transcribe.language_models.service import train_language_model

    with unit_of_work() as session:
        assert train_language_model(session, mid) is None


@pytest.mark.usefixtures("clean_db")
def test_listing(transcribe: Any, s3: Any, media_bucket: str) -> None:
    uri = upload(s3, media_bucket, "clm/list", {"a.txt": TRAINING.encode()})
    names = [f"Model.{i}" for i in range(6)]
    for n in names:
        create(transcribe, n, uri)
    page = transcribe.list_language_models(NameContains="model.")
    assert [m["ModelName"] for m in page["Models"]] == names[::-1][:5]
    assert {"ModelName", "CreateTime", "LastModifiedTime", "LanguageCode", "BaseModelName", "ModelStatus",
            "UpgradeAvailability", "InputDataConfig"} <= set(page["Models"][0])
    rest = transcribe.list_language_models(NameContains="model.", NextToken=page["NextToken"])
    assert [m["ModelName"] for m in rest["Models"]] == [names[0]] and "NextToken" not in rest
    train_model(names[2])
    done = transcribe.list_language_models(StatusEquals="COMPLETED", MaxResults=1)
    assert [m["ModelName"] for m in done["Models"]] == [names[2]]
    assert len(transcribe.list_language_models(StatusEquals="IN_PROGRESS", MaxResults=10)["Models"]) == 5


def test_tenant_isolation(transcribe: Any, transcribe_b: Any) -> None:
    name = unique("clmmine")
    create(transcribe, name, "s3://b/p/")
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.describe_language_model(ModelName=name)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.delete_language_model(ModelName=name)
    assert transcribe_b.list_language_models(NameContains=name)["Models"] == []
    assert transcribe.describe_language_model(ModelName=name)["LanguageModel"]["ModelName"] == name
