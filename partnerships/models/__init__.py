"""Partner cities and their projects (one module per kind of thing, re-exported here)."""

from .partnerships import (
    ANNIVERSARY_STEP,
    RTL_LANGUAGES,
    Anniversary,
    Partnership,
    PartnershipQuerySet,
    add_months,
    language_validator,
    wikidata_validator,
)
from .projects import Project, ProjectQuerySet, Theme

__all__ = [
    "ANNIVERSARY_STEP",
    "RTL_LANGUAGES",
    "Anniversary",
    "Partnership",
    "PartnershipQuerySet",
    "Project",
    "ProjectQuerySet",
    "Theme",
    "add_months",
    "language_validator",
    "wikidata_validator",
]
