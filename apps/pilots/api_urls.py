from django.urls import path

from .api import applications, reviews, rounds

P = "pilot-rounds/"

urlpatterns = [
    path(P, rounds.RoundListApi.as_view(), name="api-pilot-round-list"),
    path(f"{P}<int:pk>/", rounds.RoundDetailApi.as_view(), name="api-pilot-round-detail"),
    path(f"{P}<int:pk>/rubric/", rounds.RubricApi.as_view(), name="api-pilot-round-rubric"),
    path(
        f"{P}<int:pk>/open-applications/",
        rounds.RoundOpenApplicationsApi.as_view(),
        name="api-pilot-round-open-applications",
    ),
    path(
        f"{P}<int:pk>/open-scoring/",
        rounds.RoundOpenScoringApi.as_view(),
        name="api-pilot-round-open-scoring",
    ),
    path(
        f"{P}<int:pk>/evaluate/", rounds.RoundEvaluateApi.as_view(), name="api-pilot-round-evaluate"
    ),
    path(
        f"{P}<int:pk>/start-publicity/",
        rounds.RoundStartPublicityApi.as_view(),
        name="api-pilot-round-start-publicity",
    ),
    path(f"{P}<int:pk>/publish/", rounds.RoundPublishApi.as_view(), name="api-pilot-round-publish"),
    path(
        f"{P}<int:pk>/applications/",
        applications.RoundApplicationListApi.as_view(),
        name="api-pilot-round-applications",
    ),
    path(
        f"{P}<int:pk>/results/", rounds.RoundResultListApi.as_view(), name="api-pilot-round-results"
    ),
    path(
        f"{P}<int:pk>/objections/",
        rounds.RoundObjectionListApi.as_view(),
        name="api-pilot-round-objections",
    ),
    path(
        f"{P}applications/<int:pk>/",
        applications.ApplicationDetailApi.as_view(),
        name="api-pilot-application-detail",
    ),
    path(
        f"{P}applications/<int:pk>/withdraw/",
        applications.ApplicationWithdrawApi.as_view(),
        name="api-pilot-application-withdraw",
    ),
    path(
        f"{P}applications/<int:pk>/disqualify/",
        applications.ApplicationDisqualifyApi.as_view(),
        name="api-pilot-application-disqualify",
    ),
    path(
        f"{P}applications/<int:pk>/evidence/",
        applications.ApplicationEvidenceApi.as_view(),
        name="api-pilot-application-evidence",
    ),
    path(
        f"{P}applications/<int:pk>/assignments/",
        reviews.ApplicationAssignmentListApi.as_view(),
        name="api-pilot-application-assignments",
    ),
    path(
        f"{P}evidence/<int:pk>/",
        applications.EvidenceDetailApi.as_view(),
        name="api-pilot-evidence-detail",
    ),
    path(
        f"{P}evidence/<int:pk>/file/",
        applications.EvidenceFileApi.as_view(),
        name="api-pilot-evidence-file",
    ),
    path(f"{P}assignments/", reviews.AssignmentListApi.as_view(), name="api-pilot-assignment-list"),
    path(
        f"{P}assignments/<int:pk>/",
        reviews.AssignmentDetailApi.as_view(),
        name="api-pilot-assignment-detail",
    ),
    path(
        f"{P}assignments/<int:pk>/scores/",
        reviews.AssignmentScoresApi.as_view(),
        name="api-pilot-assignment-scores",
    ),
    path(
        f"{P}assignments/<int:pk>/submit/",
        reviews.AssignmentSubmitApi.as_view(),
        name="api-pilot-assignment-submit",
    ),
    path(
        f"{P}objections/<int:pk>/resolve/",
        rounds.ObjectionResolveApi.as_view(),
        name="api-pilot-objection-resolve",
    ),
    path(
        f"{P}results/<int:pk>/decision/",
        rounds.ResultDecisionApi.as_view(),
        name="api-pilot-result-decision",
    ),
]
