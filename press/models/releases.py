"""Press releases: the one state, the publishing rule on the QuerySet, the release itself."""

from content_editor.models import Region
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from cityhall.library.dates import validate_datetime
from cityhall.library.models import Contact, Image, ImageUse, Person, staff_member_field
from cityhall.library.redirects import KeepOldAddress
from cityhall.library.slugs import base_slug, unique_slug, validate_slug
from partnerships.models import Partnership, Project

SLUG_MAX_LENGTH = 160
# Related releases are chosen among this many of the newest sharing a tag (and a partnership).
RELATED_CANDIDATES = 200


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
        image_block = apps.get_model("press", "ImageBlock")  # defined on top of PressRelease (blocks.py)
        block_gaps = image_block.objects.filter(parent=models.OuterRef("pk")).filter(
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

    def under_approval(self):
        """Approved, scheduled or published: what a reader will see (or sees) was approved as it is."""
        return self.filter(status__in=[PressRelease.Status.APPROVED, PressRelease.Status.PUBLISHED])

    def showing(self, obj):
        """The releases that show the library object ``obj``: an image as lead image or in an image
        block, a person in a quote (cityhall.library.shared)."""
        if isinstance(obj, Image):
            shown = Q(image=obj) | Q(press_imageblock_set__image=obj)
        elif isinstance(obj, Person):
            shown = Q(press_quoteblock_set__speaker=obj)
        else:
            return self.none()
        return self.filter(pk__in=PressRelease.objects.filter(shown).values("pk"))

    def for_listing(self):
        return self.select_related("image").prefetch_related("tags").order_by("-published_at", "-pk")

    def related_to(self, release):
        """Other releases sharing tags or partnerships with ``release``, the most shared first.

        Bounded whatever the archive's size: the candidates are the newest ``RELATED_CANDIDATES``
        releases carrying one of the release's tags, and as many of its partnerships (index range
        scans of the through tables, by release id), and only those are counted and sorted.
        Reads the release's tags and partnerships as prefetched; chain after ``published()``."""
        tag_ids = [tag.pk for tag in release.tags.all()]
        partnership_ids = [partnership.pk for partnership in release.partnerships.all()]
        if not tag_ids and not partnership_ids:
            return self.none()
        through, candidates, shared, score = self.model.tags.through, Q(), Q(), []
        if tag_ids:
            content_type = ContentType.objects.get_for_model(self.model)  # cached after the first call
            tagged = through.objects.filter(content_type=content_type, tag_id__in=tag_ids)
            tagged = tagged.exclude(object_id=release.pk).order_by("-object_id").values("object_id")
            candidates |= Q(pk__in=tagged[:RELATED_CANDIDATES])
            shared |= Q(tags__in=tag_ids)
            score.append(Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        if partnership_ids:
            partnered = self.model.partnerships.through.objects.filter(partnership_id__in=partnership_ids)
            partnered = partnered.exclude(pressrelease_id=release.pk).order_by("-pressrelease_id")
            candidates |= Q(pk__in=partnered.values("pressrelease_id")[:RELATED_CANDIDATES])
            shared |= Q(partnerships__in=partnership_ids)
            score.append(Count("partnerships", filter=Q(partnerships__in=partnership_ids), distinct=True))
        return (
            self.filter(candidates)
            .filter(shared)
            .exclude(pk=release.pk)
            .annotate(shared=sum(score[1:], score[0]))
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
    browser_title = models.CharField(
        _("Titel im Browser-Tab"),
        max_length=70,
        blank=True,
        help_text=_("Kürzer als der Titel, für Tab und Suchmaschinen; leer: der Titel."),
    )
    meta_description = models.CharField(
        _("Beschreibung für Suchmaschinen"),
        max_length=300,
        blank=True,
        help_text=_("Ein bis zwei Sätze; leer: der Vorspann."),
    )
    social_text = models.CharField(
        _("Text für soziale Medien"),
        max_length=300,
        blank=True,
        help_text=_("Erscheint, wenn die Mitteilung geteilt wird; leer: die Beschreibung oder der Vorspann."),
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
        validators=[validate_datetime],
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
    number = models.PositiveIntegerField(
        _("Nummer"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Wird bei der Veröffentlichung vergeben: PM 123/2026."),
    )
    number_year = models.PositiveSmallIntegerField(
        _("Jahr der Nummer"), null=True, blank=True, editable=False
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
            models.UniqueConstraint(
                fields=["number_year", "number"],
                condition=Q(number__isnull=False),
                name="press_release_number_unique_per_year",
                violation_error_message=_("Diese Nummer ist in diesem Jahr schon vergeben."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, number_year__isnull=True)
                | Q(number__gte=1, number_year__gte=1800, number_year__lte=2199),
                name="press_release_number_with_year",
                violation_error_message=_("Eine Nummer braucht ihr Jahr (und umgekehrt)."),
            ),
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
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The month it was in, for the archive's month table (press/archive_index.py).
        instance._published_at_in_db = instance.__dict__.get("published_at")
        return instance

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
    def number_label(self):
        """ "PM 123/2026", or "" for a release without a number."""
        if self.number is None:
            return ""
        prefix = getattr(settings, "PRESS_RELEASE_NUMBER_PREFIX", "PM")
        return f"{prefix} {self.number}/{self.number_year}".strip()

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED

    @property
    def modified_at(self):
        """When the public text last changed: the latest correction, else the publication
        (feeds' ``updated``, ``dateModified``). Reads ``corrections`` as prefetched."""
        dates = [correction.noted_at for correction in self.corrections.all()]
        return max([self.published_at, *dates])
