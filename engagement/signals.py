"""Signals the engagement app sends.

page_viewed
    Sent once for each counted reader view of a page (views are counted from a
    beacon the page sends, so cached pages are counted too). Arguments: `sender`
    (wagtailcore's Page: the beacon does not load the specific page), `page_id`,
    `user` (the signed-in reader, or None when anonymous). The view is counted in
    a buffer written to the database in batches (engagement/view_counts.py);
    receivers must be cheap: they run in the beacon request, and must not write to
    the database per view.

comments_moderated
    Sent by services.comments_moderate after a bulk status change. Arguments:
    `sender` (Comment), `page_ids` (ids of the pages whose shown comments changed).
"""

from django.dispatch import Signal

page_viewed = Signal()
comments_moderated = Signal()
