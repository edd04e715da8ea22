"""Executors the same definitions run on: multiprocess (default), in-process, or a Dask cluster.

What belongs here: choosing the executor from ``SITREP_EXECUTOR`` and the Dask executor itself.
What does not: assets, jobs or resources — they are the same whichever executor runs them.

``sitrep_dask_executor`` is `dagster-dask`'s executor (same config schema, same step function on
the workers) with two fixes for the locked versions (dagster-dask 0.29.27, dask 2026.8): dask's
task-spec parser walks every tuple argument of ``Client.submit`` and trips on the Dagster records
inside a ``DagsterRun`` whenever a run has concurrency pools (``release`` has one), so the step's
arguments travel in an opaque envelope; and task keys carry the run ID, so two runs of one job do
not collide on a shared cluster (dagster-io/dagster#21418). A cluster the run started is closed
when the run ends.
"""

import importlib
import os
from functools import lru_cache

import dagster as dg

EXECUTORS = ("multiprocess", "in_process", "dask")
_CLUSTERS = {  # cluster type → (module, class), as dagster-dask supports them
    "local": ("dask.distributed", "LocalCluster"), "ssh": ("dask.distributed", "SSHCluster"),
    "yarn": ("dask_yarn", "YarnCluster"), "pbs": ("dask_jobqueue", "PBSCluster"),
    "moab": ("dask_jobqueue", "MoabCluster"), "sge": ("dask_jobqueue", "SGECluster"),
    "lsf": ("dask_jobqueue", "LSFCluster"), "slurm": ("dask_jobqueue", "SLURMCluster"),
    "oar": ("dask_jobqueue", "OARCluster"), "kube": ("dask_kubernetes", "KubeCluster"),
}


class _Envelope:
    """Carries a step's arguments (or events) past dask unopened: pickled whole, never parsed or sized."""

    def __init__(self, value: tuple):
        self.value = value


def _execute_step_on_worker(dependencies: list, envelope: _Envelope) -> _Envelope:
    """Runs on a Dask worker: unwrap the arguments, execute one step as dagster-dask does, and wrap
    the step's events (dask cannot size Dagster records and warns about each)."""
    from dagster_dask.executor import query_on_dask_worker

    return _Envelope(tuple(query_on_dask_worker(dependencies, *envelope.value)))


def _dask_executor_class():
    from dagster._core.errors import raise_execution_interrupts
    from dagster._utils import iterate_with_context
    from dagster_dask.executor import DaskExecutor, get_dask_resource_requirements

    class SitrepDaskExecutor(DaskExecutor):
        def _cluster(self, job_name: str):
            if self.cluster_type == "existing":
                return self.cluster_configuration["address"]
            module, name = _CLUSTERS[self.cluster_type]
            return getattr(importlib.import_module(module), name)(**self.build_dict(job_name))

        def execute(self, plan_context, execution_plan):
            import dask.distributed

            if not plan_context.instance.is_persistent:
                raise dg.DagsterInvariantViolationError("Dask execution requires a persistent DagsterInstance")
            run = plan_context.dagster_run
            cluster = self._cluster(plan_context.job_name)
            futures: dict[str, object] = {}
            try:
                with dask.distributed.Client(cluster) as client:
                    for level in execution_plan.get_steps_to_execute_by_level():
                        for step in level:
                            dependencies = [futures[key] for step_input in step.step_inputs
                                            for key in step_input.dependency_keys]
                            futures[step.key] = client.submit(
                                _execute_step_on_worker, dependencies,
                                _Envelope((plan_context.reconstructable_job, run, plan_context.run_config,
                                           [step.key], plan_context.instance.get_ref(), execution_plan.known_state)),
                                key=f"{plan_context.job_name}.{step.key}.{run.run_id}",
                                resources=get_dask_resource_requirements(step.tags),
                            )
                    completed = dask.distributed.as_completed(list(futures.values()), with_results=True)
                    for _future, events in iterate_with_context(raise_execution_interrupts, completed):
                        yield from events.value
            finally:
                if not isinstance(cluster, str):  # a cluster this run started: stop its workers
                    cluster.close()

    return SitrepDaskExecutor


@lru_cache(maxsize=1)
def sitrep_dask_executor() -> dg.ExecutorDefinition:
    """`dagster-dask`'s executor with the envelope fix (config: ``cluster: {local: {...}}`` or ``{existing: ...}``).

    Built on first use: importing ``dagster_dask`` pulls in ``dask.distributed`` (~0.4 s), which a
    build on the other executors never needs.
    """
    from dagster_dask import dask_executor

    @dg.executor(name="dask", requirements=dg.multiple_process_executor_requirements(),
                 config_schema=dask_executor.config_schema)
    def _sitrep_dask_executor(init_context: dg.InitExecutorContext):
        ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
        return _dask_executor_class()(cluster_type, cluster_configuration)

    return _sitrep_dask_executor


def executor_named(name: str | None = None, dask_cluster: dict | None = None) -> dg.ExecutorDefinition:
    """The executor for every job: ``name`` or ``SITREP_EXECUTOR`` (default multiprocess).

    ``dask`` connects to ``SITREP_DASK_ADDRESS`` when set, else starts a local cluster of
    ``SITREP_DASK_WORKERS`` (default 2) single-threaded worker processes; ``dask_cluster``
    overrides both with the `dagster-dask` ``cluster`` config.
    """
    name = (name or os.environ.get("SITREP_EXECUTOR") or "multiprocess").strip().lower()
    if name == "multiprocess":
        return dg.multiprocess_executor.configured(
            {"max_concurrent": int(os.environ.get("SITREP_MAX_CONCURRENT", "2") or 2)})
    if name == "in_process":
        return dg.in_process_executor
    if name == "dask":
        if dask_cluster is None:
            address = os.environ.get("SITREP_DASK_ADDRESS")
            dask_cluster = ({"existing": {"address": address}} if address else
                            {"local": {"n_workers": int(os.environ.get("SITREP_DASK_WORKERS", "2") or 2),
                                       "threads_per_worker": 1}})
        return sitrep_dask_executor().configured({"cluster": dask_cluster}, name="dask")
    raise ValueError(f"SITREP_EXECUTOR={name!r}: expected one of {', '.join(EXECUTORS)}")
