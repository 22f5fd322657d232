"""The approval fingerprint now also covers what readers see of the library objects a release shows
(image file, alt text, caption, credit; the quoted person's name). An approval given before whose
content is unchanged (its fingerprint matches the old way) gets the fingerprint of the new way, so
it does not lapse on the update; one whose content changed since stays lapsed. Uses the fingerprint of the code (press.services.rules) on the rows it finds; a database
without approved or published releases has nothing to do."""

from django.db import migrations


def refresh_fingerprints(apps, schema_editor):
    HistoricalRelease = apps.get_model("press", "PressRelease")
    using = schema_editor.connection.alias
    pks = list(
        HistoricalRelease.objects.using(using)
        .filter(status__in=["approved", "published"])
        .exclude(approved_fingerprint="")
        .values_list("pk", flat=True)
    )
    if not pks:
        return
    from press.models import PressRelease
    from press.services.rules import fingerprint

    for release in PressRelease.objects.using(using).filter(pk__in=pks).select_related("image"):
        if release.approved_fingerprint != fingerprint(release, metadata=False, library=False):
            continue
        PressRelease.objects.using(using).filter(pk=release.pk).update(
            approved_fingerprint=fingerprint(release, metadata=False)
        )


class Migration(migrations.Migration):
    dependencies = [("press", "0011_featured_releases")]

    operations = [migrations.RunPython(refresh_fingerprints, migrations.RunPython.noop)]
