"""`python -m handoff.training <command>`: each step of the trainer loop from a shell.

    inbox [--since D] [--until D] [--intent I] [--reason R]   messages worth a look
    annotate MESSAGE_ID confirm|correct|tone|dismiss --by NAME [--intent I] [--tone-label L]
    export [--patch]                                          into data/ (or print a unified diff only)
    train [--no-evaluate]                                     retrain (progress shown), register, evaluate
    evaluate MODEL_ID | models | promote MODEL_ID --by NAME [--admin --override-reason R] | rollback --by NAME

Configuration: DATABASE_URL, MODEL_PATH (where the live model is installed), TRAINING_PROJECT_ROOT (default:
the current directory), TRAINING_MODELS_DIR, TRAINING_CONFIG. Promotion from the CLI installs the model at
MODEL_PATH for the next start; the running server swaps models through the trainer API (`/api/trainer/...`).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from handoff.training.annotate import ACTIONS, TONE_LABELS, Annotator
from handoff.training.inbox import REASONS, InboxFilter
from handoff.domain.vocabulary import ROLE_ADMIN, ROLE_TRAINER
from handoff.training.promotion import Actor
from handoff.training.runtime import DONE, TRAINING, Trainer

PROGRESS_INTERVAL_SECONDS = 2.0


class InstallOnly:
    """Stands in for the running bot: the CLI process serves no conversations, it only installs the model."""

    async def swap_model(self, path: Path) -> None:
        if not path.exists():
            raise FileNotFoundError(path)


def _date(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m handoff.training", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    inbox = commands.add_parser("inbox", help="messages worth a look, best first")
    inbox.add_argument("--since", type=_date)
    inbox.add_argument("--until", type=_date)
    inbox.add_argument("--intent")
    inbox.add_argument("--reason", choices=REASONS)
    inbox.add_argument("--limit", type=int, default=50)
    annotate = commands.add_parser("annotate", help="confirm/correct the intent, tone example, dismiss")
    annotate.add_argument("message_id")
    annotate.add_argument("action", choices=ACTIONS)
    annotate.add_argument("--by", required=True, help="who annotates (name)")
    annotate.add_argument("--intent")
    annotate.add_argument("--tone-label", choices=TONE_LABELS)
    export = commands.add_parser("export", help="pending annotations into data/")
    export.add_argument("--patch", action="store_true", help="print a unified diff, change nothing")
    train = commands.add_parser("train", help="retrain a candidate, then evaluate it against live")
    train.add_argument("--no-evaluate", action="store_true")
    evaluate = commands.add_parser("evaluate", help="evaluate a registered model against live")
    evaluate.add_argument("model_id")
    commands.add_parser("models", help="the model registry")
    promote = commands.add_parser("promote", help="make a model live (gated)")
    promote.add_argument("model_id")
    promote.add_argument("--by", required=True)
    promote.add_argument("--admin", action="store_true", help="act as admin (needed to override the gate)")
    promote.add_argument("--override-reason")
    rollback = commands.add_parser("rollback", help="back to the previous live model")
    rollback.add_argument("--by", required=True)
    return parser.parse_args(argv)


def _print(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _progress_line(trainer: Trainer) -> str:
    job = trainer.cycle.job
    if job is None:
        return f"[{trainer.cycle.stage}] starting"
    p = job.progress
    epoch = f" epoch {p.epoch}/{p.epochs}" if p.epoch is not None else ""
    left = f", ~{p.remaining_seconds:.0f}s left" if p.remaining_seconds is not None else ""
    return f"[{trainer.cycle.stage}] {p.component or 'preparing'}{epoch}, {job.seconds:.0f}s elapsed{left}"


async def _train(trainer: Trainer, evaluate: bool) -> int:
    trainer.start_cycle(evaluate=evaluate)
    while not trainer.cycle.task.done():
        if trainer.cycle.stage == TRAINING:
            print(_progress_line(trainer), file=sys.stderr, flush=True)
        await asyncio.wait({trainer.cycle.task}, timeout=PROGRESS_INTERVAL_SECONDS)
    _print(trainer.cycle.to_dict())
    return 0 if trainer.cycle.stage == DONE else 1


async def run(arguments: argparse.Namespace, trainer: Trainer) -> int:
    command = arguments.command
    if command == "inbox":
        filters = InboxFilter(arguments.since, arguments.until, arguments.intent, arguments.reason,
                              arguments.limit)
        _print(await trainer.inbox(filters))
    elif command == "annotate":
        _print(await trainer.annotate(arguments.message_id, arguments.action, Annotator(None, arguments.by),
                                      intent=arguments.intent, tone_label=arguments.tone_label))
    elif command == "export":
        result = await trainer.export(write=not arguments.patch)
        print(result.pop("patch") if arguments.patch else json.dumps(result, ensure_ascii=False, indent=2))
    elif command == "train":
        return await _train(trainer, not arguments.no_evaluate)
    elif command == "evaluate":
        _print(await trainer.evaluate(arguments.model_id))
    elif command == "models":
        _print(await trainer.models())
    elif command == "promote":
        actor = Actor(arguments.by, ROLE_ADMIN if arguments.admin else ROLE_TRAINER)
        _print(await trainer.promote(arguments.model_id, actor, arguments.override_reason))
    elif command == "rollback":
        _print(await trainer.rollback(Actor(arguments.by, ROLE_TRAINER)))
    return 0


async def _main(arguments: argparse.Namespace) -> int:
    from handoff.bus.in_process import InProcessBus, InProcessPresence
    from handoff.services.context import ServiceContext
    from handoff.settings import Settings
    from handoff.store.database import create_engine
    from handoff.training.project import Project
    from handoff.training.promotion import ensure_live_registered

    settings = Settings.from_env(os.environ)
    engine = create_engine(settings.database_url)
    # The trainer's use cases publish no events: the in-process bus is enough in a shell.
    bus, bot = InProcessBus(), InstallOnly()
    ctx = ServiceContext(db=engine, bus=bus, presence=InProcessPresence(), bot=bot)  # type: ignore[arg-type]
    project = Project.from_settings(settings)
    trainer = Trainer.create(ctx, project, bot=bot, install_path=Path(settings.model_path))
    try:
        if Path(settings.model_path).exists():
            await ensure_live_registered(trainer.loop, Path(settings.model_path))
        return await run(arguments, trainer)
    finally:
        await trainer.close()
        await bus.close()
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    from handoff.training.annotate import AlreadyAnnotated, AnnotationError, MessageNotFound
    from handoff.training.promotion import PromotionRefused, UnknownModel

    try:
        return asyncio.run(_main(arguments))
    except PromotionRefused as error:
        print("refused: " + "; ".join(error.reasons), file=sys.stderr)
    except (AnnotationError, AlreadyAnnotated, MessageNotFound, UnknownModel) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
    return 1
