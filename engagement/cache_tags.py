"""The page-cache tag engagement renders: pages showing the most-read list carry
POPULAR, purged only when the ranking changes (engagement/popular.py). Comments
and ratings purge the page's own `page:<id>` tag (its page and every card of it)."""

POPULAR = "engagement:popular"
