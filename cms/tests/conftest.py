"""Real servers for cms tests: one private SeaweedFS for the whole run and the
settings that put a test's media on its bucket (cms/media_storage.py); a private
Redis as the default cache for tests that stop or pause it."""

import pytest

from cms.media_storage import MediaStorage, configure_bucket
from cms.tests.private_servers import private_redis, private_seaweedfs


def media_storage_options(server, **changes) -> dict:
    """STORAGES["default"]["OPTIONS"] as base.py builds them for MEDIA_STORAGE=s3,
    pointed at `server` (cms/tests/test_media_settings.py checks base.py's side)."""
    return {
        "bucket_name": server.bucket,
        "endpoint_url": server.endpoint_url,
        "region_name": server.region,
        "access_key": server.access_key,
        "secret_key": server.secret_key,
        "custom_domain": None,
        "url_protocol": "https:",
        "addressing_style": None,
        "signature_version": "s3v4",
        "querystring_expire": 60,
        "file_overwrite": False,
        "default_acl": None,
        **changes,
    }


@pytest.fixture(scope="session")
def seaweedfs():
    """SeaweedFS on free loopback ports, its bucket configured as a deployment's
    would be (`manage.py configure_media_bucket`: images public, the rest not).
    Started once: it takes a few seconds."""
    with private_seaweedfs() as server:
        configure_bucket(MediaStorage(**media_storage_options(server)))
        yield server


@pytest.fixture
def s3_media(settings, seaweedfs):
    """This test's uploads, renditions and document links go to the bucket.

    Changing STORAGES sends setting_changed, on which Django drops its cached
    storages and empties `default_storage` (django.test.signals), so the models'
    file fields, which hold that lazy object, use the bucket; the change is undone,
    with the same signal, after the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cms.media_storage.MediaStorage",
            "OPTIONS": media_storage_options(seaweedfs),
        },
    }
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    return seaweedfs


@pytest.fixture
def s3_media_expiring(settings, s3_media):
    """As s3_media, with presigned URLs that expire after 2 seconds."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cms.media_storage.MediaStorage",
            "OPTIONS": media_storage_options(s3_media, querystring_expire=2),
        },
    }
    return s3_media


@pytest.fixture
def private_redis_cache(settings):
    """A private redis-server (stop, pause and restart it freely) as the default
    cache, with the production options: short timeouts, errors ignored."""
    with private_redis() as server:
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": server.url(),
                "OPTIONS": {
                    "SOCKET_CONNECT_TIMEOUT": 0.25,
                    "SOCKET_TIMEOUT": 0.25,
                    "IGNORE_EXCEPTIONS": True,
                },
            },
        }
        try:
            yield server
        finally:
            server.resume()
