"""Uploaded images served from MEDIA_ROOT, for sites without object storage.

`make run` and `make serve` (and a small single-machine site) keep media on local
disk, and nothing else would answer /media/: every image was a 404. This view is
Django's own `django.views.static.serve` (path normalised and joined safely,
If-Modified-Since, streamed FileResponse) behind an allow-list of the folders that
hold public images. whitenoise is no fit: it indexes files once at start-up, and
uploads arrive while the site runs.

Documents are never served from here: Wagtail keeps them under documents/ and
serves them through /documents/<id>/, which enforces collection privacy. A larger
deployment puts media on object storage (MEDIA_STORAGE=s3) or lets the front web
server answer /media/images/ itself (README, "Production").
"""

import errno
import posixpath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

# Renditions, originals (the API's download_url) and avatars; never documents/.
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/", "avatars/", "avatar_images/")


@require_safe
def serve_media(request, path: str):
    # Normalise before the allow-list, as serve() will: images/../documents/x.pdf
    # must not get through as "images/".
    normalised = posixpath.normpath(path).lstrip("/")
    if "\x00" in normalised or not normalised.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404("Not a public media file.")
    try:
        response = serve(request, normalised, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name longer than the file system takes (255 bytes a component, 4096
        # a path) names no file we have; other disk errors stay server errors.
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("Not a public media file.") from error
    # A replaced image may reuse a rendition's file name: browsers revalidate
    # (a cheap 304 by Last-Modified) rather than keep an old picture.
    response["Cache-Control"] = "no-cache"
    return response
