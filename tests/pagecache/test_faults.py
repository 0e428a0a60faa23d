"""Redis faults under requests (issue #17): a Redis of the test's own, on a port of its
own, is stopped, restarted from its dump and flushed while readers keep asking. Losing
Redis costs only speed: no 5xx, and never a stale page (docs/operations.md).

Never the shared Redis on 6379: each test starts ``redis-server`` in a temporary folder."""

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.core.files.base import ContentFile

from articles.models import Article
from pagecache import cache as pagecache
from tests.factories import ArticleFactory
from tests.images import image_bytes
from tests.site.sample import build_sample_site

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = pytest.mark.skipif(
    not os.path.exists(REDIS_SERVER) and not os.environ.get("REDIS_URL"),
    reason="redis-server is not installed (CI installs it)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server this test starts, kills and restarts; its dump lives in ``folder``
    and is written only when asked (``save()``), as a save point would."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        """Gone at once, as in a crash: nothing written since the last save is kept."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def client(self):
        return redis.Redis(port=self.port)

    def save(self) -> None:
        self.client().save()

    def flush(self) -> None:
        self.client().flushall()


@pytest.fixture
def own_redis(tmp_path, settings):
    """The site's cache on a Redis of its own, the page cache on."""
    server = OwnRedis(tmp_path / "redis")
    server.folder.mkdir()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": f"jczx-faults-{uuid.uuid4().hex}",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.JCZX_PAGE_CACHE = True
    pagecache.local_pages.clear()
    yield server
    server.kill()
    pagecache.local_pages.clear()


def new_worker():
    """A process that has not served a page yet: no copies of its own."""
    pagecache.local_pages.clear()


def with_cover(issue):
    issue.cover.save("cover.jpg", ContentFile(image_bytes(size=(70, 98))), save=True)
    return issue


def page(client, url):
    response = client.get(url)
    return response.status_code, response.get("X-Page-Cache"), response.content.decode()


@pytest.mark.django_db
def test_redis_stopped_pages_are_served_and_fresh(client, own_redis):
    """Every public page, covers' renditions included, answers while Redis is down, and
    an edit made meanwhile shows at once; back up, the cache is used again."""
    site = build_sample_site()
    with_cover(site.issue)
    article = site.articles.forum
    urls = ["/", "/issues/", site.issue.get_absolute_url(), article.get_absolute_url()]
    for url in urls:
        client.get(url)
        assert page(client, url)[:2] == (200, "hit"), url

    own_redis.kill()
    new_worker()
    for url in [*urls, "/news/", "/search/?q=政协", "/admin/login/", "/people/999999/"]:
        status, cached, html = page(client, url)
        assert status == (404 if "999999" in url else 200), url
        assert cached is None, url  # rendered, not stored
    assert 'src="/media/renditions/' in page(client, "/")[2]  # the cover's rendition

    article.title = "Redis 停机期间修改的标题"
    article.save()
    for url in (article.get_absolute_url(), site.issue.get_absolute_url()):
        status, _, html = page(client, url)
        assert status == 200
        assert "Redis 停机期间修改的标题" in html, url

    own_redis.start()  # empty: it was never saved
    url = article.get_absolute_url()
    assert page(client, url)[:2] == (200, "miss")
    status, cached, html = page(client, url)
    assert (status, cached) == (200, "hit")
    assert "Redis 停机期间修改的标题" in html


@pytest.mark.django_db(transaction=True)
def test_redis_restarted_from_its_dump_after_a_write_serves_no_stale_page(client, own_redis):
    """The dump holds pages of the old content; a write committed while Redis was down
    must win over them the moment Redis is back."""
    issue = with_cover(ArticleFactory(title="政协委员履职的几点体会").issue)
    article = Article.objects.get(issue=issue)
    url = article.get_absolute_url()
    client.get(url)
    assert page(client, url)[:2] == (200, "hit")
    own_redis.save()  # a save point: the dump now holds the page
    own_redis.kill()

    Article.objects.filter(pk=article.pk).update(title="政协委员履职的三点体会")
    status, _, html = page(client, url)
    assert (status, "政协委员履职的三点体会" in html) == (200, True)

    own_redis.start()
    new_worker()
    assert own_redis.client().dbsize() > 0  # the old page is back in Redis …
    status, cached, html = page(client, url)
    assert (status, cached) == (200, "miss")  # … and not served
    assert "政协委员履职的三点体会" in html
    assert "政协委员履职的几点体会" not in html
    assert page(client, url)[:2] == (200, "hit")


@pytest.mark.django_db(transaction=True)
def test_a_dump_older_than_a_write_made_while_redis_was_up_is_no_stale_page(client, own_redis):
    """Save points lag: Redis had the write's effect, crashed, and came back from a
    dump taken before it."""
    article = ArticleFactory(title="关于加快数字政府建设的建议")
    url = article.get_absolute_url()
    client.get(url)
    assert page(client, url)[:2] == (200, "hit")
    own_redis.save()
    Article.objects.filter(pk=article.pk).update(title="关于加快智慧城市建设的建议")
    assert "关于加快智慧城市建设的建议" in page(client, url)[2]
    own_redis.kill()
    own_redis.start()
    new_worker()
    status, cached, html = page(client, url)
    assert (status, cached) == (200, "miss")
    assert "关于加快智慧城市建设的建议" in html


@pytest.mark.django_db
def test_redis_flushed_during_use(client, own_redis):
    site = build_sample_site()
    with_cover(site.issue)
    urls = ["/", site.issue.get_absolute_url(), site.articles.forum.get_absolute_url()]
    for url in urls:
        client.get(url)
        assert page(client, url)[:2] == (200, "hit"), url
    own_redis.flush()
    new_worker()
    for url in urls:
        assert page(client, url)[:2] == (200, "miss"), url
        assert page(client, url)[:2] == (200, "hit"), url
    article = site.articles.forum
    article.title = "清空缓存之后修改的标题"
    article.save()
    own_redis.flush()
    assert "清空缓存之后修改的标题" in page(client, article.get_absolute_url())[2]


@pytest.mark.django_db
def test_a_renditions_size_is_read_from_the_storage_without_redis(own_redis):
    from uploads import renditions

    issue = with_cover(ArticleFactory().issue)
    made = renditions.get_rendition(issue.cover, "thumb")
    own_redis.kill()
    again = renditions.get_rendition(issue.cover, "thumb")
    assert (again.name, again.width, again.height) == (made.name, made.width, made.height)
    assert made.width == 70


@pytest.mark.django_db
def test_editors_sign_in_and_work_without_redis(client, own_redis, django_user_model):
    """Sessions and the login lockout live in PostgreSQL, not in the cache."""
    django_user_model.objects.create_superuser("editor", "", "pw-for-tests-only")
    own_redis.kill()
    login = {"username": "editor", "password": "wrong-password"}
    assert client.post("/admin/login/?next=/admin/", login).status_code == 200  # refused
    login["password"] = "pw-for-tests-only"
    response = client.post("/admin/login/?next=/admin/", login)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
