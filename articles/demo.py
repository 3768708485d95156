"""Demo articles for local development: images drawn with Pillow, no downloads.

`load_demo_articles` is idempotent: the index and each article are found by slug, so
a second run creates nothing.
"""

import datetime
import io
import random

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageColor, ImageDraw
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from engagement.demo import add_demo_engagement

from .models import ArticleIndexPage, ArticlePage

PALETTES = [
    ("#1d3557", "#e63946"),
    ("#264653", "#e9c46a"),
    ("#3d405b", "#f2cc8f"),
    ("#2b2d42", "#8d99ae"),
    ("#005f73", "#ee9b00"),
    ("#432818", "#bb9457"),
]

HEADLINES = [
    ("The quiet return of the night train", ["travel", "rail", "climate"]),
    ("Inside the lab teaching robots to fold laundry", ["technology", "robotics"]),
    ("Why every city is arguing about bike lanes", ["cities", "transport"]),
    ("The last typewriter repair shop in town", ["culture", "craft"]),
    ("A field guide to the stars above a dark-sky park", ["science", "travel"]),
    ("How open-source maintainers are paid, or aren't", ["technology", "open source"]),
    ("The chefs reviving forgotten grains", ["food", "culture"]),
    ("What a heatwave does to a river", ["climate", "science"]),
    ("Reading the small print of a smart fridge", ["technology", "privacy"]),
    ("A year of living without a car", ["transport", "cities"]),
    ("The archive that saves dying websites", ["technology", "culture"]),
    ("Beekeepers on the rooftops of the capital", ["cities", "nature"]),
    ("The surprising physics of a perfect espresso", ["science", "food"]),
    ("Mending, not replacing: the repair cafés", ["craft", "climate"]),
    ("How a village built its own broadband", ["technology", "rural life"]),
    ("The translators who bring poems across borders", ["culture", "books"]),
    ("Night shifts at the national weather service", ["science", "climate"]),
    ("Why your password rules are probably wrong", ["technology", "privacy"]),
    ("A walk along a lost railway line", ["travel", "rail", "history"]),
    ("The economics of a second-hand bookshop", ["books", "culture"]),
    ("Tidal power, finally?", ["climate", "energy"]),
    ("The quiet craft of type design", ["craft", "design"]),
    ("When the library became the warmest room in town", ["cities", "books"]),
    ("Teaching maths with knitting needles", ["craft", "science"]),
    ("The hidden cost of free shipping", ["economy", "climate"]),
    ("Mapping the city's underground rivers", ["cities", "history", "nature"]),
    ("How to read a nutrition label in thirty seconds", ["food", "science"]),
    ("A short history of the public clock", ["history", "design"]),
    ("The solar farm that grazes sheep", ["energy", "rural life"]),
    ("Why newsrooms are learning to code", ["technology", "journalism"]),
]

PARAGRAPHS = [
    "It began, as these things often do, with a small question that would not go "
    "away. Nobody in the room could answer it, and so we went looking.",
    "What we found was more complicated than the headlines suggest. The people "
    "closest to the problem describe trade-offs rather than villains, and a long "
    "tail of decisions that made sense at the time.",
    "Numbers help, but only so far. The figures show a clear trend over the past "
    "decade; the interviews explain why it has been so hard to reverse.",
    "There is reason for hope. Several small projects have shown that a different "
    "approach works at the scale of a street, a school or a town.",
    "The next step is the hardest: turning a promising pilot into something that "
    "lasts longer than a grant cycle, with people who can keep it running.",
]


def demo_image_file(title: str, seed: int) -> ImageFile:
    """A 1600x900 JPEG: a two-colour gradient with a few shapes, unique per seed."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    top, bottom = (ImageColor.getrgb(c) for c in PALETTES[seed % len(PALETTES)])
    width, height = 1600, 900
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(
                int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)
            ),
        )
    for _ in range(6):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(60, 260)
        shade = tuple(min(255, c + 40) for c in bottom)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=shade, width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return ImageFile(buffer, name=f"{slugify(title)[:60]}.jpg")


def ensure_article_index(home) -> ArticleIndexPage:
    index = ArticleIndexPage.objects.child_of(home).filter(slug="articles").first()
    if index is None:
        index = home.add_child(
            instance=ArticleIndexPage(
                title="Articles",
                slug="articles",
                intro="Reporting, essays and explainers, newest first.",
            )
        )
        index.save_revision().publish(skip_permission_checks=True)
    return index


def demo_body(seed: int) -> list:
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    paragraphs = rng.sample(PARAGRAPHS, k=4)
    return [
        ("paragraph", RichText(f"<p>{paragraphs[0]}</p>")),
        ("heading", {"text": "What we found", "level": "h2"}),
        ("paragraph", RichText(f"<p>{paragraphs[1]}</p><p>{paragraphs[2]}</p>")),
        (
            "quote",
            {
                "quote": "The hard part is never the idea. It is the tenth year.",
                "attribution": "A volunteer we spoke to",
            },
        ),
        ("heading", {"text": "What comes next", "level": "h2"}),
        ("paragraph", RichText(f"<p>{paragraphs[3]}</p>")),
    ]


def load_demo_articles(home, authors: list) -> int:
    """Create the demo articles under an 'Articles' index; returns how many."""
    index = ensure_article_index(home)
    Image = get_image_model()
    now = timezone.now()
    created = 0
    for n, (title, tags) in enumerate(HEADLINES):
        slug = slugify(title)
        if ArticlePage.objects.filter(slug=slug).exists():
            continue
        author = authors[n % len(authors)]
        image = Image(title=title, file=demo_image_file(title, n))
        image.save()
        article = index.add_child(
            instance=ArticlePage(
                title=title,
                slug=slug,
                author=author,
                owner=author,
                intro=PARAGRAPHS[n % len(PARAGRAPHS)].split(".")[0] + ".",
                featured_image=image,
                body=demo_body(n),
                featured=n in (0, 4, 10),
                published_at=now - datetime.timedelta(days=n, hours=n * 3),
            )
        )
        article.tags.add(*tags)
        article.save_revision(user=author).publish(
            user=author, skip_permission_checks=True
        )
        add_demo_engagement(article, n)
        created += 1
    return created
