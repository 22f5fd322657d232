"""Press releases and their ordered body of blocks."""

import reversion
from content_editor.models import Region, create_plugin_base
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision
from taggit.managers import TaggableManager

from cityhall.library.models import Contact, Image, ImageUse, Person, staff_member_field
from cityhall.library.redirects import KeepOldAddress
from cityhall.library.richtext import RichTextField
from cityhall.library.slugs import base_slug, unique_slug, validate_slug
from partnerships.models import Partnership, Project

SLUG_MAX_LENGTH = 160


class ReleaseState(models.TextChoices):
    """Where a release stands, as the press office says it: the one set of labels (workflow,
    admin columns and filter, previews, press desk). ``PressRelease.state`` gives it,
    ``PressReleaseQuerySet.in_state()``/``with_state()`` are its twin in SQL."""

    DRAFT = "draft", _("Entwurf")
    IN_REVIEW = "in_review", _("In Prüfung")
    APPROVED = "approved", _("Freigegeben")
    SCHEDULED = "scheduled", _("Geplant")
    PUBLISHED = "published", _("Veröffentlicht")
    WITHDRAWN = "withdrawn", _("Zurückgezogen")


class PressReleaseQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one publishing rule: status published and publication time reached.
        Every public surface (pages, feeds, sitemap, search) goes through here."""
        return self.filter(status=PressRelease.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Published with a time still to come: approved and waiting, public at ``published_at``."""
        return self.filter(status=PressRelease.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def in_state(self, state, now=None):
        """The releases whose ``PressRelease.state`` is ``state`` (a ``PressRelease.State``): the
        property's twin in SQL. "Scheduled" and "published" share the stored status and are told
        apart by the time, as in ``published()`` and ``scheduled()``."""
        state = PressRelease.State(state)
        if state == PressRelease.State.PUBLISHED:
            return self.published(now)
        if state == PressRelease.State.SCHEDULED:
            return self.scheduled(now)
        return self.filter(status=state.value)

    def with_state(self, now=None):
        """Annotate ``current_state``, the value of ``PressRelease.state``, in the same query."""
        scheduled = models.When(
            status=PressRelease.Status.PUBLISHED,
            published_at__gt=now or timezone.now(),
            then=models.Value(PressRelease.State.SCHEDULED.value),
        )
        return self.annotate(
            current_state=models.Case(scheduled, default=models.F("status"), output_field=models.CharField())
        )

    def with_publishing_gaps(self):
        """Releases lacking what publishing asks for (press/workflow.py ``publish_problems``): a press
        contact, and for every image used, alt text (unless decorative) and a credit. Imported archives
        may be published with such gaps; the press desk lists them."""

        no_alt = Q(image__decorative=False, image__alt_text="")
        block_gaps = ImageBlock.objects.filter(parent=models.OuterRef("pk")).filter(
            Q(image__credit="") | (Q(alt_text="") & no_alt)
        )
        return self.filter(
            Q(contact__isnull=True)
            | Q(image__isnull=False, image__credit="")
            | (Q(image__isnull=False, image_alt="") & no_alt)
            | models.Exists(block_gaps)
        )

    def withdrawn(self):
        """Withdrawn after they were public; their page says so instead of a silent 404."""
        return self.filter(
            status=PressRelease.Status.WITHDRAWN,
            withdrawn_at__isnull=False,
            published_at__lte=models.F("withdrawn_at"),
        )

    def for_listing(self):
        return self.select_related("image").prefetch_related("tags").order_by("-published_at", "-pk")

    def related_to(self, release):
        """Other releases sharing tags or partnerships with ``release``, the most shared first.
        Reads the release's tags and partnerships as prefetched; chain after ``published()``."""
        tag_ids = [tag.pk for tag in release.tags.all()]
        partnership_ids = [partnership.pk for partnership in release.partnerships.all()]
        if not tag_ids and not partnership_ids:
            return self.none()
        shared = Q(tags__in=tag_ids) | Q(partnerships__in=partnership_ids)
        return (
            self.filter(shared)
            .exclude(pk=release.pk)
            .annotate(
                shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
                + Count("partnerships", filter=Q(partnerships__in=partnership_ids), distinct=True)
            )
            .select_related("image")
            .prefetch_related("tags")
            .order_by("-shared", "-published_at", "-pk")
        )


class PressRelease(KeepOldAddress, ImageUse, models.Model):
    class Status(models.TextChoices):
        """What is stored (press/workflow.py moves it): draft → in review → approved → published →
        withdrawn. "Scheduled" is no status of its own: a published release whose time has not come
        yet (see ``state``). Labels are those of ``State``."""

        DRAFT = ReleaseState.DRAFT.value, ReleaseState.DRAFT.label
        IN_REVIEW = ReleaseState.IN_REVIEW.value, ReleaseState.IN_REVIEW.label
        APPROVED = ReleaseState.APPROVED.value, ReleaseState.APPROVED.label
        PUBLISHED = ReleaseState.PUBLISHED.value, ReleaseState.PUBLISHED.label
        WITHDRAWN = ReleaseState.WITHDRAWN.value, ReleaseState.WITHDRAWN.label

    State = ReleaseState
    regions = [Region(key="body", title=_("Text der Pressemitteilung"))]

    kicker = models.CharField(
        _("Dachzeile"),
        max_length=120,
        blank=True,
        help_text=_("Steht klein über dem Titel, z. B. „Internationales“."),
    )
    title = models.CharField(_("Titel"), max_length=300)
    subtitle = models.CharField(_("Untertitel"), max_length=300, blank=True)
    lead = models.TextField(
        _("Vorspann"), blank=True, help_text=_("Ein bis drei Sätze, die das Wichtigste zusammenfassen.")
    )
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        allow_unicode=False,
        validators=[validate_slug],
        help_text=_(
            "Wird aus dem Titel erzeugt, wenn leer (ä wird ae, ß wird ss). Nach der Veröffentlichung nicht mehr ändern."
        ),
    )
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("Veröffentlichungszeitpunkt"),
        default=timezone.now,
        db_index=True,
        help_text=_("Datum und Uhrzeit (Europe/Berlin), ab der die Mitteilung öffentlich erscheint."),
    )
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_for_releases",
        verbose_name=_("Aufmacherbild"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="press_releases",
        verbose_name=_("Pressekontakt"),
    )
    partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="press_releases",
        verbose_name=_("Städtepartnerschaften"),
        help_text=_("Partnerstädte, um die es in der Mitteilung geht."),
    )
    projects = models.ManyToManyField(
        Project,
        blank=True,
        related_name="press_releases",
        verbose_name=_("Partnerschaftsprojekte"),
        help_text=_("Projekte aus den Städtepartnerschaften, über die berichtet wird."),
    )
    tags = TaggableManager(
        _("Schlagwörter"), blank=True, help_text=_("Mehrere Schlagwörter mit Komma trennen.")
    )
    version = models.PositiveIntegerField(
        _("Fassung"),
        default=1,
        help_text=_("Zählt jede gespeicherte Änderung; schützt davor, die Arbeit anderer zu überschreiben."),
    )
    submitted_by = staff_member_field(_("Zur Prüfung eingereicht von"))
    submitted_at = models.DateTimeField(
        _("Zur Prüfung eingereicht am"), null=True, blank=True, editable=False
    )
    approved_by = staff_member_field(_("Freigegeben von"))
    approved_at = models.DateTimeField(_("Freigegeben am"), null=True, blank=True, editable=False)
    approved_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("Zurückgezogen am"), null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(
        _("Hinweis zum Rückzug"),
        blank=True,
        help_text=_("Wird nach dem Zurückziehen öffentlich auf der Seite der Mitteilung angezeigt."),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    objects = PressReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("Pressemitteilung")
        verbose_name_plural = _("Pressemitteilungen")
        indexes = [models.Index(fields=["status", "-published_at"], name="press_release_public_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="press_release_slug_not_empty"),
        ]
        permissions = [
            ("submit_pressrelease", _("Kann Pressemitteilungen zur Prüfung einreichen")),
            ("approve_pressrelease", _("Kann Pressemitteilungen freigeben (Vier-Augen-Prinzip)")),
            ("publish_pressrelease", _("Kann Pressemitteilungen veröffentlichen, planen und zurückziehen")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("press:detail", kwargs={"slug": self.slug})

    @classmethod
    def default_slug(cls, title):
        """The slug a release gets from ``title`` before it is made unique (the import finds rows by it)."""
        return base_slug(title, max_length=SLUG_MAX_LENGTH, fallback="pressemitteilung")

    @classmethod
    def address_kept_for(cls):
        """Releases whose old address redirects when their slug changes (``KeepOldAddress``): public
        ones, and withdrawn ones that were public (their page says so)."""
        return cls.objects.published() | cls.objects.withdrawn()

    def fill_slug(self):
        """Generate the slug from the title when it is empty (``default_slug``, made unique); it is
        never stored empty."""
        if not self.slug:
            self.slug = unique_slug(
                PressRelease.objects,
                self.title,
                max_length=SLUG_MAX_LENGTH,
                fallback="pressemitteilung",
                exclude_pk=self.pk,
            )

    def clean(self):
        super().clean()
        self.fill_slug()

    @property
    def state(self):
        """The release's ``State`` now: its status, with "scheduled" for a published release whose
        time has not come yet (nobody outside sees it)."""
        return self.state_at(timezone.now())

    def state_at(self, now):
        if self.status == self.Status.PUBLISHED and self.published_at > now:
            return self.State.SCHEDULED
        return self.State(self.status)

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED

    @property
    def modified_at(self):
        """When the public text last changed: the latest correction, else the publication
        (feeds' ``updated``, ``dateModified``). Reads ``corrections`` as prefetched."""
        dates = [correction.noted_at for correction in self.corrections.all()]
        return max([self.published_at, *dates])


PressReleaseBlock = create_plugin_base(PressRelease)


class TextBlock(PressReleaseBlock):
    html = RichTextField(_("Text"))

    class Meta:
        verbose_name = _("Text")
        verbose_name_plural = _("Texte")

    def __str__(self):
        return _("Text in „%(release)s“") % {"release": self.parent}


class QuoteBlock(PressReleaseBlock):
    """A quote, attributed to a person with the role and organisation as stated at the time,
    so an old release still reads "Oberbürgermeister" after an election."""

    text = models.TextField(_("Zitat"), help_text=_("Ohne Anführungszeichen; die setzt die Seite."))
    speaker = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("Person")
    )
    role = models.CharField(
        _("Funktion zum Zeitpunkt des Zitats"),
        max_length=200,
        blank=True,
        help_text=_("Wird aus dem Amt der Person übernommen, wenn leer."),
    )
    organisation = models.CharField(
        _("Organisation zum Zeitpunkt des Zitats"),
        max_length=200,
        blank=True,
        help_text=_("Wird aus dem Amt der Person übernommen, wenn leer."),
    )

    class Meta:
        verbose_name = _("Zitat")
        verbose_name_plural = _("Zitate")

    def __str__(self):
        return _("Zitat von %(person)s in „%(release)s“") % {"person": self.speaker, "release": self.parent}

    @classmethod
    def get_queryset(cls):
        return super().get_queryset().select_related("speaker")

    @property
    def attribution(self):
        """Speaker, role and organisation as printed under the quote, e.g.
        "Dr. Stephan Keller, Oberbürgermeister, Landeshauptstadt Düsseldorf"."""
        return ", ".join(part for part in (self.speaker.full_name, self.role, self.organisation) if part)

    @property
    def paragraphs(self):
        """The quote split at line breaks, without empty lines."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def fill_role_from_office(self):
        """Copy role and organisation from the office held on the release date, once."""
        if self.role and self.organisation:
            return
        day = timezone.localdate(self.parent.published_at) if self.parent.published_at else None
        office = self.speaker.office_on(day)
        if office:
            self.role = self.role or office.role
            self.organisation = self.organisation or office.organisation

    def save(self, *args, **kwargs):
        self.fill_role_from_office()
        super().save(*args, **kwargs)


class ImageBlock(PressReleaseBlock):
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="blocks", verbose_name=_("Bild"))
    alt_text = models.CharField(
        _("Alternativtext (abweichend)"),
        max_length=400,
        blank=True,
        help_text=_(
            "Nur ausfüllen, wenn hier ein anderer Alternativtext als in der Bildbibliothek gelten soll."
        ),
    )
    caption = models.TextField(
        _("Bildunterschrift (abweichend)"),
        blank=True,
        help_text=_(
            "Nur ausfüllen, wenn hier eine andere Bildunterschrift als in der Bildbibliothek gelten soll."
        ),
    )

    class Meta:
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")

    def __str__(self):
        return _("Bild in „%(release)s“") % {"release": self.parent}

    @classmethod
    def get_queryset(cls):
        return super().get_queryset().select_related("image__license")

    @property
    def effective_alt(self):
        if self.image.decorative and not self.alt_text:
            return ""
        return self.alt_text or self.image.alt_text

    @property
    def effective_caption(self):
        return self.caption or self.image.caption


class BackgroundBlock(PressReleaseBlock):
    title = models.CharField(
        _("Überschrift"), max_length=200, help_text=_("z. B. „Hintergrund Städtepartnerschaft“.")
    )
    html = RichTextField(_("Text"))

    class Meta:
        verbose_name = _("Hintergrund")
        verbose_name_plural = _("Hintergründe")

    def __str__(self):
        return _("Hintergrund in „%(release)s“") % {"release": self.parent}


BLOCK_MODELS = [TextBlock, QuoteBlock, ImageBlock, BackgroundBlock]


class SearchEntry(models.Model):
    """A release's text as search reads it; written by ``press.search`` whenever the release, a block, a tag
    or a partnership changes. ``vector`` (weighted tsvector, German) is filled on PostgreSQL only."""

    release = models.OneToOneField(
        PressRelease, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    text = models.TextField(_("Suchtext"), blank=True)
    folded = models.TextField(_("Suchtext (Kleinschreibung)"), blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("Sucheintrag")
        verbose_name_plural = _("Sucheinträge")
        # Created on PostgreSQL only (migration 0002); other databases search ``folded``.
        indexes = [
            GinIndex(fields=["vector"], name="press_search_vector_gin"),
            GinIndex(fields=["folded"], name="press_search_folded_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return str(self.release_id)


class Correction(models.Model):
    """A dated public correction note under a published release ("Korrektur vom …")."""

    release = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("Pressemitteilung")
    )
    noted_at = models.DateTimeField(
        _("Korrigiert am"),
        default=timezone.now,
        help_text=_("Datum und Uhrzeit der Korrektur (Europe/Berlin); steht öffentlich über dem Hinweis."),
    )
    text = models.TextField(
        _("Korrekturhinweis"),
        help_text=_("Was korrigiert wurde, z. B. „In einer früheren Fassung stand ein falsches Datum.“"),
    )
    created_by = staff_member_field(_("Eingetragen von"))

    class Meta:
        ordering = ["noted_at", "pk"]
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")

    def __str__(self):
        return _("Korrektur vom %(date)s") % {
            "date": timezone.localtime(self.noted_at).strftime("%d.%m.%Y %H:%M")
        }


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class PreviewLink(models.Model):
    """A link to a release before it is public, for people without an admin account: journalists
    under embargo (Sperrfrist) or the mayor's office for sign-off. The URL carries a signed token
    (press/previews.py); this row makes it expire and lets the press office revoke it."""

    class Purpose(models.TextChoices):
        EMBARGO = "embargo", _("Sperrfrist (Presse)")
        SIGNOFF = "signoff", _("Abstimmung (z. B. Büro des Oberbürgermeisters)")

    release = models.ForeignKey(
        PressRelease,
        on_delete=models.CASCADE,
        related_name="preview_links",
        verbose_name=_("Pressemitteilung"),
    )
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices, default=Purpose.EMBARGO)
    recipient = models.CharField(
        _("Empfänger"),
        max_length=200,
        help_text=_(
            "Wer den Link bekommt, z. B. „dpa, Landesdienst NRW“ oder „Büro des Oberbürgermeisters“."
        ),
    )
    key = models.CharField(max_length=32, editable=False, unique=True)
    expires_at = models.DateTimeField(
        _("Gültig bis"), help_text=_("Danach zeigt der Link nichts mehr (Europe/Berlin).")
    )
    created_by = staff_member_field(_("Angelegt von"))
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True, editable=False)
    revoked_by = staff_member_field(_("Widerrufen von"))
    last_used_at = models.DateTimeField(_("Zuletzt geöffnet"), null=True, blank=True, editable=False)
    use_count = models.PositiveIntegerField(_("Aufrufe"), default=0, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Vorschau-Link")
        verbose_name_plural = _("Vorschau-Links")

    def __str__(self):
        return _("Vorschau für %(recipient)s") % {"recipient": self.recipient}

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at is not None and self.expires_at > timezone.now()


class AuditEntry(models.Model):
    """Who moved a release through the workflow, and when. Written by press/workflow.py only."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Zur Prüfung eingereicht")
        APPROVED = "approved", ReleaseState.APPROVED.label
        RETURNED = "returned", _("Zurück an die Redaktion")
        BACK_TO_REVIEW = "back_to_review", _("Nach Änderung erneut in Prüfung")
        PUBLISHED = "published", ReleaseState.PUBLISHED.label
        SCHEDULED = "scheduled", ReleaseState.SCHEDULED.label
        UNSCHEDULED = "unscheduled", _("Planung aufgehoben")
        RESCHEDULED = "rescheduled", _("Zeitpunkt geändert")
        WITHDRAWN = "withdrawn", ReleaseState.WITHDRAWN.label
        EDITED_LIVE = "edited_live", _("Nach Veröffentlichung geändert")
        CORRECTED = "corrected", _("Korrektur veröffentlicht")
        RESTORED = "restored", _("Frühere Fassung wiederhergestellt")
        IMPORTED = "imported", _("Importiert")
        PREVIEW_CREATED = "preview_created", _("Vorschau-Link angelegt")
        PREVIEW_REVOKED = "preview_revoked", _("Vorschau-Link widerrufen")
        DELETED = "deleted", _("Gelöscht")

    release = models.ForeignKey(
        PressRelease,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("Pressemitteilung"),
    )
    release_title = models.CharField(_("Titel der Mitteilung"), max_length=300)
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices, db_index=True)
    from_status = models.CharField(
        _("Status vorher"), max_length=20, choices=PressRelease.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("Status nachher"), max_length=20, choices=PressRelease.Status.choices, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzer/in"),
    )
    user_name = models.CharField(_("Benutzername"), max_length=150, blank=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    note = models.TextField(_("Bemerkung"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")

    def __str__(self):
        return f"{self.get_action_display()}: {self.release_title}"


class RevisionTags(models.Model):
    """The tags of a release as they were in a revision; taggit's manager is not serialised by
    django-reversion, so press/history.py stores them next to the revision."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="press_tags")
    release_id = models.BigIntegerField()
    names = models.JSONField(default=list)

    class Meta:
        verbose_name = _("Schlagwörter einer Fassung")
        verbose_name_plural = _("Schlagwörter von Fassungen")

    def __str__(self):
        return ", ".join(self.names)


# Every saved release is a revision together with its blocks (press/history.py).
reversion.register(
    PressRelease,
    follow=[f"press_{model._meta.model_name}_set" for model in BLOCK_MODELS],
)
for _block_model in BLOCK_MODELS:
    reversion.register(_block_model)
