"""The Django admin lets a branch secretary keep only their own branch."""

from partybuilding.apps import grant_secretary_permissions

from ..conftest import login


def test_a_secretary_cannot_open_or_choose_another_branch(client, party):
    grant_secretary_permissions()
    user = party.users["sec_a"]
    user.is_staff = True
    user.save()
    client = login(client, user)
    assert client.get(f"/admin/partybuilding/branch/{party.a.pk}/change/").status_code == 200
    assert client.get(f"/admin/partybuilding/branch/{party.b.pk}/change/").status_code in (302, 403, 404)
    listing = client.get("/admin/partybuilding/membership/").content.decode()
    assert "孙丽娟" in listing and "刘洋" not in listing
    other = party.memberships["m_b"]
    assert client.get(f"/admin/partybuilding/membership/{other.pk}/change/").status_code in (302, 403, 404)
    form = client.get("/admin/partybuilding/membership/add/").content.decode()
    assert "机关第二党支部" in form and "机关第三党支部" not in form
    # Changing who runs the branch is for administrators.
    page = client.get(f"/admin/partybuilding/branch/{party.a.pk}/change/").content.decode()
    assert 'name="secretary"' not in page
