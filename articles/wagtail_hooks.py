"""Registers the tag descriptions snippet (articles/tag_descriptions.py)."""

from wagtail.snippets.models import register_snippet

from .tag_descriptions import TagDescription

register_snippet(TagDescription)
