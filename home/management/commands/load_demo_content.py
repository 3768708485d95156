"""Seed a development site: staff accounts with known passwords, then demo articles.

Idempotent: accounts and articles are looked up by username and slug, so a second run
changes nothing. Refuses to run against production settings unless --force is given.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.demo import demo_avatar, load_demo_articles
from cms.public_address import sync_site_record
from home.models import HomePage

# Development-only credentials; printed by the command so a newcomer can log in.
DEMO_ACCOUNTS = [
    {
        "username": "admin",
        "password": "presswagon-admin",
        "role": "superuser",
        "first_name": "Ada",
        "last_name": "Admin",
    },
    {
        "username": "editor",
        "password": "presswagon-editor",
        "role": "Editors",
        "first_name": "Edith",
        "last_name": "Wharton",
        "bio": "Edith runs the news desk and writes about science and the climate.",
    },
    {
        "username": "alice",
        "password": "presswagon-author",
        "role": "Authors",
        "first_name": "Alice",
        "last_name": "Munro",
        "bio": "Alice covers culture and the arts, and edits the weekend pages.",
    },
    {
        "username": "bob",
        "password": "presswagon-author",
        "role": "Authors",
        "first_name": "Bob",
        "last_name": "Woodward",
        "bio": "Bob reports on technology and the people who build it.",
    },
]


class Command(BaseCommand):
    help = "Load demo users and content for local development (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when the settings say this is production.",
        )

    def handle(self, *args, force: bool = False, **options):
        if getattr(settings, "IS_PRODUCTION", False) and not force:
            raise CommandError(
                "Refusing to load demo content with production settings; "
                "pass --force if you really mean it."
            )
        with transaction.atomic():
            users = {
                spec["username"]: self.ensure_account(spec) for spec in DEMO_ACCOUNTS
            }
            created_articles = self.load_articles(users)
            # The demo is browsed at SITE_URL (`make run` sets it): links match.
            sync_site_record()

        self.stdout.write(self.style.SUCCESS("Demo content ready. Development logins:"))
        for spec in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {spec['username']:<8} / {spec['password']:<18} ({spec['role']})"
            )
        self.stdout.write(f"Articles created this run: {created_articles}")

    def ensure_account(self, spec: dict):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": f"{spec['username']}@example.com",
                "bio": spec.get("bio", ""),
                "is_staff": spec["role"] == "superuser",
                "is_superuser": spec["role"] == "superuser",
            },
        )
        if created:
            user.set_password(spec["password"])
            user.save(update_fields=["password"])
        if not user.avatar:
            # Bylines and author pages show a portrait: a drawn monogram.
            user.avatar.save(f"{user.username}.png", demo_avatar(user), save=True)
        self.add_to_role(user, spec["role"])
        return user

    def add_to_role(self, user, role: str) -> None:
        group = Group.objects.filter(name=role).first()
        if group is not None:
            user.groups.add(group)

    def load_articles(self, users: dict) -> int:
        authors = [users["alice"], users["bob"], users["editor"]]
        return load_demo_articles(HomePage.objects.get(), authors)
