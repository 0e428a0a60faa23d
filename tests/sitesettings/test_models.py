import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sitesettings.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_the_standing_values_come_from_the_data_migration():
    settings = SiteSettings.objects.get()
    assert (settings.site_name, settings.host, settings.organizer) == (
        "晋城政协网",
        "政协晋城市委员会",
        "《晋城政协》编辑部",
    )
    assert (settings.address, settings.phone, settings.email) == (
        "山西省晋城市凤台西街289号",
        "(0356)2198273",
        "jczxbjb@126.com",
    )
    assert settings.icp_number == settings.psb_number == settings.site_code == ""


def test_there_is_only_one_row():
    SiteSettings(site_name="另一个", host="x").save()  # saving always writes row 1
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.objects.get().site_name == "另一个"
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteSettings.objects.filter(pk=1).update(id=2)


def test_psb_link_carries_the_record_digits():
    settings = SiteSettings(psb_number="晋公网安备 14050202000123号")
    assert settings.psb_url == (
        "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=14050202000123"
    )
    assert SiteSettings(icp_number="晋ICP备12345678号-1").icp_url == "https://beian.miit.gov.cn/"


def test_numbers_without_digits_are_refused_with_the_field_named():
    settings = SiteSettings.load()
    settings.psb_number = "晋公网安备"
    settings.site_code = "14050A"
    with pytest.raises(ValidationError) as raised:
        settings.full_clean()
    assert set(raised.value.message_dict) == {"psb_number", "site_code"}
