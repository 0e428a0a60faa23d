import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_prints_a_password_once_and_keeps_it():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    first = out.getvalue()
    assert "已创建管理员账号：admin  密码：" in first
    password = first.split("密码：")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    assert "已存在，密码未改变" in out.getvalue()
    user.refresh_from_db()
    assert user.check_password(password)
