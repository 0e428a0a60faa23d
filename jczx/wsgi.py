"""WSGI entry point: ``gunicorn jczx.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jczx.settings")

application = get_wsgi_application()
