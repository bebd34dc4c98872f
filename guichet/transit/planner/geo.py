"""Distances and walking times: the single place where the walk formula lives."""

import math

import numpy as np

EARTH_RADIUS_M = 6371000.0
# A straight line underestimates the street distance; 1.3 is the usual detour factor.
DETOUR_FACTOR = 1.3
WALK_SPEED_M_S = 1.2


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres; works on floats and numpy arrays alike."""
    phi1 = np.radians(lat1)
    phi2 = np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def walk_seconds(distance_m):
    """ceil(d × 1.3 / 1.2): the walking time the transfer model defines for a distance."""
    if np.ndim(distance_m) == 0:
        return math.ceil(float(distance_m) * DETOUR_FACTOR / WALK_SPEED_M_S)
    return np.ceil(np.asarray(distance_m) * DETOUR_FACTOR / WALK_SPEED_M_S).astype(np.int32)
