from apps.core.models import Area


def first_area() -> Area:
    """The city's first area (tests/conftest.py puts the areas back after a transactional
    test's flush)."""
    return Area.objects.order_by("sort_order").first()
