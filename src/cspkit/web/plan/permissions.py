"""Who may do what. The table in docs/web.md and the role-by-view test follow this module.

| role | reads | edits |
|---|---|---|
| partnership manager | everything | everything; board pack; audit log; admin |
| sub-group chair | all plan pages | own group's actions, own group's quarterly reports |
| partner member | all plan pages | actions they own and their agency's actions |
| public | public pages only | nothing |
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cspkit.web.plan.models import Action, Group, Profile, Role

#: Whoever makes a request: a signed-in person or an anonymous visitor.
AnyUser = User | AnonymousUser
PUBLIC = "public"


ROLE_ATTR = "_cspkit_role"


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person making the request; anonymous visitors are refused."""
    user = request.user
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def role_of(user: AnyUser) -> str:
    """The person's role: manager, chair, member, or public (remembered for the request)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return PUBLIC
    remembered: str | None = getattr(user, ROLE_ATTR, None)
    if remembered is None:
        remembered = _role(user)
        setattr(user, ROLE_ATTR, remembered)
    return remembered


def _role(user: User) -> str:
    if user.is_superuser:
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


def agency_of(user: AnyUser) -> int | None:
    """The id of the person's agency (from their profile), or None."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return Profile.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()


def can_edit_action(user: AnyUser, action: Action) -> bool:
    """Managers; the chair of the action's group; its owner; members of its owner agency."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if is_manager(user):
        return True
    if user.pk in (action.owner_id, action.group.chair_id):
        return True
    return action.owner_agency_id is not None and action.owner_agency_id == agency_of(user)


def require_manager(user: AnyUser, what: str) -> None:
    """Refuse anyone but a partnership manager, saying what they tried to do."""
    if not is_manager(user):
        raise PermissionDenied(f"Only partnership managers may {what}.")


def can_file_report(user: AnyUser, group: Group) -> bool:
    """Managers and the group's chair file its quarterly report."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    return is_manager(user) or group.chair_id == user.pk
