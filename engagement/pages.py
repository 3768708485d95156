"""How a page type opts in to reader engagement.

    class ReviewPage(ReaderEngagement, EditorialPage):
        accepts_ratings = False   # comments and view counts only

The reader endpoints (engagement/endpoints.py) accept a comment, rating or view
only for a live, public page whose type opts in and says it is open to readers;
templates show the comments and rating with `{% comments_for page %}` and
`{% rating_for page %}` (engagement/templatetags/engagement_tags.py).
"""


class ReaderEngagement:
    """Page mixin: readers may comment on, rate and be counted reading this page."""

    accepts_comments = True
    accepts_ratings = True
    # Counted views also make the page eligible for the most-read list.
    counts_views = True

    def is_open_to_readers(self) -> bool:
        """Whether readers may see the page now, beyond being live and public
        (the endpoints check those). Page types with an embargo override it."""
        return True


CAPABILITIES = {
    "comment": "accepts_comments",
    "rating": "accepts_ratings",
    "view": "counts_views",
}


def accepts(page, capability: str) -> bool:
    """Whether `page` (a specific page instance) takes `capability` from readers."""
    return (
        isinstance(page, ReaderEngagement)
        and getattr(page, CAPABILITIES[capability])
        and page.is_open_to_readers()
    )
