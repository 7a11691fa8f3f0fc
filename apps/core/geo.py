"""WGS-84 to GCJ-02: browsers report WGS-84, Chinese map services and our rooms use GCJ-02.

The published GCJ-02 approximation (the "eviltransform" formulae); about 500 m of offset in
Qian'an, enough to move a room across a 1 km radius if left uncorrected.
"""

import math
from decimal import Decimal

from django.db.models import FloatField, Value
from django.db.models.functions import ASin, Cast, Cos, Least, Power, Radians, Sin, Sqrt

_A = 6378245.0
_EE = 0.00669342162296594323


def _delta_lat(x: float, y: float) -> float:
    value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    value += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    value += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2 / 3
    return value


def _delta_lng(x: float, y: float) -> float:
    value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    value += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    value += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return value


def wgs84_to_gcj02(latitude: Decimal, longitude: Decimal) -> tuple[Decimal, Decimal]:
    """GCJ-02 coordinates of a WGS-84 point in mainland China, to six decimals (about 0.1 m)."""
    lat, lng = float(latitude), float(longitude)
    d_lat = _delta_lat(lng - 105.0, lat - 35.0)
    d_lng = _delta_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    quantum = Decimal("0.000001")
    return (
        Decimal(lat + d_lat).quantize(quantum),
        Decimal(lng + d_lng).quantize(quantum),
    )


EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def haversine_km(latitude: float, longitude: float):
    """SQL expression: great-circle distance in km from a point to the row's latitude/longitude.

    GCJ-02 shifts every point in a neighbourhood by almost the same offset, so distances within
    the city are as good on it as on WGS-84; a sphere is accurate to about 0.5% at this scale.
    """
    lat = Radians(Cast("latitude", FloatField()))
    lng = Radians(Cast("longitude", FloatField()))
    origin_lat = Radians(Value(float(latitude), output_field=FloatField()))
    origin_lng = Radians(Value(float(longitude), output_field=FloatField()))
    half_chord = Power(Sin((lat - origin_lat) / 2), 2) + Cos(lat) * Cos(origin_lat) * Power(
        Sin((lng - origin_lng) / 2), 2
    )
    # LEAST guards asin against a rounding step just above 1 for near-antipodal points.
    return 2 * EARTH_RADIUS_KM * ASin(Least(Sqrt(half_chord), Value(1.0)))
