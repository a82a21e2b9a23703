"""The Partnership Plan as data: what the partnership will do, who does it, how it is measured."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from cspkit.stats.polarity import Polarity


class Role(models.TextChoices):
    """What a signed-in person may do (see cspkit.web.plan.permissions)."""

    MANAGER = "manager", "Partnership manager"
    CHAIR = "chair", "Sub-group chair"
    MEMBER = "member", "Partner member"


class Versioned(models.Model):
    """A record that counts its changes, so an edit form can tell it was opened at an older one.

    ``version`` goes up by one on each save that changes a stored field (a save that changes
    nothing keeps it), so a form carrying the version it was opened at can be refused when
    somebody else saved in between (see cspkit.web.plan.concurrency).
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Bump ``version`` when a stored field differs from the saved row."""
        if self.pk is not None and not kwargs.get("force_insert"):
            names = [f.attname for f in self._meta.concrete_fields if f.attname != "version"]
            stored = type(self)._default_manager.filter(pk=self.pk).values(*names, "version")
            row = stored.first()
            if row is not None:
                changed = any(row[n] != getattr(self, n) for n in names)
                self.version = row["version"] + (1 if changed else 0)
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


#: The partnership's optional settings (reporting routes and contacts), as the plan YAML and
#: the settings page name them.
PARTNERSHIP_SETTINGS = (
    "police_force",
    "police_report_url",
    "council",
    "council_report_url",
    "da_helpline_name",
    "da_helpline_phone",
    "da_helpline_url",
    "contact_email",
    "contact_phone",
    "website",
)


class Partnership(models.Model):
    """A Community Safety Partnership, the area it covers, and where residents report.

    Every page takes the partnership's name, police force, council, reporting links and
    contact details from here (set in the plan's YAML or on the settings page).
    """

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=50, blank=True)
    area_code = models.CharField(max_length=12, help_text="ONS code, e.g. E07000110")
    area_name = models.CharField(max_length=100)
    police_force = models.CharField(max_length=100, blank=True, help_text="e.g. Kent Police")
    police_report_url = models.URLField(blank=True, help_text="The force's online report form")
    council = models.CharField(max_length=150, blank=True)
    council_report_url = models.URLField(blank=True, help_text="The council's ASB report page")
    da_helpline_name = models.CharField(
        max_length=150, blank=True, help_text="Local domestic abuse service"
    )
    da_helpline_phone = models.CharField(max_length=40, blank=True)
    da_helpline_url = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True, help_text="The partnership's contact address")
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.name


class PlanPeriod(models.Model):
    """One Partnership Plan, e.g. 2022-2025."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    start_year = models.PositiveIntegerField()
    end_year = models.PositiveIntegerField()
    introduction = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = (
            "-is_current",
            "-start_year",
        )

    def __str__(self) -> str:
        return self.title


class Agency(models.Model):
    """A partner organisation (responsible authority or other member)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.short_name or self.name


class Profile(models.Model):
    """A signed-in person's role and agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Managers have the admin site; any other role loses it at once."""
        super().save(*args, **kwargs)
        manager = self.role == Role.MANAGER
        if (self.user.is_staff, self.user.is_superuser) != (manager, manager):
            self.user.is_staff = manager
            self.user.is_superuser = manager
            self.user.save(update_fields=["is_staff", "is_superuser"])


class Priority(Versioned):
    """A core priority or a cross-cutting theme of the plan."""

    class Kind(models.TextChoices):
        CORE = "core", "Core priority"
        THEME = "theme", "Cross-cutting theme"

    plan = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="priorities")
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORE)
    title = models.CharField(max_length=200)
    strapline = models.CharField(max_length=200, blank=True)
    objective = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    focus = models.TextField(blank=True, help_text="One point per line")
    what_we_will_do = models.TextField(blank=True, help_text="One point per line")
    order = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False, help_text="Kept in the history, hidden from lists")

    class Meta:
        ordering = (
            "kind",
            "order",
            "title",
        )
        unique_together = (("plan", "slug"),)
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    @property
    def focus_points(self) -> list[str]:
        """The focus as a list of points."""
        return [line.strip() for line in self.focus.splitlines() if line.strip()]

    @property
    def will_do_points(self) -> list[str]:
        """What the partnership will do, as a list of points."""
        return [line.strip() for line in self.what_we_will_do.splitlines() if line.strip()]


