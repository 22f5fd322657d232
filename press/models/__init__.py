"""Press releases and their ordered body of blocks (one module per kind of thing, re-exported here)."""

from .archive import ArchiveMonth
from .blocks import BLOCK_MODELS, BackgroundBlock, ImageBlock, PressReleaseBlock, QuoteBlock, TextBlock
from .collaboration import (
    Comment,
    CorrectionSuggestion,
    CorrectionSuggestionQuerySet,
    NotificationKind,
    NotificationPreference,
)
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
    "SLUG_MAX_LENGTH",
    "ArchiveMonth",
    "AuditEntry",
    "BackgroundBlock",
    "Comment",
    "Correction",
    "CorrectionSuggestion",
    "CorrectionSuggestionQuerySet",
    "ImageBlock",
    "NotificationKind",
    "NotificationPreference",
    "PressRelease",
    "PressReleaseBlock",
    "PressReleaseQuerySet",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "QuoteBlock",
    "ReleaseState",
    "RenderedBody",
    "RevisionTags",
    "SearchEntry",
    "TextBlock",
]
