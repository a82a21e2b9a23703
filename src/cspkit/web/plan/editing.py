"""Saving an edit form under optimistic concurrency, and the page that shows the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cspkit.web.plan import concurrency

M = TypeVar("M", bound=models.Model)
RECORD_TEMPLATE = "plan/record_form.html"


def save_if_current(
    model: type[M],
    pk: Any,
    form: forms.BaseForm,
    save: Callable[[M], M],
    *,
    skip: tuple[str, ...] = (),
) -> tuple[M | None, concurrency.Conflict | None]:
    """Lock the stored row; save unless somebody saved a newer version since the form opened.

    ``save`` receives the locked row and does the writing. Returns (record, None) when saved
    and (None, conflict) when refused; on a conflict the form keeps what was typed, now
    counted against the saved version so that saving again replaces it.
    """
    with transaction.atomic():
        stored = model._default_manager.select_for_update().get(pk=pk)
        conflict = concurrency.check(form, stored, skip=skip)
        if conflict is None:
            return save(stored), None
    concurrency.rebase(form, conflict)
    return None, conflict


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    submit: str,
    cancel: str,
    conflict: concurrency.Conflict | None = None,
    intro: str = "",
    template: str = RECORD_TEMPLATE,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The edit page: errors, the two versions on a conflict, the fields and the buttons."""
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "cancel": cancel,
        "conflict": conflict,
        "intro": intro,
        **(extra or {}),
    }
    return render(request, template, context, status=409 if conflict else 200)
