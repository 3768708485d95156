"""Settings shared by every environment.

Everything that varies between machines is read from the environment here, in one
place, with django-environ. The dev/test/production modules only override.

It is long on purpose: the house style keeps every setting and every environment
variable in this one module (README's configuration table mirrors it), grouped by
concern under `# ---` headings.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core ---------------------------------------------------------------------------

# Development-only fallback; production.py demands a real SECRET_KEY.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-presswagon-development-key-not-for-production",
)
DEBUG = env.bool("DEBUG", default=False)
# Guards commands that must never touch a live site (e.g. load_demo_content).
IS_PRODUCTION = False

# --- Public address -----------------------------------------------------------------

# The one address readers use, e.g. https://news.example.org. Every absolute URL the
# site emits (canonical, Open Graph, JSON-LD, feeds, sitemap, robots, the API, admin
# emails) is built from it, never from the Host header a proxy happened to pass on;
# `migrate` and `manage.py set_site_url` copy it into the Wagtail Site record
# (cms/public_address.py). Unset: URLs follow the request (development only;
# production.py requires it).
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
_site_address = urlsplit(SITE_URL)
if SITE_URL and (
    _site_address.scheme not in ("http", "https")
    or not _site_address.hostname
    or _site_address.path
    or _site_address.query
    or _site_address.fragment
    # Wagtail's Site record spells https only as port 443 (Site.root_url).
    or (_site_address.scheme == "https" and _site_address.port not in (None, 443))
):
    raise ImproperlyConfigured(
        f"SITE_URL must be scheme://host[:port] (https only on port 443), "
        f"not {SITE_URL!r}."
    )
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[
        "127.0.0.1",
        "localhost",
        *([_site_address.hostname] if SITE_URL else []),
    ],
)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[SITE_URL] if SITE_URL else []
)

INSTALLED_APPS = [
    "cms",
    "engagement",
    "sharing",
    "articles",
    "planning",
    "newsroom",
    "home",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "cms.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: request ids and one log line per request, hits included.
    "cms.middleware.request_logging.RequestLoggingMiddleware",
    # Before anything asks request.is_secure(): X-Forwarded-Proto from a peer that
    # is not a trusted proxy is dropped.
    "cms.middleware.forwarded_headers.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so hits are compressed and revalidated too: gzip for
    # text without secrets (cms/compression.py), using the gzipped body a hit
    # carries; then ETag/Last-Modified -> 304, inside gzip so the ETag names the
    # plain body (a hit's ETag is stored with it).
    "cms.middleware.compression.CompressionMiddleware",
    "cms.middleware.conditional_get.ConditionalGetMiddleware",
    # Early on purpose: a cache hit skips sessions, CSRF and authentication.
    "cms.page_cache.middleware.PageCacheMiddleware",
    # Inside the page cache, so cached responses carry the same policy.
    "cms.middleware.content_security_policy.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: turns a login refused for too many failures into the
    # 429 page (cms/login_throttling.py). /admin/ never reaches the page cache.
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Innermost: re-runs a GET whose database connection died (PostgreSQL restart).
    "cms.middleware.database_retry.DatabaseRetryMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The custom user model exists from the first migration (see cms/models.py).
AUTH_USER_MODEL = "cms.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Database -----------------------------------------------------------------------

# Embedded default: a SQLite file next to manage.py.
# DATABASE_URL=postgres://... switches to PostgreSQL through psycopg 3.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads or workers may write at once (comments, view flushes): WAL lets
    # readers run beside a writer, IMMEDIATE takes the write lock at BEGIN instead of
    # failing mid-transaction, and writers queue for up to 20 s instead of erroring.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool rather than persistent connections: a PostgreSQL restart was seen
    # to give 24 x 500 under load with CONN_MAX_AGE, none with the pool. Django adds
    # the pool's health check itself when CONN_HEALTH_CHECKS is on.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }
# A request whose connection died waits at most this long for the database to
# accept connections again before its one retry (cms/middleware/database_retry.py).
DATABASE_RETRY_WAIT = env.float("DATABASE_RETRY_WAIT", default=3.0)

# --- Cache and sessions -------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    # Short socket timeouts and IGNORE_EXCEPTIONS: a Redis outage degrades to cache
    # misses, never to 500s or multi-second stalls.
    _redis_options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
        "SOCKET_TIMEOUT": env.float("REDIS_SOCKET_TIMEOUT", default=0.25),
        "IGNORE_EXCEPTIONS": True,
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pw",
            "OPTIONS": _redis_options,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "presswagon-default",
        },
    }

# Renditions are looked up per image on every render: keep them in process memory
# rather than adding Redis round trips (and Redis outages) to every page.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "presswagon-renditions",
    "TIMEOUT": 60 * 60,
}

# Sessions live in the database only, with or without Redis. cached_db was tried:
# a logout made while Redis was paused could not delete the cached copy (the cache
# ignores errors), and when Redis came back that copy logged the user in again. A
# session read costs one indexed query, and only for signed-in users: readers'
# pages come from the page cache without touching sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Failures swallowed by IGNORE_EXCEPTIONS are still logged.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Static and media ---------------------------------------------------------------

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
STATIC_URL = env.str("STATIC_URL", default="/static/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Media on S3-compatible object storage (django-storages) with MEDIA_STORAGE=s3, or
# whenever a bucket is named; local files in MEDIA_ROOT otherwise. Images get plain
# public URLs, documents presigned ones (cms/media_storage.py; README "Media").
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_STORAGE = env.str(
    "MEDIA_STORAGE", default="s3" if AWS_STORAGE_BUCKET_NAME else "local"
)
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
if MEDIA_STORAGE == "s3" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
# Browsers load page images from here: the Content-Security-Policy allows it.
MEDIA_ORIGINS = []
if MEDIA_STORAGE == "s3":
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    AWS_S3_URL_PROTOCOL = env.str("AWS_S3_URL_PROTOCOL", default="https:")
    AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None
    STORAGES["default"] = {
        "BACKEND": "cms.media_storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Unset: boto3's own chain (instance role, ~/.aws) finds credentials.
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN,
            "url_protocol": AWS_S3_URL_PROTOCOL,
            "addressing_style": AWS_S3_ADDRESSING_STYLE,
            "signature_version": "s3v4",
            # Lifetime of a document's presigned URL: it is handed out by the serve
            # view after the privacy check, and followed at once.
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
            # An upload with a taken name gets a new name instead of replacing a
            # file that live pages (or their cached HTML) still point at.
            "file_overwrite": False,
            # Access comes from the bucket policy, not per-object ACLs.
            "default_acl": None,
        },
    }
    # The serve view checks collection privacy, then redirects to the presigned
    # URL; Document.url never hands out the object URL itself.
    WAGTAILDOCS_SERVE_METHOD = "redirect"
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"{AWS_S3_URL_PROTOCOL}//{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        # Custom endpoints are addressed by path unless told otherwise.
        _endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        _host = _endpoint.netloc
        if AWS_S3_ADDRESSING_STYLE == "virtual":
            _host = f"{AWS_STORAGE_BUCKET_NAME}.{_host}"
        MEDIA_ORIGINS = [f"{_endpoint.scheme}://{_host}"]
    else:
        # Amazon S3 itself, as botocore addresses it: the global endpoint unless a
        # style is forced for a region other than us-east-1.
        _region = STORAGES["default"]["OPTIONS"]["region_name"]
        _s3 = "s3" if _region in (None, "us-east-1") else f"s3.{_region}"
        if AWS_S3_ADDRESSING_STYLE == "path":
            MEDIA_ORIGINS = [f"https://{_s3}.amazonaws.com"]
        elif AWS_S3_ADDRESSING_STYLE == "virtual":
            MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.{_s3}.amazonaws.com"]
        else:
            MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]

# Local media need something to answer MEDIA_URL: the site does it itself
# (cms/media_files.py, images only, never documents) unless told a front server
# does. Off when media live on object storage.
SERVE_MEDIA = env.bool(
    "SERVE_MEDIA",
    default=STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    and MEDIA_URL.startswith("/"),
)

# Refuse absurd request bodies early: more than 10,000 fields or 5 MB outside file
# uploads is a 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail ------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Presswagon"
# The meta description of pages with nothing better to say (search, the respond
# page, a home page without a strapline).
SITE_DESCRIPTION = env.str(
    "SITE_DESCRIPTION",
    default="Independent reporting on cities, science, technology and culture.",
)
# Links in admin emails and images' full_url; the API's detail_url and find/.
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default=SITE_URL or "http://127.0.0.1:8000"
)
WAGTAILAPI_BASE_URL = SITE_URL or None  # None: the Site record of the request
# Search: the database backend by default (PostgreSQL full-text search on PostgreSQL,
# FTS5 on SQLite). OPENSEARCH_URL selects Wagtail's OpenSearch 2 backend (needs
# `pip install opensearch-py`), ELASTICSEARCH_URL its Elasticsearch 8 backend (needs
# `pip install "elasticsearch>=8,<9"`); run `manage.py update_index` after switching.
_search_engines = {
    "OPENSEARCH_URL": "wagtail.search.backends.opensearch2",
    "ELASTICSEARCH_URL": "wagtail.search.backends.elasticsearch8",
}
# The database backend through search/backend.py, which stems on SQLite as
# PostgreSQL does ("rivers" finds "river"), and on PostgreSQL ranks the newest matches.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
for _variable, _backend in _search_engines.items():
    if env.str(_variable, default=""):
        WAGTAILSEARCH_BACKENDS["default"] = {
            "BACKEND": _backend,
            "URLS": [env.str(_variable)],
            "INDEX": env.str("SEARCH_INDEX", default="presswagon"),
            "TIMEOUT": 5,
        }
# The read API (/api/v2/articles/): JSON only, at most 50 items per page.
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILAPI_SEARCH_ENABLED = True
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
# Search statistics are written to the database at most this often (search/).
SEARCH_STATS_INTERVAL = env.int("SEARCH_STATS_INTERVAL", default=60)
# A reader's repeated search for one query counts once per window, and at most
# this many queries new to the statistics are admitted per minute, site-wide, so a
# script cannot fill the Editors' "Search terms" report with junk.
SEARCH_STATS_DEDUPE_WINDOW = env.int("SEARCH_STATS_DEDUPE_WINDOW", default=60 * 60)
SEARCH_STATS_NEW_QUERIES_PER_MINUTE = env.int(
    "SEARCH_STATS_NEW_QUERIES_PER_MINUTE", default=30
)
# Image uploads: no SVG (scriptable), at most 10 MB and about 40 megapixels, so a
# decompression bomb is refused before Pillow expands it.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
# Password reset mails a link: offer it only when mail can actually be sent.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
WAGTAIL_PASSWORD_RESET_ENABLED = bool(EMAIL_HOST)
# The admin shows our own avatar field; Gravatar would leak editors' email hashes
# and renders broken offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Pre-publish checks (cms/prepublish; articles/prepublish_checks.py) -------------

# What a page must pass before it is submitted for review or published. DISABLED
# switches checks off by id (e.g. "tags,featured_image"); OPTIONS tunes a check's
# limits by id. Check ids: featured_image, intro, tags, seo_description_length,
# internal_links, heading_order, empty_heading, link_name, link_text,
# p_as_heading, alt_text_quality.
PREPUBLISH_CHECKS = {
    "DISABLED": env.list("PREPUBLISH_CHECKS_DISABLED", default=[]),
    "OPTIONS": {
        "seo_description_length": {
            "min": env.int("PREPUBLISH_SEO_DESCRIPTION_MIN", default=50),
            "max": env.int("PREPUBLISH_SEO_DESCRIPTION_MAX", default=160),
        },
    },
}

# --- Page cache (cms/page_cache; docs/page-cache.md) --------------------------------

# wagtail-cache's settings names, read by our page cache middleware.
WAGTAIL_CACHE = env.bool("PAGE_CACHE", default=True)
WAGTAIL_CACHE_BACKEND = "default"
WAGTAIL_CACHE_HEADER = "X-Wagtail-Cache"
# How long a page may stay cached when nothing purges it.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=60 * 60)
# 404s are cached briefly and within a fixed budget: every junk URL is a 404, and
# junk must not fill Redis nor push real pages out (cms/page_cache/store.py).
PAGE_CACHE_NOT_FOUND_TIMEOUT = min(
    env.int("PAGE_CACHE_NOT_FOUND_TIMEOUT", default=30), 60
)
PAGE_CACHE_NOT_FOUND_MAX = env.int("PAGE_CACHE_NOT_FOUND_MAX", default=200)
# Browsers revalidate every time: only our cache, which we purge, holds pages.
PAGE_CACHE_BROWSER_MAX_AGE = 0
PAGE_CACHE_EXCLUDED_PATHS = [
    "/admin/",
    # Reader endpoints answer per reader; their 404s (a page not published yet)
    # must not outlive the publication.
    "/reader/",
    "/documents/",
    "/__debug__/",
    "/static/",
    "/media/",
]
# Never gzipped, whatever else the response says (BREACH; cms/compression.py): the
# admin and the reader endpoints answer with tokens and per-reader content.
COMPRESSION_EXCLUDED_PATHS = [
    "/admin/",
    "/django-admin/",
    "/reader/",
    "/csrf/",
    "/__debug__/",
]
# Query parameters that select different content; any other parameter bypasses the
# cache (tracking parameters in WAGTAIL_CACHE_IGNORE_QS are dropped from the key).
PAGE_CACHE_QUERY_PARAMS = ["page"]
# After a cache error, serve uncached for this long before trying the cache again.
PAGE_CACHE_OUTAGE_PAUSE = 5.0
# Without Redis each process caches pages in its own memory: purges made in another
# process (the scheduler, a management command) reach it through a table in the
# database, read at most this often (cms/page_cache/purge_log.py).
PAGE_CACHE_SHARED_PURGES = not REDIS_URL
PAGE_CACHE_PURGE_SYNC_INTERVAL = env.float(
    "PAGE_CACHE_PURGE_SYNC_INTERVAL", default=1.0
)
# Each worker keeps copies of its most recent hits in memory (Redis only), dropped
# by purge notifications; the TTL bounds how long a copy lives without a re-read.
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=500)
PAGE_CACHE_LOCAL_TTL = 60.0
# When many readers ask for a page that is not cached (just purged, say), one
# renders it and the others wait up to this many seconds for its copy rather than
# each render it too (cms/page_cache/middleware.py).
PAGE_CACHE_FILL_WAIT = env.float("PAGE_CACHE_FILL_WAIT", default=2.0)

# --- Background tasks (django-tasks; cms/page_cache/tasks.py) ----------------------

# Purges, Wagtail's search and reference index updates and file deletions are tasks.
# "immediate": run inside the request that asks for them (the embedded default and
# the tests). "database": queued in the database and run by `manage.py db_worker`
# (production; `make serve` starts it), so a purge asked for while Redis or Varnish
# is down is carried out when it returns.
TASK_BACKENDS = {
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
TASK_QUEUE = env.str("TASK_QUEUE", default="immediate")
if TASK_QUEUE not in TASK_BACKENDS:
    raise ImproperlyConfigured("TASK_QUEUE must be 'immediate' or 'database'.")
TASKS = {"default": TASK_BACKENDS[TASK_QUEUE]}

# --- Edge cache (cms/edge; docs/edge-cache.md) ------------------------------------

# HTTP caches in front of the site, purged by tag like the page cache. Varnish nodes
# (deploy/varnish/presswagon.vcl) by the base URL each answers PURGE on:
# "http://10.0.0.7:6081,http://10.0.0.8:6081".
VARNISH_URLS = env.list("VARNISH_URLS", default=[])
# A CDN in front: "cloudflare" (CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN) or "fastly"
# (FASTLY_SERVICE_ID, FASTLY_API_TOKEN). The *_API_URL settings exist for tests.
CDN = env.str("CDN", default="")
if CDN not in {"", "cloudflare", "fastly"}:
    raise ImproperlyConfigured("CDN must be empty, 'cloudflare' or 'fastly'.")
CLOUDFLARE_ZONE_ID = env.str("CLOUDFLARE_ZONE_ID", default="")
CLOUDFLARE_API_TOKEN = env.str("CLOUDFLARE_API_TOKEN", default="")
CLOUDFLARE_API_URL = env.str(
    "CLOUDFLARE_API_URL", default="https://api.cloudflare.com/client/v4"
)
FASTLY_SERVICE_ID = env.str("FASTLY_SERVICE_ID", default="")
FASTLY_API_TOKEN = env.str("FASTLY_API_TOKEN", default="")
FASTLY_API_URL = env.str("FASTLY_API_URL", default="https://api.fastly.com")
if CDN == "cloudflare" and not (CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN):
    raise ImproperlyConfigured(
        "CDN=cloudflare needs CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN."
    )
if CDN == "fastly" and not (FASTLY_SERVICE_ID and FASTLY_API_TOKEN):
    raise ImproperlyConfigured(
        "CDN=fastly needs FASTLY_SERVICE_ID and FASTLY_API_TOKEN."
    )
# Edge tags are hashes with this prefix (cms/edge/tags.py): sites sharing a CDN zone
# or a Varnish give each a prefix of its own.
EDGE_TAG_PREFIX = env.str("EDGE_TAG_PREFIX", default="pw-")
# Shared caches keep a page until purged or for this long (s-maxage); browsers
# revalidate every time (max-age=0; the edge answers 304 from its copy), so a reader
# never sees a page older than the editors' last purge.
EDGE_MAX_AGE = env.int("EDGE_MAX_AGE", default=PAGE_CACHE_TIMEOUT)
# After EDGE_MAX_AGE passes, the edge may answer with its old copy for this long
# while it fetches a new one (stale-while-revalidate; Varnish's grace). Purges are
# hard: a purged page is never served stale.
EDGE_STALE_WHILE_REVALIDATE = env.int("EDGE_STALE_WHILE_REVALIDATE", default=30)
# Every edge purge is made again after this many seconds: a render that began before
# a publish and reached the edge after its purge does not stay there.
EDGE_REPURGE_DELAY = env.float("EDGE_REPURGE_DELAY", default=5.0)

# --- Proxies ------------------------------------------------------------------------

# Addresses and networks ("10.0.0.5,10.1.0.0/16") of the reverse proxies in front of
# the site. Only a request whose TCP peer is one of them has its client address
# taken from X-Forwarded-For (the right-most entry that is not itself a trusted
# proxy) and its scheme from X-Forwarded-Proto; anyone else's headers are ignored
# (cms/client_address.py). deploy/gunicorn.conf.py gives gunicorn the same list.
# Empty: the TCP peer is the client, and behind a proxy every reader would share
# the proxy's address (and its rate limits).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    # Loudly at start-up, not as a 500 on every request. Strict, as gunicorn is:
    # "10.0.0.1/24" is a typo for an address or for 10.0.0.0/24.
    try:
        ipaddress.ip_network(_proxy)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None

# --- Reader engagement (engagement/endpoints.py) -------------------------------------

# Per client address (see TRUSTED_PROXIES above), "requests/seconds".
COMMENT_RATE_LIMIT = env.str("COMMENT_RATE_LIMIT", default="5/600")
RATING_RATE_LIMIT = env.str("RATING_RATE_LIMIT", default="20/600")
VIEW_BEACON_RATE_LIMIT = env.str("VIEW_BEACON_RATE_LIMIT", default="120/60")
# Reader posts are small forms: anything bigger is refused with a 400.
READER_POST_MAX_BYTES = 16 * 1024
# A reader's repeated views of one page within this window count once.
VIEW_DEDUPE_WINDOW = 30 * 60
# Reader tokens (engagement/reader_token.py): only a page view hands one out, at
# most this many new ones per client address ("requests/seconds"); a rating needs
# a token whose latest page view is at most RATING_TOKEN_MAX_AGE seconds old.
READER_TOKEN_RATE_LIMIT = env.str("READER_TOKEN_RATE_LIMIT", default="60/3600")
# Share-link lookups (sharing/views.py) per client: enough for a reader switching
# views and commenting, too few to guess tokens (they have 256 bits anyway).
SHARE_LINK_RATE_LIMIT = env.str("SHARE_LINK_RATE_LIMIT", default="60/60")
RATING_TOKEN_MAX_AGE = env.int("RATING_TOKEN_MAX_AGE", default=2 * 60 * 60)
# Buffered view counts reach the database at most this often
# (engagement/view_counts.py).
VIEW_FLUSH_INTERVAL = env.int("VIEW_FLUSH_INTERVAL", default=30)
# Run by `manage.py run_scheduler` on every pass, after scheduled publishing.
PERIODIC_TASKS = [
    "articles.tasks.lift_embargoes",
    "articles.related.rank_missing_lists",
    "engagement.tasks.flush_views_and_refresh_popular",
    "search.query_stats.flush_if_due",
]

# --- Login throttling (django-axes; cms/login_throttling.py) -------------------------

# The one login form is Wagtail's (/admin/login/); Django's admin is not installed.
# Axes' backend comes first: it refuses a locked-out login before any password is
# checked, then ModelBackend does the checking.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failed logins for one username from one client address, that pair
# is refused (429) for LOGIN_COOLOFF_MINUTES, counted from its latest attempt: each
# attempt while locked out, the right password included, starts the wait afresh.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_COOLOFF_MINUTES < 1:
    # 0 would mean "never lock" or "lock for ever": neither is what the names say.
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be at least 1."
    )
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
# Keyed on the pair: someone guessing at one account from one address is stopped
# without locking the account's owner out everywhere (username alone would let
# anyone lock any editor out) or a newsroom behind one NAT (address alone).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address our rate limits use, TRUSTED_PROXIES honoured (cms/client_address.py).
AXES_CLIENT_IP_CALLABLE = "cms.login_throttling.login_client_address"
# Attempts live in the database, never in the cache: throttling holds with Redis
# down (the cache ignores errors, so a cache handler would silently stop counting).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# A successful login forgets that pair's earlier failures.
AXES_RESET_ON_SUCCESS = True
# The lockout answer: the Wagtail login page, 429, "try again in N minutes".
AXES_LOCKOUT_CALLABLE = "cms.login_throttling.lockout_response"
# No table of every successful login growing for ever: nothing reads it, and the
# request log already names the user of each request.
AXES_DISABLE_ACCESS_LOG = True
# Lockouts are shown and cleared in the Wagtail admin (Settings → Login lockouts),
# not in Django's admin, which this project does not install.
AXES_ENABLE_ADMIN = False
# Axes' own log lines (WARNING on each failure and lockout) keep its default of
# masking username and address: typed usernames are not ours to log verbatim.

# --- Logging ------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# LOG_FORMAT=json for one JSON object per line (production); plain text otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cms.request_context.RequestIdLogFilter"},
        "security_notices": {"()": "cms.logging_plain.SecurityNoticesWithoutTraceback"},
    },
    "formatters": {
        # Control characters in messages are escaped: one record, one line.
        "plain": {
            "()": "cms.logging_plain.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "cms.logging_json.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "security_notices"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # The request log (cms.requests) records every status and logs exceptions
        # once with their traceback; Django's own per-request log would repeat them.
        "django.request": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # One line per background task run is noise at INFO.
        "django_tasks": {"level": "WARNING"},
        # Axes announces itself at INFO on every start; failures and lockouts are
        # WARNINGs and stay.
        "axes": {"level": "WARNING"},
    },
}

# --- Content-Security-Policy (public site) ------------------------------------------

CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "connect-src": ["'self'"],
    # Embed blocks (YouTube, Vimeo) render iframes from their providers.
    "frame-src": ["https://www.youtube.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_EXCLUDED_PATHS = ("/admin/", "/__debug__/")
# Browser features no page of ours uses, switched off for every response (and for
# anything embedded in it): `feature=()` allows no origin.
PERMISSIONS_POLICY = ["camera", "microphone", "geolocation", "payment", "usb"]
