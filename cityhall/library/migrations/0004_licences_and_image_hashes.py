"""The managed licence list, and the content hash and size of images stored before 0003."""

import hashlib

from django.db import migrations

LICENCES = [
    ("Alle Rechte vorbehalten", ""),
    ("Pressefoto: honorarfrei zur Berichterstattung", ""),
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.de"),
    ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.de"),
    ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.de"),
]


def add_licences(apps, schema_editor):
    License = apps.get_model("cityhall", "License")
    for name, url in LICENCES:
        # An existing licence of the same name is kept as it is (its URL too).
        License.objects.get_or_create(name=name, defaults={"url": url})


def hash_images(apps, schema_editor):
    Image = apps.get_model("cityhall", "Image")
    for image in Image.objects.filter(content_hash="").exclude(file="").iterator():
        digest, size = hashlib.sha256(), 0
        try:
            with image.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError:
            continue  # file missing from storage: left without a hash
        Image.objects.filter(pk=image.pk).update(content_hash=digest.hexdigest(), file_size=size)


class Migration(migrations.Migration):
    dependencies = [("cityhall", "0003_image_rights_and_renditions")]

    operations = [
        migrations.RunPython(add_licences, migrations.RunPython.noop),
        migrations.RunPython(hash_images, migrations.RunPython.noop),
    ]
