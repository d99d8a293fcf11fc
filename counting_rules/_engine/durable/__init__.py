"""The durable_rules back end: the intermediate form compiled to rulesets, and the only code that
imports durable_rules.
"""
