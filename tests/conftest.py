import pytest

# Django's production hasher (PBKDF2, a million iterations) spends a good part of a
# second on each password it sets or checks, and the suite sets and checks hundreds.
# Tests only: the settings keep Django's hashers, which tests/test_settings.py checks in
# a process of their own.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The suite's longest tests, up to a minute each on 2 busy cores: every XSS payload through
# every way in, and Chromium.
LONG_RUNNING_MODULES = {"test_xss.py"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The longest tests first. pytest-xdist hands tests to its workers in this order:
    one of these started last would keep a worker busy long after the others are done.
    Runs before pytest-django's own ordering (database tests, then transactional ones,
    then the rest), which is a stable sort and so keeps this order within each group."""

    def rank(item):
        if item.path.name in LONG_RUNNING_MODULES:
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing(django_test_environment):
    from django.test import override_settings

    # Pages rendered for every request unless a test asks for the page cache (the
    # ``page_cache`` fixture): the cache in this process's memory would otherwise carry
    # pages from one test into the next.
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, JCZX_PAGE_CACHE=False):
        yield


@pytest.fixture(autouse=True)
def _media_and_static(settings, tmp_path):
    """Uploaded files go to a temporary folder; static URLs need no collectstatic."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def page_cache(settings):
    """The page cache on, in local memory under a key prefix of the test's own (one
    process: its local memory is every worker's shared cache)."""
    import uuid

    from pagecache import cache as pagecache

    prefix = f"jczx-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": prefix,
            "KEY_PREFIX": prefix,
        }
    }
    settings.JCZX_PAGE_CACHE = True
    pagecache.local_pages.clear()
    yield
    pagecache.local_pages.clear()


@pytest.fixture(scope="module")
def _sample_site_of_the_module(django_db_setup, django_db_blocker):
    """build_sample_site() once for a test module (about a second each time), in a
    transaction around the module's tests that is rolled back after its last one. Each
    test's own transaction is a savepoint inside it: what a test changes is undone
    before the next. Every database test of the module sees the sample: a test that
    needs an empty database belongs in another module."""
    from django.db import transaction

    from tests.site.sample import build_sample_site

    with django_db_blocker.unblock(), transaction.atomic():
        site = build_sample_site()
        with django_db_blocker.block():
            yield site
        transaction.set_rollback(True)


@pytest.fixture
def sample_site(db, _sample_site_of_the_module):
    """The module's sample site (tests/site/sample.py), as fresh objects: a copy, so
    what a test sets on them does not reach the next test."""
    import copy

    return copy.deepcopy(_sample_site_of_the_module)


@pytest.fixture
def columns(db):
    """The six standing columns, as fixtures/columns.json defines them."""
    from django.core.management import call_command

    from articles.models import Column

    call_command("loaddata", "fixtures/columns.json", verbosity=0)
    return {c.name: c for c in Column.objects.all()}


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "", "pw-for-tests-only")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _staff_member(django_user_model, username, group_name):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username, password="pw-for-tests-only", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))  # created by a data migration
    return user


@pytest.fixture
def staff_editor(db, django_user_model):
    """A member of 编辑: prepares issues and articles, cannot publish."""
    return _staff_member(django_user_model, "bianji", "编辑")


@pytest.fixture
def chief_editor(db, django_user_model):
    """A member of 主编: reviews, publishes, withdraws."""
    return _staff_member(django_user_model, "zhubian", "主编")


@pytest.fixture
def director(db, django_user_model):
    """A member of 编辑部主任: signs 复审."""
    return _staff_member(django_user_model, "zhuren", "编辑部主任")


@pytest.fixture
def archivist(db, django_user_model):
    """A member of 档案员: imports and exports, reads everything."""
    return _staff_member(django_user_model, "danganyuan", "档案员")


@pytest.fixture
def clock(monkeypatch):
    """Time control: ``clock.set(moment)`` makes ``timezone.now()`` answer ``moment``
    everywhere it is looked up at call time (the QuerySets, auto_now, the services)."""
    from django.utils import timezone

    class Clock:
        def set(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()
