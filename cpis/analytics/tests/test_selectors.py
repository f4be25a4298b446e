"""Small reads other apps use: who may review a cluster, and a hotspot cell's square."""

from datetime import date

from shapely.geometry import Point, shape

from cpis.analytics import selectors
from cpis.analytics.models import EmergingCluster
from cpis.analytics.stats.projection import LocalProjection


def test_a_cells_square_has_its_size_in_metres_around_its_centre():
    area = selectors.cell_area(lon=21.05, lat=42.55, size_m=500)
    polygon = shape(area)
    assert area["type"] == "Polygon" and polygon.is_valid and polygon.contains(Point(21.05, 42.55))
    projection = LocalProjection.for_points([21.05], [42.55])
    xs, ys = projection.forward(*zip(*area["coordinates"][0], strict=True))
    assert abs(max(xs) - min(xs) - 500) < 0.5 and abs(max(ys) - min(ys) - 500) < 0.5


def test_only_the_leads_of_its_place_may_review_a_cluster(tree, actor_for):
    day = date(2026, 6, 17)
    cluster = EmergingCluster(
        subject="incidents",
        category="burglary",
        category_label="Burglary",
        unit=tree.n1a,
        path=tree.n1a.path,
        centre_lat=42.55,
        centre_lon=21.05,
        radius_m=500,
        start_date=day,
        end_date=day,
        observed=10,
        expected=2,
        llr=8,
        p_value=0.001,
        recurrence_days=1000,
        first_detected_on=day,
        last_detected_on=day,
    )
    assert selectors.can_review_cluster(actor_for("leader_n1a"), cluster)
    assert selectors.can_review_cluster(actor_for("commander_n1"), cluster)
    assert not selectors.can_review_cluster(actor_for("officer_n1a"), cluster)
    assert not selectors.can_review_cluster(actor_for("commander_s1"), cluster)
