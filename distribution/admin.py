from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import admin_views, subscriptions
from .models import Consent, Mailing, MailingList, Subscriber


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "public", "subscriber_count"]
    list_filter = ["kind", "public"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["tag", "partnership"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(subscriber_count=Count("subscribers"))

    @admin.display(description=_("Empfänger/innen"), ordering="subscriber_count")
    def subscriber_count(self, obj):
        return obj.subscriber_count


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "outlet", "state", "frequency", "accredited_at", "refusals"]
    list_filter = ["state", "frequency", "lists", ("accredited_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "name", "outlet"]
    filter_horizontal = ["lists"]
    readonly_fields = ["state", "created_at", "confirmed_at", "refusals", "failing_since", "last_refusal"]
    fields = [
        "email",
        "name",
        "outlet",
        "phone",
        "lists",
        "frequency",
        "accredited_at",
        *readonly_fields,
    ]
    actions = ["accredit", "resume"]
    change_list_template = "admin/distribution/subscriber/change_list.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        subscriber = form.instance
        if not change and subscriber.state == Subscriber.State.PENDING:
            # Added by hand: nothing is sent before the address confirms.
            subscriptions.ask_to_confirm(subscriber, list(subscriber.lists.all()))

    def get_urls(self):
        view = self.admin_site.admin_view(admin_views.ImportView.as_view(model_admin=self))
        return [path("import/", view, name="distribution_subscriber_import"), *super().get_urls()]

    @admin.action(
        description=_("Akkreditieren (erhält Mitteilungen unter Sperrfrist)"), permissions=["change"]
    )
    def accredit(self, request, queryset):
        lists = MailingList.objects.filter(kind=MailingList.Kind.ACCREDITED)
        count = 0
        for subscriber in queryset.filter(state=Subscriber.State.CONFIRMED):
            subscriber.accredited_at = subscriber.accredited_at or timezone.now()
            subscriber.save(update_fields=["accredited_at"])
            subscriber.lists.add(*lists)
            count += 1
        self.message_user(request, _("%(count)d Adressen akkreditiert (nur bestätigte).") % {"count": count})

    @admin.action(description=_("Pausierte Adressen wieder beliefern"), permissions=["change"])
    def resume(self, request, queryset):
        count = queryset.filter(state=Subscriber.State.PAUSED).update(
            state=Subscriber.State.CONFIRMED, refusals=0, failing_since=None
        )
        self.message_user(
            request, _("%(count)d Adressen werden wieder beliefert.") % {"count": count}, messages.SUCCESS
        )


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = [
        "requested_at",
        "method",
        "wording_version",
        "lists",
        "confirmed_at",
        "withdrawn_at",
        "keep_until",
    ]
    list_filter = ["method", "wording_version"]
    search_fields = ["address_hash", "subscriber__email"]
    list_select_related = ["subscriber"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "scheduled_for", "sent", "failed", "open", "report_link"]
    list_filter = ["kind", "state"]
    list_select_related = ["release"]
    change_form_template = "admin/distribution/mailing/report.html"
    change_list_template = "admin/distribution/mailing/change_list.html"
    readonly_fields = ["kind", "state", "release", "subject", "scheduled_for", "started_at", "finished_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_urls(self):
        view = self.admin_site.admin_view(admin_views.EmbargoView.as_view(model_admin=self))
        return [path("sperrfrist/", view, name="distribution_mailing_embargo"), *super().get_urls()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Angenommen"))
    def sent(self, obj):
        return obj.count_sent

    @admin.display(description=_("Fehlgeschlagen"))
    def failed(self, obj):
        return obj.count_failed

    @admin.display(description=_("Offen"))
    def open(self, obj):
        return obj.count_queued + obj.count_sending

    @admin.display(description=_("Bericht"))
    def report_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:distribution_mailing_change", args=[obj.pk]), _("Bericht")
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), **admin_views.report(object_id)}
        )
