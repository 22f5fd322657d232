"""Press releases and their ordered body of blocks (one module per kind of thing, re-exported here)."""

from .appointments import Appointment, AppointmentQuerySet
from .archive import ArchiveMonth
from .blocks import BLOCK_MODELS, BackgroundBlock, ImageBlock, PressReleaseBlock, QuoteBlock, TextBlock
from .collaboration import (
    Comment,
    CorrectionSuggestion,
    CorrectionSuggestionQuerySet,
    NotificationKind,
    NotificationPreference,
)
from .featured import MAX_FEATURED, FeaturedRelease
from .numbers import ReleaseNumberCounter
from .records import (
    AuditEntry,
    Correction,
    PreviewLink,
    PreviewLinkQuerySet,
    RenderedBody,
    RevisionTags,
    SearchEntry,
)
from .releases import SLUG_MAX_LENGTH, PressRelease, PressReleaseQuerySet, ReleaseState

__all__ = [
    "BLOCK_MODELS",
    "MAX_FEATURED",
    "SLUG_MAX_LENGTH",
    "Appointment",
    "AppointmentQuerySet",
    "ArchiveMonth",
    "AuditEntry",
    "BackgroundBlock",
    "Comment",
    "Correction",
    "CorrectionSuggestion",
    "CorrectionSuggestionQuerySet",
    "FeaturedRelease",
    "ImageBlock",
    "NotificationKind",
    "NotificationPreference",
    "PressRelease",
    "PressReleaseBlock",
    "PressReleaseQuerySet",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "QuoteBlock",
    "ReleaseNumberCounter",
    "ReleaseState",
    "RenderedBody",
    "RevisionTags",
    "SearchEntry",
    "TextBlock",
]
