"""The yardstick bench/pages.py renders an article against: the smallest stock
Wagtail page, a title and a rich-text body, with nothing of the product's own.

Installed only by bench/inprocess_settings.py, never by the product's settings.
"""

from wagtail.fields import RichTextField
from wagtail.models import Page


class MinimalPage(Page):
    body = RichTextField(blank=True)
