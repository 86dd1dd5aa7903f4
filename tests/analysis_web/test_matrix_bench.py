"""`bsb bench analysis`: its synthetic evaluation is placed like coded quotes, its figures are
percentiles, and it refuses a database it did not make."""

from __future__ import annotations

import pytest

from bsbstudio.analysis import bench
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.analysis.placement import refresh


def test_percentiles_are_the_median_and_the_nearest_rank_95th():
    times = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    p50, p95 = bench.percentiles(times)
    assert p50 == pytest.approx(50.5)
    assert p95 == pytest.approx(95.0)


def test_the_synthetic_evaluation_is_coded_and_placed_as_the_action_would(db):
    evaluation, leader = bench.build_evaluation(40_000, seed=3)
    segments = CodedSegment.objects.filter(code__evaluation=evaluation)
    assert segments.count() == 400  # one quote per 100 words
    assert evaluation.sites.count() == 20 and evaluation.codes.count() == 30
    assert evaluation.themes.filter(parent__isnull=False).count() == 20
    placed = list(segments.order_by("pk").values_list("group_id", "site_id", "interview_id"))
    refresh(segments)  # what the placement code computes from the turn and the text
    assert (
        list(segments.order_by("pk").values_list("group_id", "site_id", "interview_id")) == placed
    )
    for segment in segments.select_related("text")[:50]:
        assert segment.text.text[segment.start : segment.end] == segment.quote
        assert segment.turn.start <= segment.start < segment.end <= segment.turn.end


def test_a_database_with_tables_it_did_not_make_is_refused(db, capsys):
    assert bench._prepare_database(external=True) is False
    assert "refused" in capsys.readouterr().err


def test_it_will_not_run_inside_a_process_where_django_is_set_up(capsys):
    import argparse

    args = argparse.Namespace(words=1_000_000, database_url=None, repeat=1, seed=1)
    assert bench.run(args) == 2
    assert "own process" in capsys.readouterr().err
