"""Cache settings pointing at a Redis that is not there (port 1 refuses at once)."""

CLOSED_PORT_CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
            "IGNORE_EXCEPTIONS": True,
        },
    },
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
