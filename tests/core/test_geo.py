from decimal import Decimal

import pytest

from apps.core.geo import wgs84_to_gcj02


@pytest.mark.parametrize(
    ("wgs84", "gcj02"),
    [
        # Reference pairs published with the eviltransform library (Shanghai, Beijing).
        (("31.1774276", "121.5272106"), ("31.175304", "121.531542")),
        (("39.911954", "116.377817"), ("39.913345", "116.384047")),
    ],
)
def test_wgs84_points_shift_to_their_gcj02_coordinates(wgs84, gcj02):
    assert wgs84_to_gcj02(*map(Decimal, wgs84)) == tuple(map(Decimal, gcj02))
