"""Factories for the cross-cutting models: users and Wagtail images."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"writer{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    bio = factory.Faker("sentence", nb_words=12)
    password = factory.django.Password("pw-factory-123")


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Picture {n}")
    file = factory.django.ImageField(width=640, height=400, color="teal")
    # Alt text, as an editor gives every image (the pre-publish checks ask for it).
    description = factory.LazyAttribute(lambda image: f"A teal square: {image.title}")
