"""Prepare the media bucket (MEDIA_STORAGE=s3): create it if missing and let anyone
read images, and only images (cms/media_storage.py).

    python manage.py configure_media_bucket

Run it once per deployment, like `migrate`; running it again changes nothing. The
bucket's other policy statements are kept.
"""

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from cms.media_storage import MediaStorage, configure_bucket, public_read_statement


class Command(BaseCommand):
    help = "Create the media bucket if missing and make its images publicly readable."

    def handle(self, *args, **options):
        storage = storages["default"]
        if not isinstance(storage, MediaStorage):
            raise CommandError(
                "Media is not on object storage: set MEDIA_STORAGE=s3 and "
                "AWS_STORAGE_BUCKET_NAME (see the README)."
            )
        try:
            created = configure_bucket(storage)
        except (BotoCoreError, ClientError) as error:
            raise CommandError(f"Bucket {storage.bucket_name}: {error}") from error
        self.stdout.write(
            f"Bucket {storage.bucket_name}: "
            f"{'created, ' if created else ''}public read for "
            f"{', '.join(public_read_statement(storage)['Resource'])}; "
            "everything else private."
        )
