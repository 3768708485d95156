import re

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from articles.api import ArticlesAPIViewSet
from cms import views as cms_views
from cms.media_files import serve_media
from cms.page_cache.csrf import csrf_token_view
from cms.prepublish.doors import workflow_action_view
from cms.sitemap import robots_txt, sitemap

handler500 = "cms.views.handler500"

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("articles", ArticlesAPIViewSet)

urlpatterns = [
    # Ahead of Wagtail's own view at this address: approvals that would publish
    # a page failing its pre-publish checks are refused (cms/prepublish/doors.py).
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/"
        "<int:task_state_id>/",
        workflow_action_view,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("csrf/", csrf_token_view, name="csrf_token"),
    path("reader/", include("engagement.urls")),
    path("search/", include("search.urls")),
    path("share/", include("sharing.urls")),
    path("calendar/", include("planning.urls")),
    path("feeds/", include("articles.feed_urls")),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", cms_views.favicon, name="favicon"),
    path("healthz", cms_views.healthz, name="healthz"),
    path("readyz", cms_views.readyz, name="readyz"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            serve_media,
            name="media",
        )
    ]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    if "debug_toolbar" in settings.INSTALLED_APPS:
        urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]

# Wagtail's page serving is the catch-all, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
