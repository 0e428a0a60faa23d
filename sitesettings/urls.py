from django.urls import path

from . import views

app_name = "sitesettings"

urlpatterns = [path("favicon.ico", views.favicon, name="favicon")]