class Group(Versioned):
    """A sub-group or working group that delivers action plans for one or more priorities."""

    class Kind(models.TextChoices):
        SUB_GROUP = "sub-group", "Sub-group"
        WORKING_GROUP = "working-group", "Working group"

    plan = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="groups")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUB_GROUP)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="groups")
    purpose = models.TextField(blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_groups",
    )
    chair_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_groups"
    )
    retired = models.BooleanField(default=False, help_text="Kept in the history, hidden from lists")

    class Meta:
        ordering = (
            "kind",
            "name",
        )
        unique_together = (("plan", "slug"),)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An agency's seat on a group, optionally with a named person."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ("agency__name",)
        unique_together = (("group", "agency", "user"),)

    def __str__(self) -> str:
        return f"{self.agency} on {self.group}"


class ActionStatus(models.TextChoices):
    """Where an action stands."""

    NOT_STARTED = "not-started", "Not started"
    ON_TRACK = "on-track", "On track"
    AT_RISK = "at-risk", "At risk"
    OFF_TRACK = "off-track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


CLOSED_STATUSES = (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
#: Indicator polarity in words.
POLARITY_WORDS = {
    Polarity.HIGHER_IS_WORSE.value: "Lower is better (a fall is an improvement)",
    Polarity.HIGHER_IS_BETTER.value: "Higher is better (a rise is an improvement)",
    Polarity.NEUTRAL.value: "Neither direction is better",
}


class Action(Versioned):
    """A measurable action in a group's action plan."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=20, help_text="Short reference, e.g. SOC-1")
    title = models.CharField(max_length=300)
    measure = models.CharField(max_length=300, blank=True, help_text="How completion is measured")
    owner_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    retired = models.BooleanField(default=False, help_text="Kept in the history, hidden from lists")

    class Meta:
        ordering = ("ref",)
        unique_together = (("priority", "ref"),)

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Past its due date and neither complete nor cancelled."""
        day = today or timezone.localdate()
        return (
            self.due_date is not None and self.due_date < day and self.status not in CLOSED_STATUSES
        )


class ProgressNote(models.Model):
    """One dated entry in an action's progress history (never edited, only added)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    text = models.TextField()

    class Meta:
        ordering = (
            "-created",
            "-pk",
        )

    def __str__(self) -> str:
        return f"{self.action.ref} {self.created:%Y-%m-%d}"


class Indicator(Versioned):
    """A measure of progress: a warehouse series for an area, or a partner's own figures."""

    class Source(models.TextChoices):
        WAREHOUSE = "warehouse", "Warehouse series"
        MANUAL = "manual", "Entered by a partner"

    plan = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="indicators")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WAREHOUSE)
    series_id = models.CharField(
        max_length=80, blank=True, help_text="Warehouse indicator id, e.g. anti-social-behaviour"
    )
    area_code = models.CharField(max_length=12, blank=True)
    unit = models.CharField(max_length=20, default="count")
    polarity = models.CharField(
        max_length=20,
        choices=[(p.value, p.value) for p in Polarity],
        help_text="Which direction is better",
        default=Polarity.HIGHER_IS_WORSE.value,
    )
    target = models.FloatField(null=True, blank=True, help_text="Monthly target value")
    target_note = models.CharField(max_length=300, blank=True)
    public = models.BooleanField(default=True, help_text="Shown as a key figure to residents")
    source_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the figures come from, e.g. the partner agency that supplies them",
    )
    retired = models.BooleanField(default=False, help_text="Kept in the history, hidden from lists")

    class Meta:
        ordering = ("name",)
        unique_together = (("plan", "slug"),)

    def __str__(self) -> str:
        return self.name

    @property
    def source_label(self) -> str:
        """Where the figures come from, in words (e.g. police.uk data and the force)."""
        if self.source_note:
            return self.source_note
        if self.source == self.Source.MANUAL:
            return "Figures entered by a partner agency"
        force = self.plan.partnership.police_force
        recorded = f", recorded by {force}" if force else ""
        return f"police.uk street-level crime{recorded} (series {self.series_id})"

    @property
    def polarity_words(self) -> str:
        """Which direction is better, in words."""
        return POLARITY_WORDS.get(self.polarity, self.polarity)


class ManualValue(models.Model):
    """A monthly value of a partner measure."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(help_text="First day of the month")
    value = models.FloatField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("month",)
        unique_together = (("indicator", "month"),)

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.month:%Y-%m}"


class FundingApplication(models.Model):
    """A group's bid for resources, agreed by the executive group."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Declined"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="funding")
    title = models.CharField(max_length=200)
    funder = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2)
    amount_awarded = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = (
            "-submitted_on",
            "title",
        )

    def __str__(self) -> str:
        return self.title


class AuditEntry(models.Model):
    """Who changed which plan record, when, and what changed (field: [old, new])."""

    class Change(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"
        LOCKED_OUT = "locked-out", "Locked out"

    when = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True)
    change = models.CharField(max_length=10, choices=Change.choices)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = (
            "-when",
            "-pk",
        )
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.username} {self.change} {self.model}"
