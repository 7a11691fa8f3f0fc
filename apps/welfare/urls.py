from django.urls import path

from . import views

app_name = "welfare"

urlpatterns = [
    path("mother-rooms/", views.mother_room_list, name="mother-room-list"),
]
