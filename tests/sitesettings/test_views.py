import pytest
from django.core.files.base import ContentFile

from sitesettings import context_processors
from sitesettings.models import SiteSettings
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


def test_footer_shows_the_settings_the_way_government_sites_do(client):
    SiteSettings.objects.filter(pk=1).update(
        icp_number="晋ICP备12345678号-1",
        psb_number="晋公网安备14050202000123号",
        site_code="1405000001",
    )
    html = client.get("/").content.decode()
    assert (
        "<span>主办单位：政协晋城市委员会</span><span>承办单位：《晋城政协》编辑部</span>" in html
    )
    assert "<span>地址：山西省晋城市凤台西街289号</span>" in html
    assert "<span>网站标识码：1405000001</span>" in html
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer" target="_blank">'
        "晋ICP备12345678号-1</a>"
    ) in html
    assert (
        '<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=14050202000123"'
        ' rel="noopener noreferrer" target="_blank">晋公网安备14050202000123号</a>'
    ) in html


def test_favicon_answers_with_the_standing_icon_then_the_uploaded_one(client, settings):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/").content.decode()

    stored = SiteSettings.objects.get()
    stored.favicon.save("icon.png", ContentFile(image_bytes("PNG", size=(32, 32))))
    response = client.get("/favicon.ico")
    assert response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_favicon_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code == 405


def test_with_a_shared_cache_settings_are_read_once_per_content_generation(
    settings, django_assert_num_queries
):
    settings.JCZX_SHARED_CACHE = True  # one process: its local memory is every process's
    assert context_processors._load().host == "政协晋城市委员会"
    with django_assert_num_queries(0):
        assert context_processors._load().host == "政协晋城市委员会"
    SiteSettings.objects.filter(pk=1).update(host="政协晋城市委员会办公室")
    assert context_processors._load().host == "政协晋城市委员会办公室"


def test_admin_list_opens_the_one_settings_page(admin_client):
    response = admin_client.get("/admin/sitesettings/sitesettings/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/sitesettings/sitesettings/1/change/"
    page = admin_client.get(response["Location"]).content.decode()
    assert 'name="icp_number"' in page and 'name="psb_number"' in page
    assert admin_client.get("/admin/sitesettings/sitesettings/add/").status_code == 403
