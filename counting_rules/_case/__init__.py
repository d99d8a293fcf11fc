"""Reading a case: files (YAML 1.2 or JSON) and raw data to a validated CaseFacts, with every error
at its field path.
"""
