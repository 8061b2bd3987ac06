"""The Django admin is for administrators: the secretary's role carries no admin
permissions on groups, memberships and exemptions (they keep their branch on the app's
own pages), administrators keep the registrations, and anyone else given admin access
stays scoped to the branches they run."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from cadres import roles

from ..conftest import login
from ..factories import UserFactory

ORGANISATION = ["partygroup", "membership", "exemption"]
revoke = importlib.import_module("partybuilding.migrations.0004_revoke_secretary_admin_permissions").revoke


def _perms(group):
    return set(group.permissions.filter(content_type__app_label="partybuilding").values_list("codename", flat=True))


@pytest.mark.django_db
def test_the_secretary_role_has_no_admin_permissions_on_the_organisation():
    group, _created = Group.objects.get_or_create(name=roles.SECRETARY)
    roles.ensure_role_groups()  # what runs after every migrate
    assert not {c for c in _perms(group) if c.split("_", 1)[1] in ORGANISATION}


@pytest.mark.django_db
def test_the_migration_takes_back_what_the_old_hook_granted():
    group, _created = Group.objects.get_or_create(name=roles.SECRETARY)
    granted = Permission.objects.filter(
        content_type__app_label="partybuilding", codename__in=["change_membership", "add_partygroup", "view_exemption"]
    )
    keep = Permission.objects.get(content_type__app_label="partybuilding", codename="view_meeting")
    group.permissions.add(*granted, keep)
    revoke(apps, None)
    left = _perms(group)
    assert "view_meeting" in left and not {c for c in left if c.split("_", 1)[1] in ORGANISATION}


def test_administrators_keep_the_admin_pages(client, party):
    client = login(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    for model in ("branch", "partygroup", "membership", "exemption", "meeting"):
        assert client.get(f"/admin/partybuilding/{model}/").status_code == 200
    page = client.get(f"/admin/partybuilding/membership/{party.memberships['m1'].pk}/history/")
    assert page.status_code == 200


def test_a_branch_secretary_has_no_way_into_the_admin(client, party):
    """The admin is for administrators (config/admin_site.py): a secretary made staff and
    given admin permissions still sees no membership there; the branch pages are theirs."""
    user = party.users["sec_a"]
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="partybuilding", codename__in=["view_membership", "change_membership"]
        )
    )
    client = login(client, user)
    listing = client.get("/admin/partybuilding/membership/")
    assert listing.status_code in (302, 403, 404) and "孙丽娟" not in listing.content.decode()
    other = party.memberships["m_b"]
    assert client.get(f"/admin/partybuilding/membership/{other.pk}/change/").status_code in (302, 403, 404)
