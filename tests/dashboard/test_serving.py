"""Serving while rebuilding: 20 dashboard sessions query in a loop (threads calling the
query layer the pages use, as the Streamlit server's session threads do) while ingest
and ``python -m publish`` run three times. No query fails, no lock message appears
anywhere, and every answer comes from one complete snapshot: all answers given for one
snapshot digest and filter agree, and equal the figures the final snapshot gives on
its own. Old snapshots are pruned down to KEEP_SNAPSHOTS.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict

import pytest
import streamlit as st

from dashboard import queries
from tests.conftest import Warehouse, make_warehouse

pytestmark = pytest.mark.integration

SESSIONS = 20
ROUNDS = 3
HEADER = (
    "人员编号,身份证号,手机号,姓名,组织编码,组织名称,活动日期,开始时间,结束时间,"
    "服务时长,活动类型,活动名称,服务地点,报到社区,审核状态\n"
)
MONTHS = ["2025-01", "2025-02", "2025-03"]


def _day_file(round_number: int) -> str:
    """One more day of logs: three approved sessions on 2025-03-1<round>."""
    day = f"2025-03-1{round_number}"
    return HEADER + "".join(
        f"T00{person},,,,B011,,{day},,,{hours},党员活动日,第{round_number}轮,,,已认定\n"
        for person, hours in ((1, 1), (2, 2), (3, 3))
    )


def _filters() -> list[queries.Filters]:
    return [
        queries.Filters(first, last) for first in MONTHS for last in MONTHS if first <= last
    ] + [queries.Filters("2025-01", "2025-03", districts=("D01",))]


@pytest.fixture
def serving(tmp_path, monkeypatch) -> Warehouse:
    warehouse = make_warehouse(tmp_path, "first_slice_inbox")
    warehouse.env["KEEP_SNAPSHOTS"] = "2"
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse.root))
    return warehouse


def test_twenty_sessions_read_complete_snapshots_through_three_rebuilds(
    serving: Warehouse,
) -> None:
    answers: dict[tuple[str, queries.Filters], set[queries.Kpis]] = defaultdict(set)
    errors: list[str] = []
    counts = {"queries": 0, "reruns": 0}
    lock = threading.Lock()
    done = threading.Event()
    filters = _filters()
    march = queries.Filters("2025-03", "2025-03", districts=("D01",))
    initial = queries.kpis(queries.current_snapshot(), march, queries.BUREAU)

    def session(seed: int) -> None:
        chooser = random.Random(seed)
        while not done.is_set():
            chosen = chooser.choice(filters)
            try:
                snapshot = queries.current_snapshot()
                st.cache_data.clear()  # every query reaches DuckDB, as a new filter would
                figures = queries.kpis(snapshot, chosen, queries.BUREAU)
            except queries.SnapshotChanged:
                with lock:  # a page reruns on the new snapshot: not an error
                    counts["reruns"] += 1
                continue
            except Exception as error:  # any other failure is what the test looks for
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                answers[(snapshot.digest, chosen)].add(figures)
                counts["queries"] += 1
            time.sleep(0.25)  # a reader's pause between two views: 80 queries a second in all

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    outputs = []
    try:
        for round_number in range(1, ROUNDS + 1):
            day = serving.inbox / "logs" / f"day_{round_number}.csv"
            day.write_text(_day_file(round_number), encoding="utf-8")
            ingest = serving.run("ingest", "--inbox", str(serving.inbox))
            build = serving.run("publish")
            outputs += [ingest.stdout, ingest.stderr, build.stdout, build.stderr]
            time.sleep(1)  # let the sessions read the new snapshot for a moment
    finally:
        done.set()
        for thread in threads:
            thread.join()

    assert errors == []
    assert not [text for text in outputs if "lock" in text.lower()]
    digests = {digest for digest, _ in answers}
    assert len(digests) >= ROUNDS  # the sessions saw the rebuilds
    assert counts["queries"] > 10 * SESSIONS
    # one snapshot, one answer per filter: never a mix of old and new tables
    assert all(len(figures) == 1 for figures in answers.values())

    final = queries.current_snapshot()
    st.cache_data.clear()
    for chosen in filters:
        seen = answers.get((final.digest, chosen))
        if seen:
            assert seen == {queries.kpis(final, chosen, queries.BUREAU)}
    # each round added 1 + 2 + 3 hours in March at B011 (D01)
    added = ROUNDS * (1 + 2 + 3) * 60
    assert queries.kpis(final, march, queries.BUREAU).total_minutes == (
        initial.total_minutes + added
    )
    assert len(list((serving.root / "snapshots").glob("*.duckdb"))) == 2
