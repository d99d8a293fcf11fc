"""``python -m counting_rules`` runs the CLI."""

from .cli import main

raise SystemExit(main())
