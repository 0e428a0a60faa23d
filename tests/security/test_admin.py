"""django-axes' admin pages in Chinese (security.admin, security.apps.AxesConfig and the
zh_Hans catalogue in security/locale)."""

import datetime
import json
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.audit import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit():
    """The jczx.admin audit records written during the test, as JSON lines."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("jczx.admin")
    logger.addHandler(handler)
    yield lambda: [JsonFormatter().format(r) for r in records]
    logger.removeHandler(handler)


@pytest.fixture
def admin_client_zh(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "", "x" * 20))
    return client


def failures(username, count, ip="10.0.0.7"):
    return AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=count,
    )


def test_the_admin_index_names_axes_in_chinese(admin_client_zh):
    html = admin_client_zh.get(reverse("admin:index")).content.decode()
    assert "登录锁定" in html
    assert "登录尝试" in html and "登录失败记录" in html and "登录记录" in html
    for english in ("Access attempts", "Access failures", "Access logs", "Axes"):
        assert english not in html


def test_the_access_attempts_list_is_chinese(admin_client_zh):
    failures("zhangsan", 2)
    failures("lisi", 5)
    html = admin_client_zh.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "清除已过期的登录尝试" in html
    assert "还可尝试 3 次" in html
    assert "已锁定" in html
    assert "失败次数" in html and "用户名" in html and "尝试时间" in html
    for english in ("Clean up expired attempts", "Attempt Remaining", "Failed Logins"):
        assert english not in html


def test_cleaning_up_says_how_many_in_chinese(admin_client_zh):
    attempt = failures("zhangsan", 1)
    old = failures("lisi", 2)
    # Older than the cool-off (DJANGO_LOGIN_COOLOFF_HOURS, 1 hour): expired.
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(hours=2)
    )
    response = admin_client_zh.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert "已清除 1 条过期的登录尝试。" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["zhangsan"]


# --- 解锁 on a user's page --------------------------------------------------------------


def test_the_administrator_unlocks_a_locked_out_user(admin_client_zh, django_user_model, audit):
    editor = django_user_model.objects.create_user("bianji", "", "x" * 20, is_staff=True)
    failures("bianji", 5)
    failures("bianji", 2, ip="10.0.0.8")  # the same name from another address
    failures("someone-else", 5)
    page = admin_client_zh.get(reverse("admin:auth_user_change", args=[editor.pk]))
    unlock = reverse("admin:auth_user_unlock", args=[editor.pk])
    html = page.content.decode()
    assert f'action="{unlock}"' in html and ">解锁</button>" in html
    assert "现有 7 次" in html

    response = admin_client_zh.post(unlock, follow=True)
    assert "已解除用户“bianji”的登录锁定（清除 2 条失败记录）。" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone-else"]
    unlocks = [e for e in map(json.loads, audit()) if e["action"] == "unlock"]
    assert [(e["user"], e["object"], e["cleared"]) for e in unlocks] == [
        ("root", f"auth.user:{editor.pk} bianji", 2)
    ]


def test_unlocking_is_a_post_for_the_administrator_only(admin_client_zh, django_user_model):
    editor = django_user_model.objects.create_user("bianji", "", "x" * 20, is_staff=True)
    failures("bianji", 5)
    unlock = reverse("admin:auth_user_unlock", args=[editor.pk])
    assert admin_client_zh.get(unlock).status_code == 405
    # A staff member who may change users, but is not the administrator: refused.
    manager = django_user_model.objects.create_user("guanli", "", "x" * 20, is_staff=True)
    manager.user_permissions.set(
        Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client = Client()
    client.force_login(manager)
    assert (
        ">解锁</button>"
        not in client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    )
    assert client.post(unlock).status_code == 403
    assert AccessAttempt.objects.filter(username="bianji").count() == 1
    # CSRF: a forged form from elsewhere does not unlock.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(django_user_model.objects.get(username="root"))
    assert forged.post(unlock).status_code == 403
    assert AccessAttempt.objects.filter(username="bianji").count() == 1
