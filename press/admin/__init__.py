"""The press admin: releases (``releases``, with their ``forms``, ``inlines``, ``filters``, the
workflow's buttons and actions in ``steps`` and the extra pages in ``pages``) and the audit log
(``audit``); comments, correction suggestions and mail preferences (``collaboration``). Importing the package registers them."""

from .appointments import AppointmentAdmin
from .audit import AuditEntryAdmin
from .collaboration import CommentAdmin, CorrectionSuggestionAdmin, NotificationPreferenceAdmin
from .featured import FeaturedReleaseAdmin
from .releases import PressReleaseAdmin
from .tags import TagAdmin

__all__ = [
    "AppointmentAdmin",
    "AuditEntryAdmin",
    "CommentAdmin",
    "CorrectionSuggestionAdmin",
    "FeaturedReleaseAdmin",
    "NotificationPreferenceAdmin",
    "PressReleaseAdmin",
    "TagAdmin",
]
