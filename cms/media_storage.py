"""Media on an S3-compatible bucket (MEDIA_STORAGE=s3): images public, the rest private.

Images (Wagtail originals and renditions, authors' avatars) appear in pages that the
page cache keeps for up to an hour, so their URLs must not expire: they are plain,
unsigned object URLs (on AWS_S3_CUSTOM_DOMAIN when one is set), readable by anyone
because the bucket policy from `public_read_statement` allows `s3:GetObject` on
their prefixes and on nothing else (`manage.py configure_media_bucket` applies it).

Everything else, Wagtail documents above all, is private: its URL is presigned for
`querystring_expire` seconds (AWS_QUERYSTRING_EXPIRE, 60 by default) and always
points at the bucket endpoint, never at the custom domain, where a CDN would hand
the object to anyone. Readers reach documents only through Wagtail's serve view,
which checks collection privacy before it redirects to such a URL
(WAGTAILDOCS_SERVE_METHOD = "redirect", set with MEDIA_STORAGE=s3).
"""

import json

from botocore.exceptions import ClientError
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Where Wagtail and the user model put files that pages show: originals
# (AbstractImage.get_upload_to), renditions (get_rendition_upload_to), avatars
# (cms.models.User.avatar). Documents go to "documents/", which is not listed.
PUBLIC_PREFIXES = ("original_images/", "images/", "avatars/")
POLICY_SID = "PresswagonPublicImages"


class MediaStorage(S3Storage):
    public_prefixes = PUBLIC_PREFIXES

    def is_public(self, name: str) -> bool:
        return clean_name(name).startswith(self.public_prefixes)

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.is_public(name) and not parameters and http_method in (None, "GET"):
            return self.public_url(name)
        return self.presigned_url(name, parameters, expire, http_method)

    def public_url(self, name: str) -> str:
        """The object's unsigned URL: it works for as long as the object exists."""
        key = self._normalize_name(clean_name(name))
        if self.custom_domain:
            return f"{self.url_protocol}//{self.custom_domain}/{filepath_to_uri(key)}"
        return self.unsigned_connection.meta.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket.name, "Key": key}
        )

    def presigned_url(
        self, name: str, parameters=None, expire=None, http_method=None
    ) -> str:
        """A URL signed for `expire` (default `querystring_expire`) seconds, on the
        bucket endpoint whatever the custom domain."""
        params = {
            **(parameters or {}),
            "Bucket": self.bucket.name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )


def public_read_statement(storage: MediaStorage) -> dict:
    """The bucket-policy statement that lets anyone read images, and only images."""
    location = f"{storage.location.strip('/')}/" if storage.location else ""
    return {
        "Sid": POLICY_SID,
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": [
            f"arn:aws:s3:::{storage.bucket_name}/{location}{prefix}*"
            for prefix in storage.public_prefixes
        ],
    }


def configure_bucket(storage: MediaStorage) -> bool:
    """Create the bucket if it is missing, and put our statement into its policy,
    keeping any other statements. True if the bucket was created."""
    client = storage.connection.meta.client
    bucket = storage.bucket_name
    created = False
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("404", "NoSuchBucket"):
            raise
        options = {}
        if storage.region_name and storage.region_name != "us-east-1":
            options["CreateBucketConfiguration"] = {
                "LocationConstraint": storage.region_name
            }
        client.create_bucket(Bucket=bucket, **options)
        created = True
    try:
        policy = json.loads(client.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchBucketPolicy":
            raise
        policy = {}
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    policy = {
        **policy,
        "Version": "2012-10-17",
        "Statement": [
            *(s for s in statements if s.get("Sid") != POLICY_SID),
            public_read_statement(storage),
        ],
    }
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return created
