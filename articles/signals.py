"""Signals the articles app sends.

article_viewed
    Sent once for each counted reader view of a published article (the reader
    features count views from a beacon, so cached pages are counted too).
    Arguments: `sender` (ArticlePage), `article` (the ArticlePage),
    `user` (the reader, or None when anonymous).
    Receivers must be cheap: they run in the request that counted the view.
"""

from django.dispatch import Signal

article_viewed = Signal()
