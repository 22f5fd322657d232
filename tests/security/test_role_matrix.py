"""The role matrix: every admin address (each registered model's list, add, change, delete and
history pages, and their own pages without arguments) × every role (nobody logged in, staff without
a group, Redaktion, Pressesprecher/in, Partnerschaften, administrator), and the release list's
actions × every role, as crafted POSTs. A check holds when the answer is no 500, a role without the
model's permission gets no page (and no title of a release), and an action changes a release exactly
when the role may take it."""

import contextlib
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from press import workflow
from press.models import PressRelease
from tests.factories import (
    add_text,
    make_contact,
    make_image,
    make_partnership,
    make_person,
    make_project,
    make_release,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = PressRelease.Status
SECRET = "Geheim geplante Mitteilung"
# The link search of the rich-text editor serves partnership editors too (partnership pages only).
OPEN_BY_DESIGN = {"press_pressrelease_links"}
ROLES = ["anonymous", "staff", "Redaktion", "Pressesprecher/in", "Partnerschaften", "superuser"]


def user_for(role):
    if role == "anonymous":
        return None
    if role == "superuser":
        return make_user(f"u-{role}", superuser=True)
    if role == "staff":
        return make_user("u-staff")
    return make_user(f"u-{role.replace('/', '-')}", role)


@pytest.fixture
def objects():
    release = make_release(
        title=SECRET, published_at=timezone.now() + timedelta(days=2), contact=make_contact()
    )
    add_text(release)
    release.tags.add("Verkehr")
    make_image()
    make_person(office={"role": "Oberbürgermeister", "organisation": "Stadt"})
    make_project(make_partnership())
    workflow.audit(release, workflow.Action.SCHEDULED)


def admin_paths():
    """(model, kind, path) for every admin page of every registered model."""
    found = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        found.append((model, "changelist", reverse(f"{prefix}_changelist")))
        with contextlib.suppress(NoReverseMatch):
            found.append((model, "add", reverse(f"{prefix}_add")))
        obj = model._default_manager.first()
        if obj is not None:
            for kind in ("change", "delete", "history"):
                with contextlib.suppress(NoReverseMatch):
                    found.append((model, kind, reverse(f"{prefix}_{kind}", args=[obj.pk])))
        generic = {
            f"{opts.app_label}_{opts.model_name}_{kind}"
            for kind in ("changelist", "add", "change", "delete", "history")
        }
        for pattern in model_admin.urls:
            name = getattr(pattern, "name", None)
            if not name or name in generic or pattern.pattern.regex.groups:
                continue
            try:
                query = "?q=Geheim" if name in OPEN_BY_DESIGN else ""
                found.append((model, name, reverse(f"admin:{name}") + query))
            except NoReverseMatch:
                continue
    return found


def may_use(user, model):
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change", "add", "delete")
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_for_every_role(client, objects, tally, role):
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    paths = admin_paths()
    assert len(paths) > 60, "every registered model's pages are found"
    for model, kind, path in paths:
        response = client.get(path)
        status = response.status_code
        what = f"{role} × {model._meta.label} {kind} ({path}): {status}"
        if user is None:
            held = status == 302 and "/admin/login/" in response.headers.get("Location", "")
        elif may_use(user, model):
            held = status < 500
        elif kind in OPEN_BY_DESIGN:
            held = status in (200, 403) and SECRET.encode() not in response.content
        else:
            held = status in (302, 403, 404, 405) and SECRET.encode() not in response.content
        tally.check("roles: page × role", held, what)
    tally.assert_held()


ACTIONS = {
    # action: (source state setup, permission that allows it, stored status when it ran)
    "submit_selected": ("draft", "press.submit_pressrelease", Status.IN_REVIEW),
    "approve_selected": ("in_review", "press.approve_pressrelease", Status.APPROVED),
    "publish_selected": ("approved", "press.publish_pressrelease", Status.PUBLISHED),
    "unschedule_selected": ("scheduled", "press.publish_pressrelease", Status.APPROVED),
    "withdraw_selected": ("published", "press.publish_pressrelease", Status.WITHDRAWN),
    "anonymise_selected": ("withdrawn", None, "anonymised"),
    "delete_selected": ("draft", None, "deleted"),
}


def release_in(state, author, approver):
    release = make_release(
        status=Status.DRAFT, contact=make_contact(), published_at=timezone.now() - timedelta(hours=1)
    )
    add_text(release)
    if state == "draft":
        return release
    workflow.transition(release, "submit", author)
    if state == "in_review":
        return release
    workflow.transition(release, "approve", approver)
    if state == "approved":
        return release
    if state == "scheduled":
        PressRelease.objects.filter(pk=release.pk).update(published_at=timezone.now() + timedelta(days=1))
        release.refresh_from_db()
    workflow.transition(release, "publish", approver)
    if state == "withdrawn":
        workflow.transition(release, "withdraw", approver)
    release.refresh_from_db()
    return release


def outcome(release, expected):
    stored = PressRelease.objects.filter(pk=release.pk).first()
    if expected == "deleted":
        return stored is None
    if expected == "anonymised":
        return stored is not None and not stored.lead
    return stored is not None and stored.status == expected


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_every_release_action_for_every_role(client, tally, role):
    user = user_for(role)
    author, approver = make_user("autorin", "Redaktion"), make_user("pruefer", "Pressesprecher/in")
    client.force_login(user)
    for action, (state, permission, expected) in ACTIONS.items():
        release = release_in(state, author, approver)
        data = {
            "action": action,
            ACTION_CHECKBOX_NAME: [release.pk],
            f"_version_{release.pk}": release.version,
        }
        if action == "anonymise_selected":
            data["anonymise_confirmed"] = "ja"
        if action == "delete_selected":
            data["post"] = "yes"
        response = client.post(reverse("admin:press_pressrelease_changelist"), data)
        entitled = (
            False
            if action == "delete_selected"
            else user.is_superuser
            if permission is None
            else user.has_perm(permission)
        )
        happened = outcome(release, expected)
        tally.check(
            "roles: action × role",
            response.status_code < 500 and happened == entitled,
            f"{role} × {action}: {response.status_code}, happened={happened}, entitled={entitled}",
        )
    tally.assert_held()


def test_nobody_logged_in_takes_no_action(client, tally):
    release = release_in("approved", make_user("a", "Redaktion"), make_user("b", "Pressesprecher/in"))
    for action in ACTIONS:
        response = client.post(
            reverse("admin:press_pressrelease_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [release.pk]},
        )
        tally.check(
            "roles: action × role",
            response.status_code == 302 and outcome(release, Status.APPROVED),
            f"anonymous × {action}",
        )
    assert isinstance(AnonymousUser(), AnonymousUser)
    tally.assert_held()


def test_merging_tags_needs_the_right_and_a_choice(client):
    """taggit's merge page asked for no permission, and a POST without chosen tags was a 500."""
    client.force_login(make_user("nur-personal"))
    assert client.get(reverse("admin:taggit_tag_merge_tags")).status_code == 403
    client.force_login(make_user("chefin", superuser=True))
    response = client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "Verkehr"})
    assert response.status_code == 302
