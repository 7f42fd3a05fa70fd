"""`python -m handoff train | validate`: Rasa's own training and data validation with a newcomer's output.

Training prints one line, then one progress bar over loading and validating the data and every component that
trains; the result is exactly what `rasa train` makes (the same Rasa functions run). Validation is
`rasa data validate --fail-on-warnings` except for the warnings that are not problems in this project: responses
that the custom actions send by name (Rasa's validator only looks at stories and rules). VERBOSE=1 shows Rasa's
whole output.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

from handoff import logs

DEFAULT_MODEL_NAME = "nordwind"
DEFAULT_OUT = "models"
# The step before the first component trains: loading and validating the data, fingerprinting the graph.
STEPS_BEFORE_COMPONENTS = 1


def _rasa_arguments(argv: list[str], verbose: bool) -> argparse.Namespace:
    from rasa.__main__ import create_argument_parser
    from rasa.utils.common import EXPECTED_WARNINGS

    # Importing Rasa puts its own filters first (DeprecationWarning 'once'): ours go in front again, with the
    # warnings Rasa itself calls expected (its CLI filters them the same way).
    logs.quiet_warnings(verbose)
    if not verbose:
        for category, message in EXPECTED_WARNINGS:
            warnings.filterwarnings("ignore", message=f".*{message}", category=category)
    return create_argument_parser().parse_args(argv)


@contextlib.contextmanager
def _quiet_rasa(verbose: bool) -> Iterator[None]:
    """Rasa reads LOG_LEVEL to decide whether to draw its own tqdm bars ('Processed story blocks' ...)."""
    saved = os.environ.get("LOG_LEVEL")
    if not verbose:
        os.environ["LOG_LEVEL"] = "WARNING"
    try:
        with contextlib.redirect_stdout(io.StringIO()) if not verbose else contextlib.nullcontext():
            yield
    finally:
        if saved is None:
            os.environ.pop("LOG_LEVEL", None)
        else:
            os.environ["LOG_LEVEL"] = saved


class _ComponentProgress:
    """A tqdm bar advanced by Rasa's training hooks: one step per component that trains or comes from the cache."""

    def __init__(self, enabled: bool) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=STEPS_BEFORE_COMPONENTS, unit="step", disable=not enabled, file=sys.stderr,
                        bar_format="Training: {percentage:3.0f}%|{bar:30}| {n_fmt}/{total_fmt} [{elapsed}] {desc}")
        self.bar.set_description_str("loading and validating the data")

    def hook_class(self) -> type:
        from rasa.engine.training.hooks import LoggingHook

        progress = self

        class ProgressHook(LoggingHook):
            def __init__(self, pruned_schema: Any) -> None:
                super().__init__(pruned_schema)
                training = [node for node in pruned_schema.nodes.values() if self._does_node_train(node)]
                progress.bar.total = STEPS_BEFORE_COMPONENTS + len(training)
                progress.step("training components")

            def on_before_node(self, node_name: str, execution_context: Any, config: Any,
                               received_inputs: Any) -> dict:
                node = self._pruned_schema.nodes[node_name]
                if self._does_node_train(node) and not self._is_cached_node(node):
                    progress.bar.set_description_str(node.uses.__name__)
                return super().on_before_node(node_name, execution_context, config, received_inputs)

            def on_after_node(self, node_name: str, execution_context: Any, config: Any, output: Any,
                              input_hook_data: dict) -> None:
                super().on_after_node(node_name, execution_context, config, output, input_hook_data)
                if self._does_node_train(self._pruned_schema.nodes[node_name]):
                    progress.step(execution_context.graph_schema.nodes[node_name].uses.__name__)

        return ProgressHook

    def step(self, label: str) -> None:
        self.bar.set_description_str(label, refresh=False)
        self.bar.update(1)

    def close(self, label: str) -> None:
        if label == "done":
            self.bar.n = self.bar.total
        self.bar.set_description_str(label)
        self.bar.close()


def train(out: str = DEFAULT_OUT, name: str = DEFAULT_MODEL_NAME, verbose: bool = False) -> int:
    from rasa.cli.train import run_training
    from rasa.engine.training import graph_trainer
    from rasa.utils.tensorflow.environment import setup_tf_environment

    started = time.monotonic()
    print(f"Training the model from config.yml, domain.yml, data/ and bot/ into {out}/{name}.tar.gz", flush=True)
    setup_tf_environment()
    progress = _ComponentProgress(enabled=not verbose)
    original_hook = graph_trainer.LoggingHook
    graph_trainer.LoggingHook = progress.hook_class()
    try:
        with _quiet_rasa(verbose):
            model = run_training(_rasa_arguments(["train", "--fixed-model-name", name, "--out", out], verbose))
    except Exception as error:  # noqa: BLE001 - Rasa raises many types; each is a failed training for the user
        progress.close("failed")
        print(f"training failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    except SystemExit as stop:   # Rasa's validation ends the process on errors it has already logged
        progress.close("failed")
        print("training failed: the data did not validate (VERBOSE=1 make train shows Rasa's whole output)",
              file=sys.stderr)
        return int(stop.code or 1)
    finally:
        graph_trainer.LoggingHook = original_hook
    if not model:
        progress.close("failed")
        print("training failed (VERBOSE=1 make train shows Rasa's whole output)", file=sys.stderr)
        return 1
    progress.close("done")
    print(f"Model trained in {time.monotonic() - started:.0f} s: {model}", flush=True)
    return 0


def unexpected_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    """Rasa's validation warnings (UserWarning) that the project's filters do not explain."""
    return [str(item.message) for item in caught
            if issubclass(item.category, UserWarning) and not logs.is_quiet(item.message, item.category)]


def validate(verbose: bool = False) -> int:
    """`rasa data validate --fail-on-warnings`, where a response sent from action code is not 'unused'."""
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        arguments = _rasa_arguments(["data", "validate"], verbose)   # its filters go before "always"
        importer = TrainingDataImporter.load_from_config(
            domain_path=arguments.domain, training_data_paths=arguments.data, config_path=arguments.config)
        try:
            with _quiet_rasa(verbose):
                validate_files(False, arguments.max_history, importer)
        except SystemExit as stop:
            print("validation failed (see the errors above)", file=sys.stderr)
            return int(stop.code or 1)
    problems = unexpected_warnings(caught)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if problems:
        print(f"validation failed: {len(problems)} warnings", file=sys.stderr)
        return 1
    print("The Rasa project (domain, NLU data, stories, rules) is valid.")
    return 0


def add_commands(commands: Any) -> None:
    train_parser = commands.add_parser("train", help="rasa train with one line and a progress bar")
    train_parser.add_argument("--out", default=DEFAULT_OUT)
    train_parser.add_argument("--name", default=DEFAULT_MODEL_NAME, help="file name of the model, without .tar.gz")
    commands.add_parser("validate", help="rasa data validate --fail-on-warnings, knowing what the actions send")


def run(arguments: argparse.Namespace, verbose: bool) -> int:
    logs.configure("INFO", verbose=verbose)
    if not verbose:
        # The product's own components report at INFO (e.g. 'trained the tone scorer on ...'): the bar says it.
        for name in ("bot", "actions"):
            logging.getLogger(name).setLevel(logging.WARNING)
    sys.path.insert(1, str(Path.cwd()))   # as the rasa command does: custom components import from the project
    if arguments.command == "train":
        return train(arguments.out, arguments.name, verbose)
    return validate(verbose)
