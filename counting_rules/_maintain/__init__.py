"""Rule maintenance: check, diff between editions, and the search for cases aimed at a rule."""
