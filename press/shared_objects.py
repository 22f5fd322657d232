"""Library objects that releases show (cityhall.library.shared): an image (lead image, image block)
or a quoted person. A change to what readers see of one shown by an approved, scheduled or published
release changes that release without review, so it needs the right to change the release (the rule:
``workflow.shared_change_problem``), and it is written into the log of every such release, whose
approval lapses unless its approver made the change (``workflow.shared_object_changed``)."""

from cityhall.library import shared
from cityhall.library.models import Image, Person
from press import workflow
from press.models import PressRelease

SHARED_MODELS = (Image, Person)


def check_change(sender, instance, fields, user, **kwargs):
    releases = list(
        PressRelease.objects.showing(instance).under_approval().order_by("title").only("pk", "title")
    )
    if not releases:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first() or instance  # named as known
    return workflow.shared_change_problem(user, stored, releases)


def record_change(sender, instance, fields, user, **kwargs):
    workflow.shared_object_changed(instance, fields, user)


def connect_signals():
    for model in SHARED_MODELS:
        name = model._meta.model_name
        shared.change_check.connect(check_change, sender=model, dispatch_uid=f"press_check_{name}")
        shared.changed.connect(record_change, sender=model, dispatch_uid=f"press_record_{name}")
