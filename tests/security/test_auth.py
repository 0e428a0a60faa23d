"""Admin logins: locked out after repeated failures (django-axes), strong passwords,
and 编辑 accounts kept out of user and group management."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Each login hashes the password; the production hasher would make this module slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "", PASSWORD)


def attempt(client, password, ip="10.0.0.7", username="chief"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_four_failures_then_the_right_password_still_signs_in(client, chief):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_fifth_failure_locks_the_login_with_a_chinese_message(client, chief):
    for _ in range(4):
        attempt(client, "wrong")
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败次数过多：连续 5 次密码错误" in page
    assert "请在 60 分钟后再试" in page

    # Even the right password is refused while locked, and no session is opened.
    again = attempt(client, PASSWORD)
    assert again.status_code == 429
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_lock_is_for_that_account_from_that_address(client, chief, django_user_model):
    django_user_model.objects.create_superuser("editor2", "", PASSWORD)
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD, ip="10.0.0.8").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, username="editor2").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, chief):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1, minutes=1)
    )
    assert attempt(client, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, chief):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("jc2020", "password_too_short"),
        ("20200415123", "password_entirely_numeric"),
        ("password123", "password_too_common"),
        ("jconline.cn", "password_too_similar"),  # the account's e-mail address
    ],
)
def test_weak_passwords_are_refused_in_chinese(chief, password, code):
    chief.email = "chief@jconline.cn"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        validate_password(password, user=chief)
    assert code in [error.code for error in excinfo.value.error_list]
    assert all(re.search("[\u4e00-\u9fff]", m) for m in excinfo.value.messages)


# --- Staff accounts of the editorial groups ----------------------------------------------
# The groups 编辑, 主编 and 档案员 come from a data migration (issues/0003).

GROUPS = ["编辑", "主编", "档案员"]


def staff_in(django_user_model, group_name):
    user = django_user_model.objects.create_user(
        f"staff-{GROUPS.index(group_name)}", "", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.parametrize("group_name", GROUPS)
def test_no_editorial_group_grants_a_user_or_group_permission(group_name):
    group = Group.objects.get(name=group_name)
    assert group.permissions.exists()
    assert not group.permissions.filter(content_type__app_label="auth").exists()


@pytest.mark.parametrize("group_name", GROUPS)
@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
    ],
)
def test_editorial_staff_cannot_reach_user_or_group_management(
    client, django_user_model, group_name, url
):
    client.force_login(staff_in(django_user_model, group_name))
    assert client.get(url).status_code == 403


def test_an_editor_cannot_make_herself_superuser(client, django_user_model):
    me = staff_in(django_user_model, "编辑")
    client.force_login(me)
    url = reverse("admin:auth_user_change", args=[me.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"username": me.username, "is_superuser": "on"})
    assert response.status_code == 403
    me.refresh_from_db()
    assert not me.is_superuser
    group = reverse("admin:auth_group_change", args=[Group.objects.get(name="编辑").pk])
    assert client.post(group, {"name": "编辑", "permissions": [1, 2, 3]}).status_code == 403


def test_an_editor_does_reach_the_content_but_not_the_auth_section(client, django_user_model):
    client.force_login(staff_in(django_user_model, "编辑"))
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/auth/" not in index


def test_a_failed_login_says_how_many_tries_remain(client, chief):
    page = attempt(client, "wrong").content.decode()
    assert "还可以再试 4 次；再失败 4 次，此账户将被锁定 60 分钟。" in page
    page = attempt(client, "wrong").content.decode()
    assert "还可以再试 3 次；再失败 3 次，此账户将被锁定 60 分钟。" in page
    # Another address has its own count (the lock is per account and address).
    other = attempt(client, "wrong", ip="10.0.0.8").content.decode()
    assert "还可以再试 4 次" in other


def test_the_count_follows_the_configured_limit(client, chief, settings):
    settings.AXES_FAILURE_LIMIT = 3
    page = attempt(client, "wrong").content.decode()
    assert "还可以再试 2 次；再失败 2 次，此账户将被锁定 60 分钟。" in page
