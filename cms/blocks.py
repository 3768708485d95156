"""StreamField blocks shared by every editorial page type."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        help_text=_("Use h2 for sections; h3 only inside a section."),
    )

    class Meta:
        icon = "title"

    def render_basic(self, value, context=None):
        # Markup this small is cheaper built here than through a template, and
        # every article body starts with one.
        tag = "h3" if value.get("level") == "h3" else "h2"
        return format_html("<{}>{}</{}>", tag, value.get("text"), tag)


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text=_("Describe the image for readers who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "components/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[
            ("text", "Plain text"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("html", "HTML"),
            ("css", "CSS"),
            ("bash", "Shell"),
            ("sql", "SQL"),
        ],
        default="text",
    )
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "components/blocks/code.html"


class EditorialStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    # Rendered as Wagtail renders rich text (no template: one per paragraph
    # would only wrap the same HTML).
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        help_text=_("A YouTube, Vimeo or similar URL."),
        template="components/blocks/embed.html",
    )
    code = CodeBlock()
