"""Template filters for the public site's markup."""

import functools
from datetime import datetime

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html

from cms.static_urls import static_url

register = template.Library()


@register.filter
def html_datetime(value: datetime | None) -> str:
    """A `<time datetime>` value HTML accepts: whole seconds and an offset
    (2026-11-30T01:45:04+00:00). Django's `date:"c"` keeps microseconds, six
    fractional digits, where HTML allows at most three."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`, worked out once per process (cms/static_urls.py)."""
    return static_url(path)


@functools.cache
def _fixed_url(name: str, script_prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url name %}` for a URL without arguments (the feeds, the search page),
    reversed once per process: the URL configuration is fixed once loaded, and
    reverse() matches every pattern anew on each call."""
    return _fixed_url(name, get_script_prefix())


@register.filter
def initials(name: str) -> str:
    """Up to two initials for an avatar placeholder: "Alice Munro" -> "AM"."""
    return "".join(word[0] for word in str(name).split()[:2]).upper()


@register.simple_tag
def avatar(person, size: int) -> str:
    """A person's avatar at `size` px, or their initials. Decorative next to the
    name it accompanies: alt="" / aria-hidden."""
    if person.avatar:
        return format_html(
            '<img class="avatar" src="{}" alt="" width="{}" height="{}">',
            person.avatar.url,
            size,
            size,
        )
    return format_html(
        '<span class="avatar avatar--initials avatar--{}" aria-hidden="true">{}</span>',
        size,
        initials(person.display_name),
    )
