"""The Content-Security-Policy header: the strict policy of settings.CONTENT_SECURITY_POLICY
everywhere, with one loosening for the admin."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# Why the admin needs more than the public site: some admin pages write inline
# ``style="…"`` attributes (django-simple-history's history table, the issue list's cover
# thumbnails), which style-src 'self' blocks. Only style *attributes* are allowed, through
# style-src-attr: no <style> elements (the vector for CSS attribute-selector exfiltration)
# and no inline script, so an injected <script> or on* handler is as dead in the admin as
# on the public site. CKEditor 5 itself needs nothing extra: django-ckeditor-5 ships its
# theme as a stylesheet and sets styles through the CSSOM, which CSP does not restrict
# (tests/security/test_csp.py checks it in Chromium).
ADMIN_POLICY_UPDATE = {
    "style-src-attr": ["'unsafe-inline'"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.JCZX_ADMIN_URL_PREFIX):
            parts.update = {**ADMIN_POLICY_UPDATE, **(parts.update or {})}
        return parts
