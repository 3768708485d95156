"""Article cards and links from the shared fragment cache (articles/cards.py).

{% load article_tags %}
{% article_card article heading_level=2 priority=forloop.first %}
{% article_cards related_ids compact=True as related_cards %}
{% prev_next_links older_id newer_id %}
"""

from django import template
from django.utils.safestring import mark_safe

from .. import cards

register = template.Library()


@register.simple_tag(takes_context=True)
def article_card(context, article, **options) -> str:
    # Rendered by the template engine, which escaped what it had to.
    return mark_safe(cards.card(context.get("request"), article, **options))  # noqa: S308


@register.simple_tag(takes_context=True)
def article_cards(context, ids, **options) -> list[str]:
    found = cards.cards(context.get("request"), list(ids), **options)
    return [mark_safe(html) for html in found]  # noqa: S308


@register.simple_tag(takes_context=True)
def prev_next_links(context, older_id, newer_id) -> str:
    html = cards.prev_next_links(context.get("request"), older_id, newer_id)
    return mark_safe(html)  # noqa: S308
