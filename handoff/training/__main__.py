"""`python -m handoff.training`: see handoff/training/cli.py."""
import sys

from handoff.training.cli import main

sys.exit(main())
