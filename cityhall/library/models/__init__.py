"""City-wide things, one module per kind: officials and press contacts (people), the image library
(images), site pages (pages), and redirects of old addresses (cityhall.library.redirects)."""

from cityhall.library.redirects import Redirect

from .images import (
    MANAGED_LICENCES,
    Image,
    ImageQuerySet,
    ImageUse,
    License,
    Rendition,
    delete_stored_file,
    file_digest,
    image_upload_to,
    rendition_upload_to,
    rights_valid_condition,
)
from .legal import LegalPage
from .pages import AccessibilityFeedback, EasyLanguagePage, EasyLanguagePageQuerySet
from .people import Contact, Office, Person, PersonQuerySet, staff_member_field

__all__ = [
    "MANAGED_LICENCES",
    "AccessibilityFeedback",
    "Contact",
    "EasyLanguagePage",
    "EasyLanguagePageQuerySet",
    "Image",
    "ImageQuerySet",
    "ImageUse",
    "LegalPage",
    "License",
    "Office",
    "Person",
    "PersonQuerySet",
    "Redirect",
    "Rendition",
    "delete_stored_file",
    "file_digest",
    "image_upload_to",
    "rendition_upload_to",
    "rights_valid_condition",
    "staff_member_field",
]
