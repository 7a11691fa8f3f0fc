"""The JSON of `/api/v1/reports/`: the same figures as the pages, section by section. A section
the caller's scope does not have (a centre has no pilot units) is null."""

from rest_framework import serializers

MONEY = {"max_digits": 14, "decimal_places": 2}


class ReportScopeOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["city", "employer", "centre"])
    name = serializers.CharField()


class ReportCentresOutput(serializers.Serializer):
    federation_centres = serializers.IntegerField()
    federation_staff = serializers.IntegerField()
    welfare_centres = serializers.IntegerField()


class ReportClassesOutput(serializers.Serializer):
    caring_classes = serializers.IntegerField()
    capacity = serializers.IntegerField()
    places_taken = serializers.IntegerField()
    places_free = serializers.IntegerField()


class ReportModelCount(serializers.Serializer):
    model = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReportFunderCount(serializers.Serializer):
    funder = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReportModelFunderCount(serializers.Serializer):
    model = serializers.CharField()
    funder = serializers.CharField()
    count = serializers.IntegerField()


class ReportProgrammesOutput(serializers.Serializer):
    total = serializers.IntegerField()
    by_model = ReportModelCount(many=True)
    by_funder = ReportFunderCount(many=True)
    by_model_and_funder = ReportModelFunderCount(many=True)


class ReportCentrePlaces(serializers.Serializer):
    centre_id = serializers.IntegerField()
    centre = serializers.CharField()
    bought = serializers.IntegerField()
    used = serializers.IntegerField()
    vacant = serializers.IntegerField()


class ReportPlacesOutput(serializers.Serializer):
    bought = serializers.IntegerField()
    used = serializers.IntegerField()
    vacant = serializers.IntegerField()
    by_centre = ReportCentrePlaces(many=True)


class ReportStateCount(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReportApplicationsOutput(serializers.Serializer):
    submitted = serializers.IntegerField()
    by_state = ReportStateCount(many=True)
    offered = serializers.IntegerField()
    median_waiting_days = serializers.FloatField(allow_null=True)


class ReportChildrenOutput(serializers.Serializer):
    enrolled = serializers.IntegerField()
    enrolments = serializers.IntegerField()
    served = serializers.IntegerField(help_text="Children served (人次): months attended.")


class ReportTrendMonth(serializers.Serializer):
    month = serializers.CharField()
    enrolments = serializers.IntegerField()
    served = serializers.IntegerField()
    subsidy_paid = serializers.DecimalField(**MONEY)


class ReportMonthPaid(serializers.Serializer):
    month = serializers.CharField()
    paid = serializers.DecimalField(**MONEY)


class ReportFunderPaid(serializers.Serializer):
    funder = serializers.CharField()
    label = serializers.CharField()
    paid = serializers.DecimalField(**MONEY)


class ReportSchemePaid(serializers.Serializer):
    scheme_id = serializers.IntegerField()
    scheme = serializers.CharField()
    funder = serializers.CharField()
    funder_label = serializers.CharField()
    paid = serializers.DecimalField(**MONEY)
    budget = serializers.DecimalField(**MONEY, allow_null=True)
    committed = serializers.DecimalField(**MONEY, allow_null=True)
    budget_used_percent = serializers.FloatField(allow_null=True)


class ReportSubsidiesOutput(serializers.Serializer):
    paid = serializers.DecimalField(**MONEY)
    budget = serializers.DecimalField(**MONEY, allow_null=True)
    by_month = ReportMonthPaid(many=True)
    by_funder = ReportFunderPaid(many=True)
    by_scheme = ReportSchemePaid(many=True)


class ReportLevelUnits(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    units = serializers.IntegerField()


class ReportYearLevelUnits(ReportLevelUnits):
    year = serializers.IntegerField()


class ReportPilotsOutput(serializers.Serializer):
    units = serializers.IntegerField()
    by_level = ReportLevelUnits(many=True)
    by_year = ReportYearLevelUnits(many=True)


class ReportRoomLevel(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    public = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    total = serializers.IntegerField()


class ReportMotherRoomsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    by_level = ReportRoomLevel(many=True)


class ReportCareClassesOutput(serializers.Serializer):
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    holiday = serializers.IntegerField()
    after_school = serializers.IntegerField()
    recognised_qianan = serializers.IntegerField()
    recognised_tangshan = serializers.IntegerField()
    children_enrolled = serializers.IntegerField()


class ReportFiguresOutput(serializers.Serializer):
    scope = ReportScopeOutput()
    period_start = serializers.CharField()
    period_end = serializers.CharField()
    area = serializers.IntegerField(allow_null=True)
    union = serializers.IntegerField(allow_null=True)
    centres = ReportCentresOutput(allow_null=True)
    classes = ReportClassesOutput(allow_null=True)
    programmes = ReportProgrammesOutput()
    places = ReportPlacesOutput()
    applications = ReportApplicationsOutput()
    children = ReportChildrenOutput()
    trend = ReportTrendMonth(many=True)
    subsidies = ReportSubsidiesOutput()
    pilots = ReportPilotsOutput(allow_null=True)
    mother_rooms = ReportMotherRoomsOutput(allow_null=True)
    care_classes = ReportCareClassesOutput(allow_null=True)
