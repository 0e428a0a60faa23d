"""Admin logins: locked out after repeated failures (django-axes), strong passwords,
and 编辑 accounts kept out of user and group management."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
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


# --- 编辑 accounts --------------------------------------------------------------------------


def editor_group():
    """The 编辑 group: what the editorial workflow gives editors, i.e. content models only."""
    group, _ = Group.objects.get_or_create(name="编辑")
    if not group.permissions.exists():
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=["issues", "articles", "members"])
        )
    return group


@pytest.fixture
def bianji_client(client, django_user_model):
    user = django_user_model.objects.create_user("xiaowang", "", PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    client.force_login(user)
    return client


def test_editor_group_grants_no_user_or_group_permission():
    perms = editor_group().permissions.values_list("content_type__app_label", flat=True)
    assert "auth" not in set(perms)


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
    ],
)
def test_editors_cannot_reach_user_or_group_management(bianji_client, url):
    assert bianji_client.get(url).status_code == 403


def test_editors_cannot_change_their_own_account_in_the_admin(bianji_client, django_user_model):
    me = django_user_model.objects.get(username="xiaowang")
    url = reverse("admin:auth_user_change", args=[me.pk])
    assert bianji_client.get(url).status_code == 403
    response = bianji_client.post(url, {"username": "xiaowang", "is_superuser": "on"})
    assert response.status_code == 403
    me.refresh_from_db()
    assert not me.is_superuser


def test_editors_do_reach_the_content(bianji_client):
    assert bianji_client.get(reverse("admin:articles_article_changelist")).status_code == 200
    index = bianji_client.get(reverse("admin:index")).content.decode()
    assert "/admin/auth/" not in index
