"""Optimistic concurrency: a save against a newer version of a record is refused.

Every edit form carries the ``version`` of the record it was opened at (a hidden field). The
save locks the stored row, and when its version has moved on, nothing is written: the page
shows the person's version beside the saved one, field by field, so nothing is lost and
nothing is silently overwritten.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models

VERSION_FIELD = "version"


@dataclass(frozen=True)
class FieldVersions:
    """One field as the person typed it and as it is saved now."""

    label: str
    yours: str
    saved: str

    @property
    def differs(self) -> bool:
        """True when the two versions disagree on this field."""
        return self.yours != self.saved


@dataclass(frozen=True)
class Conflict:
    """A save refused because somebody else saved the record after the form was opened."""

    opened_version: int
    saved_version: int
    fields: tuple[FieldVersions, ...]

    @property
    def message(self) -> str:
        """One line for the top of the page."""
        return (
            f"Somebody else saved this record after you opened it (you opened version "
            f"{self.opened_version}; it is now version {self.saved_version}). Nothing was "
            "saved. Compare the two versions below; save again to replace the saved version "
            "with yours."
        )


def version_field() -> forms.IntegerField:
    """The hidden form field that carries the version a form was opened at."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def shown(value: Any) -> str:
    """A field value as text for the comparison table."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.QuerySet | list | tuple):
        return ", ".join(sorted(str(v) for v in value)) or "–"
    return str(value)


def _saved_value(record: models.Model, form: forms.BaseForm, name: str) -> Any:
    field = form.fields[name]
    value = getattr(record, name, None)
    if isinstance(value, models.Manager):
        return list(value.all())
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return dict(field.choices).get(value, value)  # type: ignore[arg-type]
    return value


def _typed_value(form: forms.BaseForm, name: str) -> Any:
    field = form.fields[name]
    value = form.cleaned_data.get(name)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return dict(field.choices).get(value, value)  # type: ignore[arg-type]
    return value


def check(
    form: forms.BaseForm, saved: models.Model, *, skip: tuple[str, ...] = ()
) -> Conflict | None:
    """A conflict when ``saved`` (the locked, stored row) is newer than the form's version."""
    opened = form.cleaned_data.get(VERSION_FIELD)
    current = int(getattr(saved, VERSION_FIELD))
    if opened is None or int(opened) == current:
        return None
    names = [n for n in form.fields if n != VERSION_FIELD and n not in skip]
    return Conflict(
        opened_version=int(opened),
        saved_version=current,
        fields=tuple(
            FieldVersions(
                str(form.fields[n].label or n.replace("_", " ").capitalize()),
                shown(_typed_value(form, n)),
                shown(_saved_value(saved, form, n)),
            )
            for n in names
        ),
    )


def rebase(form: forms.BaseForm, conflict: Conflict) -> None:
    """Keep what the person typed, now counted against the saved version (to save again)."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data[form.add_prefix(VERSION_FIELD)] = str(conflict.saved_version)
    form.data = data
