"""The set-at-a-time batch evaluator: the rule IR compiled to SQL and run on DuckDB."""
