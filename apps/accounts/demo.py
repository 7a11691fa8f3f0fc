"""Demo accounts of the design; all share the password printed by `make run`."""

from .models import Role, User
from .services import user_create

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo password, DEBUG only

DEMO_ACCOUNTS = [
    ("union_staff", Role.UNION_STAFF, "王敏"),
    ("union_staff2", Role.UNION_STAFF, "李静"),
    ("employer_admin", Role.EMPLOYER_ADMIN, "张伟"),
    ("centre_admin", Role.CENTRE_ADMIN, "刘芳"),
    ("parent", Role.PARENT, "陈晓红"),
    ("parent2", Role.PARENT, "赵磊"),
    ("reviewer", Role.REVIEWER, "孙涛"),
]


def seed(*, stdout) -> None:
    for username, role, full_name in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(username=username, password=DEMO_PASSWORD, role=role, full_name=full_name)
        stdout.write(f"  created account {username} ({role})")
