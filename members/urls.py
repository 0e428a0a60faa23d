from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
]
