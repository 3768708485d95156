"""The checks an article must pass before it is submitted for review or
published (ArticlePage.prepublish_checks; the mechanism is cms/prepublish).

The body checks read the StreamField as stored (cms/blocks.py), not rendered:
rendering would make image renditions. Heading blocks, rich-text paragraphs (their
stored HTML, with `<a linktype="page" id="…">` internal links) and image blocks
are laid out as one HTML outline in body order, which BeautifulSoup parses.

Several are the rules of Wagtail's accessibility checker (its axe-core
configuration in wagtail/admin/userbar.py, which runs in the browser on the
preview) that can run on the server; each says which.
"""

import re

from bs4 import BeautifulSoup
from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.models import Page

from cms.prepublish.checks import prepublish_check

# Wagtail's custom axe rule alt-text-quality (check-image-alt-text's pattern):
# alt text that is a file name, or has underscores, was not written by a person.
ALT_TEXT_BAD_PATTERN = re.compile(r"\.(avif|gif|jpg|jpeg|png|svg|webp)$|_", re.I)
# Link text that says nothing of where the link goes (WCAG 2.4.4, link purpose).
VAGUE_LINK_TEXTS = {
    "click here",
    "click",
    "here",
    "read more",
    "more",
    "link",
    "this",
    "this link",
    "learn more",
    "go",
}
HEADING_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# A paragraph in bold or italics alone, this short, reads as a heading.
P_AS_HEADING_MAX_LENGTH = 80


