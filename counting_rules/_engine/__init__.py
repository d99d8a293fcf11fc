"""Deciding: a case flattened to facts, run by an evaluator (durable_rules, in durable/, or the
plain-Python reference), and the trace built into a Decision with what is still needed.
"""
