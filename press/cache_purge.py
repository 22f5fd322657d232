"""What the page cache (cityhall/library/pagecache.py) must know of releases: which pages show a
release, which list releases, when the clock alone changes them, and the purges on the write path's
events (press/signals.py).

Keys of a page: every release, image, person, office, contact, tag and partnership loaded while it is
made (``press.pressrelease:12``, ``cityhall.image:3``, ``taggit.tag:5``, …), and ``press:releases``
on every page that lists the newest releases (home, the list and its archives, tag pages, feeds,
sitemap, search, Bildnachweis), where a new one would appear.

A release's event (published, also scheduled; updated, which covers corrections; withdrawn, also
unscheduled) purges its own key (its page and every page that shows it: lists, tags, feeds,
partnerships, related releases), its tags' and partnerships' keys (their pages and the pages of
releases that would now list it as related), and ``press:releases``, except for an update that
leaves its time as it was (the lists that show it have its key; others do not change). Library
objects purge their own key on save (an image's caption or credit, a speaker's name).

A scheduled release needs no write when its time comes: no page is fresh past the next scheduled
``published_at`` (``next_publication``), nor past the end of a pin on the home page or the start or end
of a public appointment (``next_change``), so the first request after it makes the pages again.

Appointments and pins: saving one purges ``press:appointments`` (the appointment pages, their
calendars and the home page) or ``press:featured`` (the home page); legal pages purge their own key.
"""

from django.conf import settings
from django.core.cache import caches
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from taggit.models import Tag

from cityhall.library import pagecache
from cityhall.library.models import Contact, EasyLanguagePage, Image, LegalPage, Office, Person
from partnerships.models import Partnership, Project

from . import signals
from .models import Appointment, Correction, FeaturedRelease, PressRelease

RELEASES = "press:releases"
# The pages that list the newest releases (URL names in the press namespace).
LISTING_PAGES = {
    "home",
    "list",
    "year",
    "month",
    "tag",
    "feed_atom",
    "feed_rss",
    "tag_feed_atom",
    "tag_feed_rss",
    "partnership_feed_atom",
    "partnership_feed_rss",
    "search",
    "credits",
    "sitemap",
}
# Lists that have no instance to record when the first one is added.
PARTNERSHIP_LISTS = "partnerships:list"
EASY_LANGUAGE = "cityhall:easy_language"  # the Leichte-Sprache pages and their links on the home page
APPOINTMENTS = "press:appointments"
FEATURED = "press:featured"
APPOINTMENT_PAGES = {"appointments", "appointments_ics", "appointment", "appointment_ics"}
TRACKED = (PressRelease, Image, Person, Office, Contact, Tag, Partnership, Project, LegalPage)


def page_keys(request):
    match = request.resolver_match
    if match is None:
        return ()
    if match.namespace == "press" and match.url_name == "home":
        return (RELEASES, EASY_LANGUAGE, APPOINTMENTS, FEATURED)
    if match.namespace == "press" and match.url_name in APPOINTMENT_PAGES:
        return (APPOINTMENTS,)
    if match.namespace == "press" and match.url_name in LISTING_PAGES:
        return (RELEASES,)
    if match.namespace == "cityhall":
        return (EASY_LANGUAGE,)
    if match.namespace == "partnerships" and match.url_name != "detail":
        return (PARTNERSHIP_LISTS,)
    return ()


def next_publication():
    """When the next scheduled release becomes public (None: none is scheduled)."""
    return (
        PressRelease.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def next_change():
    """The next moment a pin on the home page ends or a public appointment starts or ends."""
    now = timezone.now()
    public = Appointment.objects.public()
    moments = [
        FeaturedRelease.objects.filter(until__gt=now).aggregate(next=Min("until"))["next"],
        public.filter(starts_at__gt=now).aggregate(next=Min("starts_at"))["next"],
        public.filter(ends_at__gt=now).aggregate(next=Min("ends_at"))["next"],
    ]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def release_keys(release):
    keys = {pagecache.model_key(release)}
    keys.update(pagecache.model_key(Tag, pk) for pk in release.tags.values_list("pk", flat=True))
    partnership_ids = set(release.partnerships.values_list("pk", flat=True))
    partnership_ids.update(release.projects.values_list("partnership_id", flat=True))
    keys.update(pagecache.model_key(Partnership, pk) for pk in partnership_ids)
    return keys


def _time_key(release):
    return f"pagecache:published_at:{release.pk}"


def _time_changed(release):
    """Did the release's time change since its last event? (Unknown counts as changed.)"""
    cache = caches[settings.PAGECACHE_ALIAS]
    stamp = release.published_at.isoformat() if release.published_at else ""
    try:
        before = cache.get(_time_key(release))
        cache.set(_time_key(release), stamp, timeout=None)
    except pagecache.CacheDown:
        return True
    return before != stamp


def release_changed(sender, release, **kwargs):
    keys = release_keys(release)
    if _time_changed(release) or kwargs.get("signal") is not signals.release_updated:
        keys.add(RELEASES)
    pagecache.purge(*keys)


def correction_changed(sender, instance, **kwargs):
    """Corrections are written through the workflow (release_updated); this also covers the admin's
    deletes of a correction and any other way a correction row changes."""
    pagecache.purge_on_commit(pagecache.model_key(PressRelease, instance.release_id))


def easy_language_changed(sender, instance, **kwargs):
    pagecache.purge_on_commit(EASY_LANGUAGE)


def appointment_changed(sender, instance, **kwargs):
    pagecache.purge_on_commit(APPOINTMENTS)


def featured_changed(sender, instance, **kwargs):
    pagecache.purge_on_commit(FEATURED)


def connect_signals():
    for model in TRACKED:
        # Releases are purged on the write path's events, not on every save of a draft.
        pagecache.track(model, purge_on_save=model is not PressRelease)
    pagecache.register_page_keys(page_keys)
    pagecache.register_lifetime_cap(next_publication)
    pagecache.register_lifetime_cap(next_change)
    for signal in (signals.release_published, signals.release_updated, signals.release_withdrawn):
        signal.connect(release_changed, sender=PressRelease, dispatch_uid=f"press_cache_purge_{id(signal)}")
    post_save.connect(correction_changed, sender=Correction, dispatch_uid="press_cache_correction")
    post_delete.connect(correction_changed, sender=Correction, dispatch_uid="press_cache_correction")
    post_save.connect(easy_language_changed, sender=EasyLanguagePage, dispatch_uid="press_cache_easy")
    post_delete.connect(easy_language_changed, sender=EasyLanguagePage, dispatch_uid="press_cache_easy")
    for model, receiver in ((Appointment, appointment_changed), (FeaturedRelease, featured_changed)):
        uid = f"press_cache_{model._meta.model_name}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