def body_outline(page) -> BeautifulSoup:
    """The body as one HTML document, in order: headings as <hN>, paragraphs as
    their stored rich text, image blocks as <img> with their alt text (and
    `data-missing` when the image no longer exists)."""
    parts = []
    for block in page.body or []:
        value = block.value
        if block.block_type == "heading":
            tag = "h3" if value.get("level") == "h3" else "h2"
            parts.append(format_html("<{}>{}</{}>", tag, value.get("text") or "", tag))
        elif block.block_type == "paragraph":
            parts.append(getattr(value, "source", "") or "")
        elif block.block_type == "image":
            image = value.get("image")
            parts.append(
                format_html(
                    '<img alt="{}" data-image="{}"{}>',
                    value.get("alt_text") or "",
                    image.title if image else "",
                    " data-missing" if image is None else "",
                )
            )
    return BeautifulSoup("".join(str(part) for part in parts), "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def chosen_featured_image(page):
    try:
        return page.featured_image
    except ObjectDoesNotExist:
        return None  # a revision naming an image deleted since


@prepublish_check("featured_image", gettext_lazy("Featured image with alt text"))
def featured_image(page, options):
    image = chosen_featured_image(page)
    if image is None:
        return [_("Choose a featured image.")]
    if not (image.description or "").strip():
        return [
            _(
                "The featured image “%(title)s” has no alt text: describe it in "
                "its Description (Images)."
            )
            % {"title": image.title}
        ]
    return []


@prepublish_check("intro", gettext_lazy("Intro"))
def intro(page, options):
    return [] if (page.intro or "").strip() else [_("Write the intro.")]


@prepublish_check("tags", gettext_lazy("At least one tag"))
def tags(page, options):
    return [] if list(page.tags.all()) else [_("Add at least one tag.")]


@prepublish_check(
    "seo_description_length", gettext_lazy("SEO description length"), min=50, max=160
)
def seo_description_length(page, options):
    """The description search engines show: the search description, else the
    intro (EditorialPage.meta_description, as articles/seo.py uses it)."""
    description = " ".join((page.meta_description or "").split())
    low, high = options["min"], options["max"]
    if low <= len(description) <= high:
        return []
    source = (
        _("search description")
        if (page.search_description or "").strip()
        else _("intro, used when there is no search description")
    )
    return [
        _(
            "The SEO description (%(source)s) is %(length)s characters; it should "
            "be %(min)s to %(max)s. Write a search description in the Promote tab."
        )
        % {"source": source, "length": len(description), "min": low, "max": high}
    ]


@prepublish_check("internal_links", gettext_lazy("No broken internal links"))
def internal_links(page, options):
    """Links in the body to pages that are gone or not published, documents that
    are gone, and image blocks whose image was deleted."""
    outline = body_outline(page)
    page_ids, document_ids = set(), set()
    for link in outline.find_all("a", attrs={"linktype": True}):
        target = link.get("id", "")
        if not target.isdigit():
            continue
        if link["linktype"] == "page":
            page_ids.add(int(target))
        elif link["linktype"] == "document":
            document_ids.add(int(target))
    problems = []
    if page_ids:
        found = {
            pk: (live, title)
            for pk, live, title in Page.objects.filter(pk__in=page_ids).values_list(
                "pk", "live", "title"
            )
        }
        for pk in sorted(page_ids):
            if pk not in found:
                problems.append(
                    _("The body links to a page that no longer exists (id %(id)s).")
                    % {"id": pk}
                )
            elif not found[pk][0] and pk != page.pk:
                problems.append(
                    _("The body links to “%(title)s”, which is not published.")
                    % {"title": found[pk][1]}
                )
    if document_ids:
        existing = set(
            get_document_model()
            .objects.filter(pk__in=document_ids)
            .values_list("pk", flat=True)
        )
        problems += [
            _("The body links to a document that no longer exists (id %(id)s).")
            % {"id": pk}
            for pk in sorted(document_ids - existing)
        ]
    missing_images = outline.find_all("img", attrs={"data-missing": True})
    if missing_images:
        problems.append(
            _("%(count)s image block(s) show an image that no longer exists.")
            % {"count": len(missing_images)}
        )
    return problems


@prepublish_check("heading_order", gettext_lazy("Heading levels in order"))
def heading_order(page, options):
    """Wagtail's axe rule heading-order: no skipped levels. The page title is
    the h1, so the body starts at h2 and each heading goes at most one level
    deeper than the one before."""
    problems = []
    previous = 1
    for heading in body_outline(page).find_all(HEADING_TAGS):
        level = int(heading.name[1])
        if level > previous + 1:
            problems.append(
                _(
                    "The heading “%(text)s” is an h%(level)s after an h%(previous)s: "
                    "it skips a level (use a section heading first)."
                )
                % {"text": text_of(heading), "level": level, "previous": previous}
            )
        previous = level
    return problems


@prepublish_check("empty_heading", gettext_lazy("No empty headings"))
def empty_heading(page, options):
    """Wagtail's axe rule empty-heading."""
    empty = [h for h in body_outline(page).find_all(HEADING_TAGS) if not text_of(h)]
    if not empty:
        return []
    return [_("%(count)s heading(s) in the body have no text.") % {"count": len(empty)}]


@prepublish_check("link_name", gettext_lazy("Every link has text"))
def link_name(page, options):
    """Wagtail's axe rule link-name: a link screen readers can name."""
    empty = [link for link in body_outline(page).find_all("a") if not text_of(link)]
    if not empty:
        return []
    return [_("%(count)s link(s) in the body have no text.") % {"count": len(empty)}]


@prepublish_check("link_text", gettext_lazy("Link text says where it goes"))
def link_text(page, options):
    """Not one of Wagtail's axe rules: WCAG 2.4.4 (link purpose), which screen
    reader users rely on when they list a page's links."""
    vague = sorted(
        {
            text_of(link)
            for link in body_outline(page).find_all("a")
            if text_of(link).lower().strip(".:!…") in VAGUE_LINK_TEXTS
        }
    )
    return [
        _("The link text “%(text)s” does not say where the link goes.") % {"text": text}
        for text in vague
    ]


@prepublish_check("p_as_heading", gettext_lazy("Headings are headings"))
def p_as_heading(page, options):
    """Wagtail's axe rule p-as-heading: a short paragraph set entirely in bold,
    used as a heading, is not one for screen readers. (Axe also counts italics;
    here they are left alone: a newsroom's italic paragraph is an editor's note
    more often than a heading.)"""
    problems = []
    for paragraph in body_outline(page).find_all("p"):
        text = text_of(paragraph)
        if not text or len(text) > P_AS_HEADING_MAX_LENGTH:
            continue
        styled = paragraph.find_all(["b", "strong"])
        if any(text_of(element) == text for element in styled):
            problems.append(
                _("“%(text)s” is a paragraph styled as a heading: use a heading block.")
                % {"text": text}
            )
    return problems


@prepublish_check("alt_text_quality", gettext_lazy("Meaningful alt text"))
def alt_text_quality(page, options):
    """Wagtail's custom axe rule alt-text-quality (its check-image-alt-text
    pattern): alt text that looks like a file name. For image blocks and the
    featured image's description."""
    alts = [img.get("alt", "") for img in body_outline(page).find_all("img")]
    image = chosen_featured_image(page)
    if image is not None and image.description:
        alts.append(image.description)
    bad = sorted({alt for alt in alts if ALT_TEXT_BAD_PATTERN.search(alt.strip())})
    return [
        _("The alt text “%(alt)s” looks like a file name: describe the image.")
        % {"alt": alt}
        for alt in bad
    ]


ARTICLE_CHECKS = [
    featured_image,
    intro,
    tags,
    seo_description_length,
    internal_links,
    heading_order,
    empty_heading,
    link_name,
    link_text,
    p_as_heading,
    alt_text_quality,
]
