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
from PIL import ImageColor, ImageDraw, ImageFont
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from engagement.demo import add_demo_engagement

from .models import ArticleIndexPage, ArticlePage, TagDescription

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

# One standfirst per headline, in HEADLINES order: no two articles open alike.
INTROS = [
    "Sleeper services are back on the map, and they are selling out.",
    "Folding a towel is easy for you and fiendishly hard for a machine.",
    "A metre of tarmac has become the most contested space in town.",
    "One man, three thousand spare parts and a waiting list of writers.",
    "You do not need a telescope to start; you need a dark field and patience.",
    "The software the world runs on is kept alive by volunteers on weekends.",
    "Einkorn, emmer and spelt are back on menus, and farmers are curious.",
    "When the water warms, the fish move, the weeds bloom and the oxygen drops.",
    "Your fridge has a privacy policy. We read all eleven thousand words of it.",
    "Twelve months, two bikes, one bus pass and a surprising amount saved.",
    "A small team copies the web before it disappears, one page at a time.",
    "Hives on office roofs are thriving, but the city may have too many bees.",
    "Grind size, water temperature and pressure, explained with a stopwatch.",
    "Volunteers with screwdrivers are keeping toasters out of landfill.",
    "When the big providers said no, the villagers dug the trenches themselves.",
    "Translating a poem means choosing what to lose. Its translators explain how.",
    "Forecasters work through the night so the morning briefing is right.",
    "Long, random and kept in a manager beats clever substitutions every time.",
    "A walk along twenty kilometres of track that closed in 1964.",
    "Margins are thin, rents are high, and yet the shops keep opening.",
    "Engineers say this time the turbines will survive the sea.",
    "Every letter is drawn hundreds of times before a typeface is finished.",
    "In a cold winter, the reading room became the town's living room.",
    "Patterns, counting and symmetry: a classroom experiment that stuck.",
    "Free delivery is never free. Someone pays, and often it is the climate.",
    "Buried streams still shape the streets above them.",
    "Three numbers on the label tell you most of what you need to know.",
    "Before phones, the clock on the town hall kept everyone to time.",
    "Solar panels and sheep turn out to be good neighbours.",
    "Data desks have become the engine room of the modern newsroom.",
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
    "On a grey Tuesday morning the workshop was already busy. Someone had brought "
    "cake; someone else had brought a problem nobody had seen before.",
    "Officials we spoke to were candid about the limits. Budgets are set years in "
    "advance, and the rules reward caution more than experiment.",
    "Critics argue the benefits are overstated. They point to places where the "
    "same idea was tried, celebrated, and quietly abandoned two years later.",
    "The costs are easy to count; the benefits arrive slowly and spread thinly, "
    "which is exactly why they are so often left out of the sums.",
    "Ask the people who do the work and a different picture emerges: fewer grand "
    "plans, more maintenance, and a great deal of improvisation.",
    "History offers a warning. A century ago a similar wave of enthusiasm ended "
    "in disappointment, not because the idea was wrong but because it was rushed.",
    "For now the project runs on goodwill. Its organisers would like a little "
    "less goodwill and a little more certainty about next year.",
    "Data from the last three winters tells a consistent story: demand rises in "
    "the cold months and never quite falls back to where it was.",
    "Not everyone is convinced. At a public meeting last month the questions were "
    "pointed, practical and, on the whole, fair.",
    "The researchers are careful to say what they do not know. The sample is "
    "small, the period short, and the effect may not last.",
    "By the end of the afternoon the list of things to fix was longer than when "
    "we arrived, which, we were told, is how you know it is working.",
]

HEADINGS = [
    "What we found",
    "How it works",
    "The numbers",
    "A longer history",
    "What the critics say",
    "Who pays",
    "What comes next",
    "On the ground",
]

QUOTES = [
    ("The hard part is never the idea. It is the tenth year.", "A volunteer"),
    ("We measure everything, and then we argue about what it means.", "A researcher"),
    ("People assume it is expensive. It is mostly just patient.", "An organiser"),
    ("Nobody planned it this way; it grew, and we kept up.", "A local official"),
    ("If it breaks, we learn something. If it works, we learn more.", "An engineer"),
    ("Customers come back because somebody remembers their name.", "A shopkeeper"),
]

CODE_SAMPLE = """import csv
from statistics import median

with open("readings.csv") as source:
    values = [float(row["value"]) for row in csv.DictReader(source)]
print(f"{len(values)} readings, median {median(values):.1f}")
"""

# Editors' words on a few tags (the others get a generated sentence).
TAG_DESCRIPTIONS = {
    "climate": "How a warming world changes rivers, cities, farms and the grid.",
    "technology": "The tools we build, who maintains them and who they serve.",
    "cities": "Streets, transport and the public spaces we share.",
    "craft": "People who make and mend things by hand, and why it matters.",
}

# Articles corrected some hours after publication (by position in HEADLINES).
UPDATED_LATER = {1, 5, 8, 14, 21}


def demo_image_file(title: str, seed: int) -> ImageFile:
    """A 1600x900 JPEG, unique per seed: a gradient under one of five compositions
    (rings, hills, stripes, tiles, a sun), so the cards do not all look alike."""
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
    light = tuple(min(255, c + 60) for c in bottom)
    dark = tuple(max(0, c - 40) for c in top)
    COMPOSITIONS[seed % len(COMPOSITIONS)](draw, rng, width, height, light, dark)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return ImageFile(buffer, name=f"{slugify(title)[:60]}.jpg")


