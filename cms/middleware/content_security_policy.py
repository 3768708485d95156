"""A Content-Security-Policy for the public site, and a Permissions-Policy for
every response.

The same header on every response, with no per-request nonce, so cached pages can
carry it. The admin is left to Wagtail (its editor needs inline scripts and styles),
and so are previews: Wagtail renders them through the public URL inside an admin
iframe, which `frame-ancestors 'none'` would forbid.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not (
            request.path.startswith(settings.CSP_EXCLUDED_PATHS)
            or getattr(request, "is_preview", False)
        ):
            response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", self.permissions)
        return response
