"""The rulebook compiler front end: the rule file format, fact types, decision tables, dated
versions, resolution and stratification into the intermediate form (ir) both evaluators run, and
the sandboxed explanation templates.
"""
