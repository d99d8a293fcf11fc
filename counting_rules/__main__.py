"""``python -m counting_rules`` runs the CLI, as the ``counting-rules`` script does."""

from counting_rules.cli import run

run()
