"""The bulkier admin pages of the Presseverteiler: the CSV import, the embargo pre-send and the
report of a mailing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from press import previews
from press.models import PressRelease, PreviewLink

from . import csv_import, fanout
from .composing import german_time
from .models import Delivery, Mailing, MailingList, Subscriber

REPORT_ROWS = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_("Spalten: email, name, outlet, lists (Kürzel, mit ; getrennt), optional consent_source."),
    )
    lists = forms.ModelMultipleChoiceField(
        MailingList.objects.all(),
        required=False,
        label=_("Listen für Zeilen ohne Angabe"),
        widget=forms.CheckboxSelectMultiple,
    )


class AdminPage(View):
    model_admin = None
    template = ""

    def page(self, request, **context):
        site = self.model_admin.admin_site
        context = {**site.each_context(request), "opts": self.model_admin.model._meta, **context}
        return TemplateResponse(request, self.template, context)


class ImportView(AdminPage):
    template = "admin/distribution/subscriber/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(request, form=ImportForm(), title=_("Verteiler aus CSV importieren"))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            try:
                reader = csv_import.read(form.cleaned_data["file"])
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:
                report = csv_import.import_rows(reader, form.cleaned_data["lists"])
        return self.page(request, form=form, report=report, title=_("Verteiler aus CSV importieren"))


class EmbargoView(AdminPage):
    """Spokespeople send an approved release to the accredited press before its publication."""

    template = "admin/distribution/mailing/embargo.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("press.approve_pressrelease"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def candidates(self):
        now = timezone.now()
        approved = PressRelease.objects.in_state(PressRelease.State.APPROVED)
        scheduled = PressRelease.objects.scheduled(now)
        return (approved | scheduled).filter(published_at__gt=now).order_by("published_at")

    def get(self, request):
        releases = list(self.candidates())
        sent = dict(
            Mailing.objects.filter(kind=Mailing.Kind.EMBARGO, release__in=releases)
            .annotate(count=Count("deliveries"))
            .values_list("release_id", "count")
        )
        rows = [(release, german_time(release.published_at), sent.get(release.pk)) for release in releases]
        accredited = (
            Subscriber.objects.receiving()
            .filter(accredited_at__isnull=False, lists__kind=MailingList.Kind.ACCREDITED)
            .distinct()
            .count()
        )
        return self.page(
            request,
            rows=rows,
            accredited=accredited,
            title=_("Vorab unter Sperrfrist an die akkreditierte Presse"),
        )

    def post(self, request):
        release = get_object_or_404(self.candidates(), pk=request.POST.get("release"))
        mailing = Mailing.objects.filter(kind=Mailing.Kind.EMBARGO, release=release).first()
        link = mailing.preview_link if mailing and mailing.preview_link else None
        if link is None or link.revoked_at is not None:
            link = previews.create(
                release,
                request.user,
                recipient=str(_("Presseverteiler: akkreditierte Presse")),
                purpose=PreviewLink.Purpose.EMBARGO,
                expires_at=release.published_at + previews.DEFAULT_VALIDITY,
            )
        fanout.plan(Mailing.Kind.EMBARGO, release, user=request.user, preview_link=link)
        messages.success(
            request,
            _("„%(title)s“ geht jetzt vorab an die akkreditierte Presse (Sperrfrist: %(until)s).")
            % {"title": release.title, "until": german_time(release.published_at)},
        )
        return redirect("admin:distribution_mailing_changelist")


def report(mailing_id):
    """The report of one mailing: counts per state and the rows that failed or wait, with reasons."""
    counts = dict(
        Delivery.objects.filter(mailing_id=mailing_id)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    states = [(label, counts.get(value, 0)) for value, label in Delivery.State.choices]
    problems = (
        Delivery.objects.filter(mailing_id=mailing_id)
        .exclude(state=Delivery.State.SENT)
        .exclude(error="")
        .order_by("state", "pk")[:REPORT_ROWS]
    )
    return {"report_states": states, "report_problems": list(problems), "report_total": sum(counts.values())}
