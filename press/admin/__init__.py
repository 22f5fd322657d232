"""The press admin: releases (``releases``, with their ``forms``, ``inlines``, ``filters``, the
workflow's buttons and actions in ``steps`` and the extra pages in ``pages``) and the audit log
(``audit``). Importing the package registers them."""

from .audit import AuditEntryAdmin
from .releases import PressReleaseAdmin

__all__ = ["AuditEntryAdmin", "PressReleaseAdmin"]
