"""Forms of the release admin: they collect what the editor typed and ask press.workflow whether
it may be saved (may change it at all, may move its time, saves on the version they opened)."""

import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from press import history, previews, workflow
from press.models import PressRelease, PreviewLink

from . import merge

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """Date and time in Europe/Berlin; a time that does not exist or exists twice at the change to or
    from summer time is refused with a German hint instead of being guessed."""

    def compress(self, data_list):
        if data_list and len(data_list) == 2 and all(data_list):
            problem = workflow.local_time_problem(datetime.datetime.combine(*data_list))
            if problem:
                raise ValidationError(problem, code="ambiguous_or_missing_time")
        return super().compress(data_list)

    def has_changed(self, initial, data):
        # The form shows whole seconds; the database keeps microseconds (a release published "now").
        # Saving what was shown is no change (compared at the precision the form can carry).
        if isinstance(initial, datetime.datetime):
            initial = initial.replace(microsecond=0)
        return super().has_changed(initial, data)


LOCAL_DATETIME = {models.DateTimeField: {"form_class": LocalSplitDateTimeField, "widget": AdminSplitDateTime}}


class VersionWidget(forms.HiddenInput):
    """The version travels hidden with the row; the number is shown next to it."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<span class="release-version">{}</span>', super().render(name, value, attrs, renderer), value
        )


class BrowserLineEndsMixin:
    """Browsers send textareas with CRLF line ends; read them as LF before anything compares them,
    so saving an unchanged form is no change (nothing goes back to review, no change in the
    history)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return
        keys = [self.add_prefix(name) for name in self.fields]
        if not any(
            "\r" in value for key in keys for value in self.data.getlist(key) if isinstance(value, str)
        ):
            return
        data = self.data.copy()
        for key in keys:
            values = data.getlist(key)
            if any(isinstance(value, str) and "\r" in value for value in values):
                data.setlist(key, [workflow.same_text(v) if isinstance(v, str) else v for v in values])
        self.data = data


class BlockForm(BrowserLineEndsMixin, forms.ModelForm):
    """The form of each block of the body."""


class WorkflowFormMixin:
    """Server-side checks of every save of a release through a form (change form and list_editable):
    the user may change it at all, may move its time, and saves on top of the version they opened."""

    user = None  # set per request by the admin
    conflict = None

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        step = self.data.get("_transition") if hasattr(self.data, "get") else None
        problem = step and workflow.reason_problem(step, self.data.get("_step_note", ""))
        if problem:
            self.add_error(None, ValidationError(problem, code="reason_required"))
        if instance.pk is None:
            return cleaned_data
        if "published_at" in self.fields and "published_at" not in self.changed_data:
            cleaned_data["published_at"] = instance.published_at  # as stored, not cut to the second shown
        problem = workflow.edit_problem(self.user, instance)
        if problem:
            raise ValidationError(problem, code="not_allowed")
        if "published_at" in self.changed_data and cleaned_data.get("published_at"):
            problem = workflow.time_problem(self.user, instance, cleaned_data["published_at"])
            if problem:
                self.add_error("published_at", problem)
        expected = cleaned_data.get("version")
        try:
            workflow.check_version(instance, expected)
        except workflow.ConflictError as exc:
            if self.merge_conflict(exc, expected, cleaned_data):
                return cleaned_data  # merged per field: saved on top of the stored version
            self.conflict = self.describe_conflict(instance, expected)
            if not (self.conflict or {}).get("both"):
                # Saving again now saves on top of the newer version: knowingly, after seeing it.
                data = self.data.copy()
                data[self.add_prefix("version")] = str(exc.current_version)
                self.data = data
            raise ValidationError(
                f"{exc} {gettext('Ihre Eingaben stehen unverändert im Formular.')}", code="conflict"
            ) from exc
        return cleaned_data

    def describe_conflict(self, instance, expected):
        return None

    def merge_conflict(self, exc, expected, cleaned_data):
        """Merge with the version stored meanwhile; True if that left nothing to decide."""
        return False


