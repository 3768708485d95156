"""Edge tags: our cache tags in a form every edge accepts.

Our tags (`page:42`, `articles:tag:<slug>`, `path:<md5>`) can be long and carry any
character a slug may hold. Each provider limits them (Cloudflare: comma-separated,
1,024 bytes a tag and 16 KB a header; Fastly: space-separated, 1,024 bytes a key and
16 KB a header; Akamai: 128 characters), so at the edge each tag becomes a 16-hex
hash of itself, prefixed with EDGE_TAG_PREFIX: sites sharing one CDN zone or one
Varnish never purge each other's pages. The response and the purge hash the same
way, so the edge never needs to know our names.
"""

import hashlib
from collections.abc import Iterable

from django.conf import settings

HASH_BYTES = 8
# Every response kept at the edge carries this tag too: purging it clears the site.
SITE_WIDE = "*"


def edge_tag(tag: str) -> str:
    digest = hashlib.blake2b(tag.encode(), digest_size=HASH_BYTES).hexdigest()
    return f"{settings.EDGE_TAG_PREFIX}{digest}"


def edge_tags(tags: Iterable[str]) -> list[str]:
    """Sorted, so a header is the same whatever order the tags were recorded in."""
    return sorted({edge_tag(tag) for tag in tags})
