"""Who may do what. The table in docs/web.md and the role-by-view test follow this module.

| role | reads | edits |
|---|---|---|
| partnership manager | everything | everything; board pack; audit log; admin |
| sub-group chair | all plan pages | own group's actions, own group's quarterly reports |
| partner member | all plan pages | actions they own |
| public | public pages only | nothing |
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cspkit.web.plan.models import Action, Group, Profile, Role

AnyUser = AbstractBaseUser | AnonymousUser
PUBLIC = "public"


ROLE_ATTR = "_cspkit_role"


def role_of(user: AnyUser) -> str:
    """The person's role: manager, chair, member, or public (remembered for the request)."""
    if not user.is_authenticated:
        return PUBLIC
    remembered: str | None = getattr(user, ROLE_ATTR, None)
    if remembered is None:
        remembered = _role(user)
        setattr(user, ROLE_ATTR, remembered)
    return remembered


def _role(user: AnyUser) -> str:
    if getattr(user, "is_superuser", False):
        return Role.MANAGER.value
    profile = Profile.objects.filter(user_id=user.pk).only("role").first()
    if profile is not None and profile.role == Role.MANAGER:
        return Role.MANAGER.value
    if Group.objects.filter(chair_id=user.pk).exists():
        return Role.CHAIR.value
    return Role.MEMBER.value


def is_manager(user: AnyUser) -> bool:
    """Partnership managers may do everything."""
    return role_of(user) == Role.MANAGER.value


def can_edit_action(user: AnyUser, action: Action) -> bool:
    """Managers; the chair of the action's group; the person who owns the action."""
    if not user.is_authenticated:
        return False
    if is_manager(user):
        return True
    return action.owner_id == user.pk or action.group.chair_id == user.pk


def can_file_report(user: AnyUser, group: Group) -> bool:
    """Managers and the group's chair file its quarterly report."""
    if not user.is_authenticated:
        return False
    return is_manager(user) or group.chair_id == user.pk
