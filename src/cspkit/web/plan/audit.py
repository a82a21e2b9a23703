"""The audit log: every change to plan data records who, when and what changed.

Views run inside ``acting_user`` (set by middleware); command-line loads name themselves with
``acting_user(None, label="plan load")``. Signal handlers compare the stored row with the row
being saved, so the log holds field-level old and new values.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.forms.models import model_to_dict

SYSTEM_LABEL = "system"
_OLD_VALUES_ATTR = "_audit_old_values"
#: App labels whose models are plan data.
AUDITED_APPS = ("plan", "monitoring")
#: Models never audited (the log itself).
NOT_AUDITED = ("AuditEntry",)
#: Bookkeeping fields that are not changes in themselves (the edit counter).
NOT_CHANGES = ("version",)

_actor: contextvars.ContextVar[tuple[User | None, str]] = contextvars.ContextVar(
    "cspkit_audit_actor", default=(None, SYSTEM_LABEL)
)


@contextlib.contextmanager
def acting_user(user: User | AnonymousUser | None, label: str | None = None) -> Iterator[None]:
    """Attribute changes made inside the block to ``user`` (or to ``label`` if no user)."""
    real = user if isinstance(user, User) else None
    name = real.get_username() if real is not None else (label or SYSTEM_LABEL)
    token = _actor.set((real, name))
    try:
        yield
    finally:
        _actor.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _snapshot(instance: models.Model) -> dict[str, Any]:
    fields = [f.name for f in instance._meta.concrete_fields if f.name not in NOT_CHANGES]
    return {k: _plain(v) for k, v in model_to_dict(instance, fields=fields).items()}


def _audited(sender: type[models.Model]) -> bool:
    return sender._meta.app_label in AUDITED_APPS and sender.__name__ not in NOT_AUDITED


def _record(instance: models.Model, change: str, changes: dict[str, Any]) -> None:
    from cspkit.web.plan.models import AuditEntry

    user, name = _actor.get()
    AuditEntry.objects.create(
        user=user if user is not None and user.pk is not None else None,
        username=name,
        change=change,
        model=instance._meta.verbose_name.title() if instance._meta.verbose_name else "",
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )


def _pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _audited(sender) or kwargs.get("raw") or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    if old is not None:
        setattr(instance, _OLD_VALUES_ATTR, _snapshot(old))


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if not _audited(sender) or kwargs.get("raw"):
        return
    new = _snapshot(instance)
    old: dict[str, Any] | None = getattr(instance, _OLD_VALUES_ATTR, None)
    if created or old is None:
        changes = {k: [None, v] for k, v in new.items() if v not in (None, "")}
        _record(instance, "created", changes)
        return
    changes = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    if changes:
        _record(instance, "updated", changes)
    delattr(instance, _OLD_VALUES_ATTR)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _audited(sender):
        return
    _record(instance, "deleted", {k: [v, None] for k, v in _snapshot(instance).items()})


def record_lockout(username: str, address: str) -> None:
    """An audit entry for a sign-in lockout (too many failed attempts)."""
    from cspkit.web.plan.models import AuditEntry

    AuditEntry.objects.create(
        user=None,
        username=username[:150],
        change=AuditEntry.Change.LOCKED_OUT,
        model="Sign-in",
        object_id=address[:64],
        object_repr=f"{username} from {address}"[:300],
        changes={"username": [None, username], "address": [None, address]},
    )


def _locked_out(sender: Any, request: Any = None, **kwargs: Any) -> None:
    username = str(kwargs.get("username") or "")
    address = str(kwargs.get("ip_address") or "")
    record_lockout(username, address)


def connect() -> None:
    """Connect the signal handlers (called once from the app's ready())."""
    pre_save.connect(_pre_save, dispatch_uid="cspkit-audit-pre-save")
    post_save.connect(_post_save, dispatch_uid="cspkit-audit-post-save")
    post_delete.connect(_post_delete, dispatch_uid="cspkit-audit-post-delete")
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="cspkit-audit-locked-out")
