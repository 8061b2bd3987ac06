import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/cadres/", "/cadres/departments/", "/notices/", "/accounts/password/"])
def test_every_page_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese_and_logs_in(client, org):
    page = client.get(reverse("login")).content.decode()
    assert "能力作风建设年" in page and "用户名" in page
    response = client.post(reverse("login"), {"username": "staff", "password": "pw-12345678"}, follow=True)
    assert response.context["user"].username == "staff"


def test_wrong_password_says_so_in_chinese(client, org):
    html = client.post(reverse("login"), {"username": "staff", "password": "nope"}).content.decode()
    assert "用户名或密码错误" in html


def test_lockout_after_five_failures_with_a_clear_message(client, org):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "staff", "password": "pw-12345678"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_password_change_in_the_apps_style(client_as):
    client = client_as("staff")
    html = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in html and "app.css" in html
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-12345678", "new_password1": "Zheng-Gai-2026!", "new_password2": "Zheng-Gai-2026!"},
        follow=True,
    )
    assert "您的密码已修改" in response.content.decode()


def test_logout_is_a_post_and_returns_to_login(client_as):
    client = client_as("staff")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_error_pages_are_chinese(client_as, settings):
    settings.DEBUG = False
    client = client_as("staff")
    response = client.get("/cadres/999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_notice_inbox_and_unread_badge(client_as, org):
    from core.models import Notice

    staff = org.users["staff"]
    notice = Notice.objects.create(recipient=staff, title="整改时限提醒", link="/cadres/")
    Notice.objects.create(recipient=org.users["head"], title="别人的消息")
    client = client_as("staff")
    html = client.get(reverse("core:inbox")).content.decode()
    assert "整改时限提醒" in html and "别人的消息" not in html and 'id="unread-badge">1<' in html
    response = client.post(reverse("core:open_notice", args=[notice.pk]))
    assert response["Location"] == "/cadres/"
    notice.refresh_from_db()
    assert notice.read
    other = Notice.objects.get(title="别人的消息")
    assert client.post(reverse("core:open_notice", args=[other.pk])).status_code == 404


def test_role_groups_exist_after_migrate_and_only_the_administrator_has_admin_permissions(db):
    from django.contrib.auth.models import Group

    from cadres import roles

    roles.ensure_role_groups()  # what post_migrate ran when the test database was built
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    assert Group.objects.get(name=roles.ADMIN).permissions.filter(codename="change_calendarday").exists()
    for name in (roles.HR, roles.SECRETARY, roles.OFFICE, roles.HEAD, roles.STAFF, roles.LEADER):
        assert not Group.objects.get(name=name).permissions.exists(), name
