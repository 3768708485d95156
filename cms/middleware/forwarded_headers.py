"""Forwarded scheme headers count only from trusted proxies.

Django believes SECURE_PROXY_SSL_HEADER (X-Forwarded-Proto) from anyone, so a
client talking to gunicorn directly could claim HTTPS: skip the SSL redirect and
get https:// absolute URLs built for it. This drops the header unless the TCP peer
is in TRUSTED_PROXIES, the same rule as the client address (cms/client_address.py)
and as gunicorn's forwarded_allow_ips (deploy/gunicorn.conf.py).
"""

from django.conf import settings

from cms.client_address import peer_is_trusted_proxy


class ForwardedHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = (getattr(settings, "SECURE_PROXY_SSL_HEADER", None) or ("",))[0]
        if header in request.META and not peer_is_trusted_proxy(request):
            del request.META[header]
        return self.get_response(request)
