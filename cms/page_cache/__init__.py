"""The page cache in front of the public site.

Anonymous GET responses are stored whole and served before sessions, CSRF and
authentication run. Each stored page carries *tags* naming what it shows
(`page:42`, `listing:7`, ...), recorded at store time; a content change purges
exactly the pages whose tags it touches. See docs/page-cache.md.

Page types and views only declare tags (`add_cache_tags`) and what a change
touches (`get_cache_purge_tags`); this package knows nothing of page types.
"""

from .tags import add_cache_tags, page_tag, path_tag

__all__ = ["add_cache_tags", "page_tag", "path_tag"]
