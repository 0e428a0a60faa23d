"""Another process on this test's database (PostgreSQL: SQLite's test database lives in
this process's memory): the environment ``manage.py`` needs to reach it."""

import os

from django.conf import settings
from django.db import connection


def on_this_database(**extra: str) -> dict[str, str]:
    """This process's environment, pointed at the test database with the test settings
    (debug off, plain HTTP, the same secret key), ``extra`` over it."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        **extra,
    }
