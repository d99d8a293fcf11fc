"""``python -m counting_rules`` runs the CLI."""

from counting_rules.cli import main

raise SystemExit(main())
