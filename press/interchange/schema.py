"""The shape of a ``cityhall-press/1`` file: which keys, which JSON types, which nesting. Nothing else.

Lengths, slugs, choices, ranges and every other rule of the content belong to the models, which the
import asks (``full_clean()``); they are not repeated here. The few rules below are rules of the file
itself: one of two ways to write a value, not both (``year``/``start``), and the keys an image needs.

``python -m press.interchange.schema > docs/interchange.schema.json`` writes the published JSON Schema
(2020-12), which partners can use to check a file before they send it.
"""

import json
from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

FORMAT = "cityhall-press/1"

Text = str | None
Day = date | None
Year = int | None
# A project's beginning or end: a year, a month or a day.
PartialDate = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None


def _not_both(first, second):
    return {
        "not": {
            "required": [first, second],
            "properties": {first: {"not": {"type": "null"}}, second: {"not": {"type": "null"}}},
        }
    }


class Shape(BaseModel):
    # Strict: "1" is no number, true no integer; unknown keys are an error at every level.
    model_config = ConfigDict(strict=True, extra="forbid")


def exclusive(data, first, second):
    """Only one of two ways to give a value; the error names the second."""
    if getattr(data, first) is not None and getattr(data, second) is not None:
        raise PydanticCustomError(
            "exclusive", "nur eines von {first} und {key} angeben", {"first": first, "key": second}
        )


class Contact(Shape):
    name: str
    role: Text = None
    email: Text = None
    phone: Text = None


class Image(Shape):
    """A use of an image file: the lead image of a release or a partnership, or an image block."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"if": {"properties": {"decorative": {"const": True}}, "required": ["decorative"]},
                 "then": {"properties": {"alt": {"enum": [None, ""]}}},
                 "else": {"required": ["alt"], "properties": {"alt": {"type": "string", "minLength": 1}}}},
                {"dependentRequired": {"license_url": ["license"]}},
            ]
        }
    )  # fmt: skip

    file: str = Field(description="path relative to the JSON file, '/'-separated, without '..'")
    alt: Text = None
    decorative: bool | None = None
    caption: Text = None
    credit: Text = None
    copyright_holder: Text = None
    license: Text = None
    license_url: Text = None
    title: Text = None
    photographer: Text = None
    usage_terms: Text = None
    rights_expire_on: Day = None
    taken_on: Day = None
    focal_x: Year = None
    focal_y: Year = None

    @model_validator(mode="after")
    def _alt_or_decorative(self):
        if self.decorative and self.alt:
            raise PydanticCustomError(
                "alt_decorative", 'muss bei "decorative": true leer bleiben', {"key": "alt"}
            )
        if not self.decorative and not self.alt:
            raise PydanticCustomError(
                "alt_missing", 'fehlt (oder "decorative": true angeben)', {"key": "alt"}
            )
        if self.license_url is not None and self.license is None:
            raise PydanticCustomError("license_url", "nur zusammen mit license", {"key": "license_url"})
        return self


class Speaker(Shape):
    name: str
    honorific: Text = None
    role: Text = Field(None, description="stored as given, even empty; absent: from the person's office")
    organisation: Text = Field(None, description="as role")


class TextBlock(Shape):
    type: Literal["text"]
    html: str


class QuoteBlock(Shape):
    type: Literal["quote"]
    text: str
    speaker: Speaker


class ImageBlock(Image):
    type: Literal["image"]


class BackgroundBlock(Shape):
    type: Literal["background"]
    title: str
    html: str


Block = Annotated[TextBlock | QuoteBlock | ImageBlock | BackgroundBlock, Field(discriminator="type")]
BLOCK_TYPES = ("text", "quote", "image", "background")


class NamedProject(Shape):
    partnership: str
    title: str


class Release(Shape):
    slug: Text = Field(None, description="absent: made from the title by the model")
    language: Text = None
    kicker: Text = None
    title: str
    subtitle: Text = None
    lead: Text = None
    published_at: AwareDatetime | None = Field(None, description="ISO 8601 with offset")
    status: Text = None
    browser_title: Text = None
    meta_description: Text = None
    social_text: Text = None
    number: int | None = Field(None, description="release number within number_year: 123 of PM 123/2026")
    number_year: int | None = None
    tags: list[str] | None = None
    image: Image | None = None
    blocks: list[Block] | None = None
    partnerships: list[str] | None = Field(None, description="slugs of partnerships")
    projects: list[NamedProject] | None = None
    contact: Contact | None = None


class Project(Shape):
    model_config = ConfigDict(
        json_schema_extra={"allOf": [_not_both("year", "start"), _not_both("end_year", "end")]}
    )

    title: str
    year: Year = None
    start: PartialDate = None
    end_year: Year = None
    end: PartialDate = None
    summary: Text = None
    participants: Text = None
    themes: list[str] | None = None

    @model_validator(mode="after")
    def _one_form_each(self):
        exclusive(self, "year", "start")
        exclusive(self, "end_year", "end")
        return self


class Partnership(Shape):
    slug: Text = Field(None, description="absent: made from partner_city by the model")
    partner_city: str
    native_name: Text = None
    native_language: Text = None
    country: str = Field(description="ISO 3166-1 alpha-2, any case")
    kind: Text = None
    status: Text = None
    status_changed_on: Day = None
    status_reason: Text = None
    first_contact_year: Year = None
    since: Year = None
    founded_on: Day = None
    council_decision_on: Day = None
    council_decision: Text = None
    office: Text = None
    contact: Contact | None = None
    summary: Text = None
    description: Text = None
    latitude: float | None = None
    longitude: float | None = None
    wikidata: Text = None
    image: Image | None = None
    projects: list[Project] | None = None


class Document(Shape):
    model_config = ConfigDict(title="cityhall-press/1")

    format: Literal["cityhall-press/1"]
    partnerships: list[Partnership] | None = None
    releases: list[Release] | None = None


def json_schema():
    """The published JSON Schema (2020-12) of the format."""
    schema = Document.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


if __name__ == "__main__":
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
