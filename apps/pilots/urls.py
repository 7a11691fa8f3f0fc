from django.urls import path

from .views import public, reviewer

app_name = "pilots"

urlpatterns = [
    path("pilots/", public.index, name="index"),
    path("pilots/rounds/<int:pk>/objection/", public.objection, name="objection"),
    path("pilots/certificates/<int:pk>/", public.certificate, name="certificate"),
    path("pilots/evidence/<int:pk>/", public.evidence_file, name="evidence-file"),
    path("reviewer/", reviewer.home, name="reviewer-home"),
    path("reviewer/assignments/<int:pk>/", reviewer.assignment, name="reviewer-assignment"),
    path("reviewer/assignments/<int:pk>/submit/", reviewer.submit, name="reviewer-submit"),
]