def demo_image_description(seed: int) -> str:
    """Alt text for demo_image_file(seed): what its composition shows."""
    shown = COMPOSITION_DESCRIPTIONS[seed % len(COMPOSITIONS)]
    return f"An abstract illustration: {shown} over a colour gradient"


def _rings(draw, rng, width, height, light, dark):
    for _ in range(6):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(60, 260)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=light, width=8)


def _hills(draw, rng, width, height, light, dark):
    for layer in range(3):
        base = height - 120 - layer * 150
        points = [(0, height)]
        points += [(x, base - rng.randint(0, 180)) for x in range(0, width + 200, 200)]
        points.append((width, height))
        draw.polygon(points, fill=dark if layer % 2 else light)


def _stripes(draw, rng, width, height, light, dark):
    step = rng.randint(70, 130)
    for x in range(-height, width, step * 2):
        corners = [
            (x, 0),
            (x + step, 0),
            (x + step + height, height),
            (x + height, height),
        ]
        draw.polygon(corners, fill=light)


def _tiles(draw, rng, width, height, light, dark):
    size = 100
    for x in range(0, width, size):
        for y in range(0, height, size):
            if rng.random() < 0.35:
                draw.rectangle([x + 8, y + 8, x + size - 8, y + size - 8], fill=light)


def _sun(draw, rng, width, height, light, dark):
    cx, cy = rng.randint(400, 1200), rng.randint(250, 500)
    for r in range(360, 0, -60):
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=light if r % 120 else dark)
    draw.rectangle([0, height - 220, width, height], fill=dark)


COMPOSITIONS = [_rings, _hills, _stripes, _tiles, _sun]
COMPOSITION_DESCRIPTIONS = [
    "rings of light",
    "rolling hills",
    "diagonal stripes",
    "a grid of tiles",
    "a sun",
]


def demo_avatar(user) -> ImageFile:
    """A 256x256 PNG monogram in one of the palettes, for a demo account."""
    initials = (user.first_name[:1] + user.last_name[:1]).upper() or "?"
    background, ink = PALETTES[sum(map(ord, user.username)) % len(PALETTES)]
    image = PILImage.new("RGB", (256, 256), ImageColor.getrgb(background))
    draw = ImageDraw.Draw(image)
    draw.text(
        (128, 128),
        initials,
        fill=ImageColor.getrgb(ink),
        font=ImageFont.load_default(size=110),
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ImageFile(buffer, name=f"{user.username}.png")


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


def demo_body(seed: int, tags: list[str], inline_image=None) -> list:
    """Eight to ten blocks, ten to twelve paragraphs under three headings, a
    quote, and where it fits a captioned picture or a code sample. Embeds are
    left out: they fetch from their providers, and the demo must work offline."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    paragraphs = ["<p>" + text + "</p>" for text in rng.sample(PARAGRAPHS, k=12)]
    headings = rng.sample(HEADINGS, k=3)
    quote, attribution = QUOTES[seed % len(QUOTES)]
    body = [
        ("paragraph", RichText("".join(paragraphs[0:3]))),
        ("heading", {"text": headings[0], "level": "h2"}),
        ("paragraph", RichText("".join(paragraphs[3:6]))),
        ("quote", {"quote": quote, "attribution": attribution}),
    ]
    if inline_image is not None:
        body.append(
            (
                "image",
                {
                    "image": inline_image,
                    "alt_text": "An abstract illustration in the article's colours",
                    "caption": "Illustration: Presswagon demo graphics",
                },
            )
        )
    if "technology" in tags or "science" in tags:
        body.append(("code", {"language": "python", "code": CODE_SAMPLE}))
    body += [
        ("heading", {"text": headings[1], "level": "h2"}),
        ("paragraph", RichText("".join(paragraphs[6:9]))),
        ("heading", {"text": headings[2], "level": "h2"}),
        ("paragraph", RichText("".join(paragraphs[9 : 9 + 1 + seed % 3]))),
    ]
    return body


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
        image = Image(
            title=title,
            file=demo_image_file(title, n),
            # The alt text readers' screen readers get (and the pre-publish
            # checks ask for).
            description=demo_image_description(n),
        )
        image.save()
        inline_image = None
        if n % 3 == 0:
            inline_image = Image(
                title=f"{title} (illustration)", file=demo_image_file(title, n + 7)
            )
            inline_image.save()
        published_at = now - datetime.timedelta(days=n * 2, hours=(n * 5) % 24)
        article = index.add_child(
            instance=ArticlePage(
                title=title,
                slug=slug,
                author=author,
                owner=author,
                intro=INTROS[n],
                featured_image=image,
                body=demo_body(n, tags, inline_image),
                featured=n in (0, 4, 10),
                published_at=published_at,
            )
        )
        article.tags.add(*tags)
        article.save_revision(user=author).publish(
            user=author, skip_permission_checks=True
        )
        # updated_at is set on every save: date it as a newsroom would have, the
        # publication itself, or a correction some hours later for a few.
        hours_later = 6 + n if n in UPDATED_LATER else 0
        ArticlePage.objects.filter(pk=article.pk).update(
            updated_at=published_at + datetime.timedelta(hours=hours_later)
        )
        add_demo_engagement(article, n)
        created += 1
    for slug, description in TAG_DESCRIPTIONS.items():
        tag = Tag.objects.filter(slug=slug).first()
        if tag is not None:
            TagDescription.objects.get_or_create(
                tag=tag, defaults={"description": description}
            )
    return created
