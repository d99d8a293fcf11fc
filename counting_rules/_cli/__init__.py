"""The command line, by audience: maintainers and trainers (cli.py holds the common commands)."""
