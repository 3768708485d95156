"""Signals the articles app sends.

article_viewed
    Sent once for each counted reader view of a published article (the reader
    features count views from a beacon, so cached pages are counted too).
    Arguments: `sender` (ArticlePage), `article_id`, `user` (the signed-in
    reader, or None when anonymous). The view is counted in a buffer written to
    the database in batches (articles/view_counts.py); receivers must be cheap:
    they run in the beacon request, and must not write to the database per view.
"""

from django.dispatch import Signal

article_viewed = Signal()

# Sent by services.comments_moderate after a bulk status change.
# Arguments: `sender` (Comment), `article_ids` (set of ArticlePage ids whose
# shown comments changed).
comments_moderated = Signal()
