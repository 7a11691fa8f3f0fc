from tests.permissions.matrix import Case

CASES = [
    Case(
        "api-token",
        "post",
        expect=dict.fromkeys(
            (
                "anonymous",
                "parent",
                "other_parent",
                "employer_admin",
                "other_employer_admin",
                "centre_admin",
                "union_staff",
                "reviewer",
            ),
            400,
        ),
        label="no credentials in the body",
    ),
    Case(
        "api-me",
        "get",
        expect={"anonymous": 401}
        | dict.fromkeys(
            (
                "parent",
                "other_parent",
                "employer_admin",
                "other_employer_admin",
                "centre_admin",
                "union_staff",
                "reviewer",
            ),
            200,
        ),
    ),
]
