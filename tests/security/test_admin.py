"""django-axes' admin pages in Chinese (security.admin, security.apps.AxesConfig and the
zh_Hans catalogue in security/locale)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_zh(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "", "x" * 20))
    return client


def failures(username, count):
    return AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.7",
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
