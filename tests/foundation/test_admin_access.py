"""The Django admin is for administrators: 组织人事科 and 支部书记 (even with is_staff and
model permissions) are refused, and changes of oversight and of a cadre's department are logged."""

import pytest
from django.contrib.auth.models import Permission

from cadres.models import Cadre, Department

pytestmark = pytest.mark.django_db


def _staff_with_every_cadre_permission(user):
    user.is_staff = True
    user.save()
    # What the old role groups carried, and more: the site must refuse whatever a group holds.
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["cadres", "partybuilding"]))
    return user


@pytest.mark.parametrize("name", ["hr", "head", "office", "leader"])
def test_non_administrators_cannot_use_the_admin(client, org, name):
    user = _staff_with_every_cadre_permission(org.users[name])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for url in ("/admin/", "/admin/cadres/cadre/", f"/admin/cadres/department/{org.dept_a.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    # Nor move itself to another department, nor change who oversees one.
    cadre = user.cadre
    client.post(f"/admin/cadres/cadre/{cadre.pk}/change/", {"name": cadre.name, "department": org.dept_b.pk})
    assert Cadre.objects.get(pk=cadre.pk).department_id == cadre.department_id
    client.post(f"/admin/cadres/department/{org.dept_b.pk}/change/", {"name": "x", "overseen_by": ""})
    assert Department.objects.get(pk=org.dept_b.pk).overseen_by_id == org.users["other_leader"].cadre.pk


def test_the_administrator_uses_the_admin_and_its_changes_are_logged(client, org):
    from cadres import roles

    roles.ensure_role_groups()
    admin = org.users["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/cadres/cadre/").status_code == 200
    dept = org.dept_b
    dept.overseen_by = org.users["leader"].cadre
    dept.save()
    staff = org.users["staff"].cadre
    staff.department = org.dept_b
    staff.save()
    oversight = dept.history.first()
    assert oversight.overseen_by_id == org.users["leader"].cadre.pk
    assert oversight.prev_record.overseen_by_id == org.users["other_leader"].cadre.pk
    moved = staff.history.first()
    assert moved.department_id == org.dept_b.pk and moved.prev_record.department_id == org.dept_a.pk


def test_the_admin_menu_item_only_for_administrators(client, org):
    hr = _staff_with_every_cadre_permission(org.users["hr"])
    client.force_login(hr, backend="django.contrib.auth.backends.ModelBackend")
    assert 'href="/admin/"' not in client.get("/cadres/").content.decode()
    admin = org.users["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert 'href="/admin/"' in client.get("/cadres/").content.decode()
