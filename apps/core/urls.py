from functools import partial

from django.urls import path

from . import views

urlpatterns = [
    path(f"{name}/", partial(views.portal, portal=name), name=name) for name in views.PORTALS
]
