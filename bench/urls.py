from django.http import HttpResponse
from django.urls import path

from cms.urls import handler500  # noqa: F401 - the site's 503-aware error view
from cms.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", trivial), *site_urlpatterns]
