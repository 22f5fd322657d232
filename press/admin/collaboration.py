"""Working with each other in the admin: internal comments and correction suggestions on a release
(listed on its change form and on the press desk, written on their own small pages, so nobody needs
to be able to change the release to write one), and each person's "Meine Benachrichtigungen"."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from press import notifications
from press.models import Comment, CorrectionSuggestion, NotificationKind, NotificationPreference, PressRelease


def release_change_url(release, anchor=""):
    return reverse("admin:press_pressrelease_change", args=[quote(release.pk)]) + anchor


def _user_name(user):
    return user.get_username() if user is not None else ""


# --- on the release's change form ------------------------------------------------------------------


class ListedInline(admin.TabularInline):
    """A read-only list under the release; the template links to the page that adds one."""

    template = "admin/press/edit_inline/listed.html"
    extra = 0
    can_delete = False
    add_label = ""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_url(self, request, release):
        """Where to write a new one about ``release``, or None where this user may not."""
        if release is None or not request.user.has_perm(f"press.add_{self.opts.model_name}"):
            return None
        return reverse(f"admin:press_{self.opts.model_name}_add") + f"?release={release.pk}"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.add_url, formset.add_label = self.add_url(request, obj), self.add_label
        return formset


class CommentInline(ListedInline):
    model = Comment
    fields = ["created_at", "author_name", "text"]
    readonly_fields = fields
    verbose_name_plural = _("Interne Kommentare")
    add_label = _("Kommentar schreiben")


class CorrectionSuggestionInline(ListedInline):
    model = CorrectionSuggestion
    fields = ["suggested_at", "suggested_by_name", "text", "done", "answer"]
    readonly_fields = fields
    show_change_link = True
    add_label = _("Korrektur anregen")

    def add_url(self, request, release):
        if release is None or release.status != PressRelease.Status.PUBLISHED:
            return None
        return super().add_url(request, release)


# --- the pages that write them ---------------------------------------------------------------------


class ReleaseNoteAdmin(admin.ModelAdmin):
    """Shared by comments and suggestions: added for a release (``?release=<pk>``) the user may see,
    then back to that release."""

    release_field = "release"

    def get_changeform_initial_data(self, request):
        return {"release": request.GET.get("release")}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "release":
            kwargs["queryset"] = self.releases(request)
            if request.GET.get("release"):  # opened from the release: no need to choose it again
                kwargs["widget"] = forms.HiddenInput()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def releases(self, request):
        if not request.user.has_perm("press.view_pressrelease"):
            return PressRelease.objects.none()
        return PressRelease.objects.all()

    def add_view(self, request, form_url="", extra_context=None):
        asked = request.GET.get("release", "")
        release = self.releases(request).filter(pk=asked).first() if asked.isdigit() else None
        if asked and release is None:
            raise PermissionDenied
        context = {
            "release": release,
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, context)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, self.added_message, messages.SUCCESS)
        return HttpResponseRedirect(release_change_url(obj.release, self.anchor))

    def response_change(self, request, obj):
        self.message_user(request, _("Gespeichert."), messages.SUCCESS)
        return HttpResponseRedirect(release_change_url(obj.release, self.anchor))


@admin.register(Comment)
class CommentAdmin(ReleaseNoteAdmin):
    fields = ["release", "text"]
    list_display = ["release", "author_name", "created_at"]
    list_select_related = ["release"]
    added_message = _("Ihr Kommentar ist gespeichert.")
    anchor = "#comments-group"
    add_form_template = "admin/press/note_form.html"

    def has_module_permission(self, request):
        return False  # listed on each release, not on the admin's start page

    def has_change_permission(self, request, obj=None):
        return False  # what was said stays as it was said

    def save_model(self, request, obj, form, change):
        obj.author, obj.author_name = request.user, _user_name(request.user)
        obj.full_clean()
        obj.save()


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = CorrectionSuggestion
        fields = ["release", "text", "answer", "done"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "answer": forms.Textarea(attrs={"rows": 4})}

    def clean_release(self):
        release = self.cleaned_data["release"]
        if self.instance.pk is None and release.status != PressRelease.Status.PUBLISHED:
            raise forms.ValidationError(
                _(
                    "Korrekturen regen Sie nur für veröffentlichte Mitteilungen an; diese können Sie selbst ändern."
                )
            )
        return release


@admin.register(CorrectionSuggestion)
class CorrectionSuggestionAdmin(ReleaseNoteAdmin):
    form = SuggestionForm
    list_display = ["release", "suggested_by_name", "suggested_at", "done"]
    list_filter = ["done"]
    list_select_related = ["release"]
    added_message = _("Ihr Vorschlag ist bei den Pressesprecher/innen angekommen.")
    anchor = "#correction_suggestions-group"
    add_form_template = "admin/press/note_form.html"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["release", "text"]
        return ["release_link", "text", "suggested_by_name", "suggested_at", "answer", "done"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["release_link", "text", "suggested_by_name", "suggested_at"]

    @admin.display(description=_("Pressemitteilung"))
    def release_link(self, obj):
        return format_html('<a href="{}">{}</a>', release_change_url(obj.release), obj.release.title)

    def save_model(self, request, obj, form, change):
        created = obj.pk is None
        if created:
            obj.suggested_by, obj.suggested_by_name = request.user, _user_name(request.user)
        if obj.done and obj.done_at is None:
            obj.done_at, obj.done_by = timezone.now(), request.user
        elif not obj.done:
            obj.done_at = obj.done_by = None
        obj.full_clean()
        obj.save()
        answered = not created and bool({"answer", "done"} & set(form.changed_data))
        notifications.suggestion_saved(obj, request.user, created=created, answered=answered)


# --- "Meine Benachrichtigungen" --------------------------------------------------------------------


class PreferenceFormBase(forms.ModelForm):
    """One checkbox per kind of mail (``want_<kind>``): ticked means wanted."""

    class Meta:
        model = NotificationPreference
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        muted = set(self.instance.muted or [])
        for kind in NotificationKind:
            self.fields[f"want_{kind.value}"].initial = kind.value not in muted

    def save(self, commit=True):
        self.instance.muted = [
            kind.value for kind in NotificationKind if not self.cleaned_data.get(f"want_{kind.value}")
        ]
        return super().save(commit)


PreferenceForm = type(
    "PreferenceForm",
    (PreferenceFormBase,),
    {f"want_{kind.value}": forms.BooleanField(label=kind.label, required=False) for kind in NotificationKind},
)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Every staff member sees and changes their own row only, and the list leads straight to it;
    superusers also see everyone's (to help someone who no longer gets a mail)."""

    form = PreferenceForm
    list_display = ["user", "muted"]

    def get_fieldsets(self, request, obj=None):
        names = [f"want_{kind.value}" for kind in NotificationKind]
        if obj is None:
            return [(None, {"fields": ["user"]}), (_("Mails erhalten, wenn …"), {"fields": names})]
        return [(_("Mails erhalten, wenn …"), {"fields": names})]

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("user")
        return rows if request.user.is_superuser else rows.filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or obj.user_id == request.user.pk or request.user.is_superuser

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        if not self.has_module_permission(request):
            raise PermissionDenied
        if request.user.is_superuser:
            return super().changelist_view(request, extra_context)
        return HttpResponseRedirect(self.mine_url(request))

    @staticmethod
    def mine_url(request):
        row, _created = NotificationPreference.objects.get_or_create(user=request.user)
        return reverse("admin:press_notificationpreference_change", args=[row.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        mine = str(object_id) == str(
            NotificationPreference.objects.filter(user=request.user).values_list("pk", flat=True).first()
        )
        title = _("Meine Benachrichtigungen") if mine else None
        context = {"title": title} if title else {}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def response_change(self, request, obj):
        self.message_user(request, _("Ihre Einstellungen sind gespeichert."), messages.SUCCESS)
        return HttpResponseRedirect(request.path)
