"""Reader engagement for demo content and benchmarks: comments (some waiting for
moderation), ratings and a week of views, the same for the same seed."""

import datetime
import random

from django.utils import timezone
from wagtail.models import Page

from .models import Comment, CommentStatus, DailyPageViews, Rating

DEMO_COMMENTS = [
    ("Maya", "This matches what I have seen where I live. Thank you for writing it."),
    ("Tom", "Good piece, though I would have liked more numbers on the costs."),
    ("Priya", "Sharing this with my team: the second half is especially useful."),
]


def add_demo_engagement(page: Page, seed: int) -> None:
    """Approved and waiting comments, ratings and a week of views, so the moderation
    queue, the ratings and the most-read list have something to show. The same
    `seed` gives the same figures."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    for n, (name, body) in enumerate(DEMO_COMMENTS[: seed % 4]):
        Comment.objects.create(
            page=page,
            name=name,
            email=f"{name.lower()}@example.com",
            body=body,
            status=CommentStatus.APPROVED if n < 2 else CommentStatus.PENDING,
        )
    Rating.objects.bulk_create(
        Rating(page=page, reader=f"demo-{seed}-{n}", score=rng.randint(2, 5))
        for n in range(rng.randint(0, 6))
    )
    today = timezone.localdate()
    DailyPageViews.objects.bulk_create(
        DailyPageViews(
            page=page,
            day=today - datetime.timedelta(days=day),
            views=rng.randint(0, 40),
        )
        for day in range(7)
    )
