"""Serializer fields for the read API (used by ArticlePage.api_fields)."""

from rest_framework import serializers


class AuthorField(serializers.Field):
    """The byline as readers see it: never the email or other account details."""

    def to_representation(self, user) -> dict:
        return {"name": user.display_name, "username": user.username}


class AuthorsField(serializers.Field):
    """The whole byline in order (lead author first), each as AuthorField
    gives a person. The API's queryset prefetches the co-authors."""

    def get_attribute(self, instance):
        return instance.authors

    def to_representation(self, people) -> list[dict]:
        return [AuthorField().to_representation(person) for person in people]


class TagNamesField(serializers.Field):
    """Tag names from the prefetched tags (Wagtail's TagsField queries per item)."""

    def get_attribute(self, instance):
        return instance.tags

    def to_representation(self, tags) -> list[str]:
        return sorted(tag.name for tag in tags.all())
