"""Where ingest and analysis run: in this process, or as a Dask job on a cluster.

Both executors give the same results in the same order, so the brief does not depend on
where it was computed. With Dask, reading the files (decoding, HTML extraction, feeds) and
the per-article analysis run on the workers, each worker loading the spaCy model once;
the analysis cache, story clustering, rendering and delivery stay in this process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from briefing.errors import ConfigError
from briefing.safetext import one_line

if TYPE_CHECKING:
    from briefing.analyse import Analyser, AnalyserSpec, Cache
    from briefing.models import Article, ArticleAnalysis

CONNECT_TIMEOUT = "10s"
T = TypeVar("T")
R = TypeVar("R")


class LocalExecutor:
    """Everything in this process; the analysis streams through one `nlp.pipe`."""

    name = "local"

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """fn on each item, in order."""
        return [fn(item) for item in items]

    def analyse(
        self, analyser: Analyser, articles: Sequence[Article], cache: Cache | None
    ) -> Iterator[ArticleAnalysis]:
        """Per-article results in order (cached ones skip spaCy)."""
        return analyser.analyse_each(articles, cache)

    def close(self) -> None:
        """Nothing to release."""


# One analyser per worker process, loaded by the first task that needs it.
_WORKER_ANALYSERS: dict[AnalyserSpec, Analyser] = {}
_WORKER_LOCK = threading.Lock()
WORKER_LOADS = [0]  # how many times this process loaded a model (read by the tests)


def worker_analyser(spec: AnalyserSpec) -> Analyser:
    """The analyser for spec in this process, loaded on first use and then kept."""
    with _WORKER_LOCK:
        analyser = _WORKER_ANALYSERS.get(spec)
        if analyser is None:
            analyser = spec.load()
            _WORKER_ANALYSERS[spec] = analyser
            WORKER_LOADS[0] += 1
        return analyser


def analyse_partition(articles: Sequence[Article], spec: AnalyserSpec) -> list[ArticleAnalysis]:
    """A Dask task: one partition of articles through the worker's analyser."""
    return list(worker_analyser(spec).analyse_each(list(articles)))


@dataclass
class DaskExecutor:
    """Ingest and analysis as dask.bag jobs on a dask.distributed cluster.

    scheduler: the address of a running scheduler ("tcp://host:8786"); None starts a
    LocalCluster of `workers` processes on 127.0.0.1 for this run.
    """

    scheduler: str | None = None
    workers: int = 2
    partition_size: int = 64
    name = "dask"

    def __post_init__(self) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(
                "the Dask executor needs dask and distributed: pip install 'briefing[dask]'"
            ) from None
        self._cluster: Any = None
        if self.scheduler is None:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # a free loopback port
            )
            self.client: Any = Client(self._cluster)
        else:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                ) from None

    def _bag(self, items: Sequence[Any]) -> Any:
        import dask.bag

        size = max(1, min(self.partition_size, -(-len(items) // max(1, self.workers))))
        return dask.bag.from_sequence(list(items), partition_size=size)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """fn on each item on the workers; results in input order."""
        if not items:
            return []
        return list(self._bag(items).map(fn).compute(scheduler=self.client))

    def analyse(
        self, analyser: Analyser, articles: Sequence[Article], cache: Cache | None
    ) -> Iterator[ArticleAnalysis]:
        """Cached results from this process, the rest analysed on the workers; in order."""
        found = analyser.cached(articles, cache)
        todo = [n for n in range(len(articles)) if n not in found]
        if todo:
            if analyser.spec is None:
                raise ConfigError("the Dask executor needs an analyser loaded from a spec")
            bag = self._bag([articles[n] for n in todo])
            # one process per worker: the cluster, not nlp.pipe, spreads the work
            spec = replace(analyser.spec, n_process=1)
            results = bag.map_partitions(analyse_partition, spec).compute(scheduler=self.client)
            for n, result in zip(todo, results, strict=True):
                found[n] = result
                if cache is not None:
                    cache.put(analyser.cache_key(articles[n]), result)
        return (found[n] for n in range(len(articles)))

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this run started one."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


Executor = LocalExecutor | DaskExecutor


@dataclass(frozen=True, slots=True)
class Analysed:
    """The articles that were analysed, their results in the same order, and the failures."""

    articles: tuple[Article, ...]
    results: tuple[ArticleAnalysis, ...]
    failed: tuple[tuple[Article, str], ...]


def analyse_or_skip(
    executor: Executor, analyser: Analyser, articles: Sequence[Article], cache: Cache | None
) -> Analysed:
    """Every article analysed; one that makes the analysis fail is left out with its reason.

    The batch runs first; when it fails, each article is analysed alone (results already
    cached are not analysed again) so one article's failure is never the run's.
    """
    try:
        return Analysed(tuple(articles), tuple(executor.analyse(analyser, articles, cache)), ())
    except (Exception, RecursionError):
        pass  # the failing article is found, and named, below
    kept: list[Article] = []
    results: list[ArticleAnalysis] = []
    failed: list[tuple[Article, str]] = []
    for article in articles:
        try:
            results.extend(executor.analyse(analyser, [article], cache))
        except (Exception, RecursionError) as exc:
            failed.append((article, one_line(f"analysis failed: {type(exc).__name__}: {exc}")))
            continue
        kept.append(article)
    return Analysed(tuple(kept), tuple(results), tuple(failed))


def make_executor(kind: str, scheduler: str | None = None, workers: int = 2) -> Executor:
    """The executor a config or the command line names."""
    if kind == "local":
        if scheduler is not None:
            raise ConfigError("--scheduler needs --executor dask")
        return LocalExecutor()
    if kind == "dask":
        return DaskExecutor(scheduler=scheduler, workers=workers)
    raise ConfigError(f"unknown executor {kind!r} (local or dask)")
