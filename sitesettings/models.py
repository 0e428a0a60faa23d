"""The one row of 站点设置 (a singleton: primary key 1, enforced by the database)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from uploads.files import CleanImageField, RandomFileName

SINGLETON_PK = 1
MIIT_BEIAN_URL = "https://beian.miit.gov.cn/"
PSB_BEIAN_URL = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={}"

_DIGITS = re.compile(r"\d+")

# What a page shows when the row is missing (a test database flushed between tests, a
# database emptied by hand): the values data migration 0002 stores.
DEFAULTS = {
    "site_name": "晋城政协网",
    "host": "政协晋城市委员会",
    "organizer": "《晋城政协》编辑部",
    "address": "山西省晋城市凤台西街289号",
    "postcode": "048000",
    "phone": "(0356)2198273",
    "email": "jczxbjb@126.com",
}


class SiteSettings(models.Model):
    site_name = models.CharField("网站名称", max_length=60)
    host = models.CharField("主办单位", max_length=100)
    organizer = models.CharField("承办单位", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    phone = models.CharField("电话", max_length=60, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    icp_number = models.CharField(
        "ICP备案号",
        max_length=60,
        blank=True,
        help_text="如：晋ICP备12345678号-1，链接到工业和信息化部备案管理系统",
    )
    psb_number = models.CharField(
        "公安机关备案号",
        max_length=60,
        blank=True,
        help_text="如：晋公网安备14050202000123号，链接到全国互联网安全管理服务平台",
    )
    site_code = models.CharField(
        "网站标识码", max_length=10, blank=True, help_text="政府网站标识码，如：1405000001"
    )
    logo = CleanImageField("标志", upload_to=RandomFileName("site"), blank=True)
    favicon = CleanImageField(
        "网站图标",
        upload_to=RandomFileName("site"),
        blank=True,
        help_text="浏览器标签页上的小图标，宜用正方形 PNG",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "站点设置"
        verbose_name_plural = "站点设置"
        constraints = [
            models.CheckConstraint(condition=Q(pk=SINGLETON_PK), name="sitesettings_singleton")
        ]

    def __str__(self):
        return "站点设置"

    def save(self, *args, **kwargs):
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.psb_number and not _DIGITS.search(self.psb_number):
            errors["psb_number"] = "公安机关备案号中应有备案编号数字。"
        if self.site_code and not (self.site_code.isascii() and self.site_code.isdigit()):
            errors["site_code"] = "网站标识码只含数字。"
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The stored settings; unsaved DEFAULTS when the row is missing."""
        found = cls.objects.filter(pk=SINGLETON_PK).first()
        return found if found is not None else cls(pk=SINGLETON_PK, **DEFAULTS)

    @property
    def icp_url(self) -> str:
        return MIIT_BEIAN_URL

    @property
    def psb_url(self) -> str:
        """The public-security 备案 site's page of this record: its digits as recordcode."""
        digits = "".join(_DIGITS.findall(self.psb_number))
        return PSB_BEIAN_URL.format(digits) if digits else ""
