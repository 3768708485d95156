"""?offset= paging of the articles API that costs the same at any depth.

Wagtail's API pagination counts every matching article and reaches ?offset=N
with OFFSET, which reads and drops N rows: at 100,000 articles the last page took
nine times the first. For the plain listing (newest first, no filter, search or
?order=), the view's `keyset` (cms/pagination.py) knows where every STEP-th row
starts and the count, kept until a purge of the listing's tags; ?offset=N is read
from the start of its step on, skipping fewer than STEP rows. Any other listing
is Wagtail's.
"""

from rest_framework.request import Request
from wagtail.api.v2.pagination import WagtailPagination

from cms.pagination import KeysetPaginator

# The parameters that leave the plain listing's rows and order as they are.
PLAIN_LISTING = {"offset", "limit", "fields", "format"}
# Rows between two known starts: the most a request skips with OFFSET.
STEP = 50


class KeysetAPIPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request: Request, view=None):
        keyset = getattr(view, "keyset", None)
        if keyset is None or not set(request.GET) <= PLAIN_LISTING:
            return super().paginate_queryset(queryset, request, view)
        # Wagtail's checks of ?offset= and ?limit= (400s), on no rows at all
        # (no query); the slice it returns holds the validated bounds.
        checked = super().paginate_queryset(queryset.none(), request, view).query
        start, stop = checked.low_mark, checked.high_mark
        paginator = KeysetPaginator(queryset, STEP, keyset)
        self.total_count = paginator.count
        if start >= self.total_count or stop == start:
            return queryset.none()
        skip = start % STEP
        rows = paginator.rows_from(start // STEP + 1)
        return rows[skip : skip + stop - start]