class PressReleaseForm(BrowserLineEndsMixin, WorkflowFormMixin, forms.ModelForm):
    """The head of a release. Its tags come from one field (``press.admin.tags``): existing ones picked,
    new ones typed into it."""

    class Meta:
        model = PressRelease
        fields = [
            "kicker",
            "title",
            "subtitle",
            "lead",
            "published_at",
            "slug",
            "withdrawal_note",
            "version",
            "image",
            "image_alt",
            "image_caption",
            "browser_title",
            "meta_description",
            "social_text",
            "tags",
            "partnerships",
            "projects",
            "contact",
        ]
        widgets = {"version": forms.HiddenInput}

    merge = merged_by = None  # set by merge_conflict()

    def describe_conflict(self, instance, expected):
        """Who saved meanwhile, what they changed (from the revision of the version opened), and the
        fields both changed, side by side."""
        latest = history.versions_of(instance.pk).first()
        opened = history.state_at_version(instance, expected)
        stored = PressRelease.objects.get(pk=instance.pk)
        both = self.merge.both if self.merge else []
        return {
            "by": latest.revision.user if latest else None,
            "at": latest.revision.date_created if latest else instance.updated_at,
            "comment": latest.revision.comment if latest else "",
            "changes": history.diff(opened, history.current_state(stored)) if opened else None,
            "current_version": stored.version,
            "who": merge.last_saved_by(stored),
            "both": [
                *(merge.side_by_side(self, name, stored) for name in both),
                *getattr(self, "blocks_both", []),
            ],
            "taken": [str(self.fields[name].label) for name in (self.merge.taken if self.merge else [])],
        }

    def merge_conflict(self, exc, expected, cleaned_data):
        result = merge.merge_form(self, exc, expected, cleaned_data)
        if result is None:
            return False
        self.merge, base, stored = result
        chosen = merge.choices_from(self.data, exc.current_version)
        self.blocks_keep, self.blocks_both = merge.merge_blocks(self.data, base, chosen)
        if self.merge.unresolved or not all(row["decided"] for row in self.blocks_both):
            return False
        kept = [*self.merge.taken, *(name for name in self.merge.both if chosen[name] == merge.THEIRS)]
        for name in kept:
            cleaned_data[name] = merge.stored_value(stored, name)
            if name == "tags":
                cleaned_data["new_tags"] = []
        cleaned_data["version"] = exc.current_version
        self.__dict__["changed_data"] = [name for name in self.changed_data if name not in kept]
        self.merge_base, self.merged_by = base, merge.last_saved_by(stored)
        return True


class ReleaseChangelistForm(BrowserLineEndsMixin, WorkflowFormMixin, forms.ModelForm):
    """One row of the list's editing. A row the user may not change (a published release for
    Redaktion) offers no field: the list shows its value instead. A row that did not change is
    neither checked nor saved."""

    class Meta:
        model = PressRelease
        fields = ["published_at", "version"]
        widgets = {"version": VersionWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (The time rule is asked about "any other time": None is never the stored one.)
        if (
            self.instance.pk is not None
            and self.user is not None
            and (
                not workflow.may_edit(self.user, self.instance)
                or workflow.time_problem(self.user, self.instance, None)
            )
        ):
            del self.fields["published_at"]

    def clean(self):
        if not self.has_changed():
            return forms.ModelForm.clean(self)
        return super().clean()


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label=_("Widerrufen"), required=False, help_text=_("Der Link zeigt danach nichts mehr.")
    )

    class Meta:
        model = PreviewLink
        fields = ["purpose", "recipient", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["purpose"].disabled = True
            if self.instance.revoked_at:
                for field in self.fields.values():
                    field.disabled = True
        else:
            self.fields["revoke"].disabled = True
            self.fields["expires_at"].initial = timezone.now() + previews.DEFAULT_VALIDITY

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None and self.has_changed():
            release = PressRelease.objects.filter(pk=self.instance.release_id).first()
            problem = release and previews.creation_problem(release, cleaned_data.get("purpose"))
            if problem:
                raise ValidationError(problem)
        return cleaned_data
