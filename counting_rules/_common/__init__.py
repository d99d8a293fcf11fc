"""Plumbing every stage shares: YAML read with the line of every key, input limits, field paths in
messages, printable text.
"""
