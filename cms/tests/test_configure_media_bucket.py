"""`manage.py configure_media_bucket` against the private SeaweedFS: it creates a
missing bucket, makes images (and only images) public, and keeps the rest of an
existing policy."""

import json
import secrets
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.media_storage import POLICY_SID
from cms.tests.conftest import media_storage_options


@pytest.fixture
def new_bucket(settings, seaweedfs):
    bucket = f"configure-{secrets.token_hex(4)}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cms.media_storage.MediaStorage",
            "OPTIONS": media_storage_options(seaweedfs, bucket_name=bucket),
        },
    }
    return bucket


def run_command() -> str:
    out = StringIO()
    call_command("configure_media_bucket", stdout=out)
    return out.getvalue()


def policy_of(seaweedfs, bucket: str) -> list[dict]:
    policy = seaweedfs.client().get_bucket_policy(Bucket=bucket)["Policy"]
    return json.loads(policy)["Statement"]


def test_it_creates_the_bucket_and_makes_images_public(seaweedfs, new_bucket):
    output = run_command()

    assert output.startswith(f"Bucket {new_bucket}: created, public read for ")
    (statement,) = policy_of(seaweedfs, new_bucket)
    assert statement["Sid"] == POLICY_SID
    assert sorted(statement["Resource"]) == [
        f"arn:aws:s3:::{new_bucket}/avatars/*",
        f"arn:aws:s3:::{new_bucket}/images/*",
        f"arn:aws:s3:::{new_bucket}/original_images/*",
    ]


def test_running_it_again_keeps_other_statements_and_adds_no_duplicate(
    seaweedfs, new_bucket
):
    run_command()
    client = seaweedfs.client()
    other = {
        "Sid": "OtherTeamExports",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{new_bucket}/exports/*"],
    }
    statements = [*policy_of(seaweedfs, new_bucket), other]
    client.put_bucket_policy(
        Bucket=new_bucket,
        Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )

    output = run_command()

    assert "created" not in output
    sids = sorted(statement["Sid"] for statement in policy_of(seaweedfs, new_bucket))
    assert sids == ["OtherTeamExports", POLICY_SID]


def test_it_refuses_when_media_is_on_local_disk():
    with pytest.raises(CommandError, match="MEDIA_STORAGE=s3"):
        run_command()


def test_a_wrong_secret_is_a_clear_error_not_a_traceback(settings, seaweedfs):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cms.media_storage.MediaStorage",
            "OPTIONS": media_storage_options(seaweedfs, secret_key="wrong-secret"),
        },
    }

    with pytest.raises(CommandError, match=f"Bucket {seaweedfs.bucket}: "):
        run_command()
