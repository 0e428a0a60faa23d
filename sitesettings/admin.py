from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import DEFAULTS, SINGLETON_PK, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One page: the list goes straight to the one row; nothing to add or delete."""

    fieldsets = [
        ("网站", {"fields": ["site_name", "logo", "favicon"]}),
        ("主办与承办", {"fields": ["host", "organizer"]}),
        ("联系方式", {"fields": ["address", "postcode", "phone", "email"]}),
        ("备案", {"fields": ["icp_number", "psb_number", "site_code"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        SiteSettings.objects.get_or_create(pk=SINGLETON_PK, defaults=DEFAULTS)
        return redirect(reverse("admin:sitesettings_sitesettings_change", args=[SINGLETON_PK]))
