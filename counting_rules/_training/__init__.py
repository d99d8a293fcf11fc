"""Training material from scenarios: walkthroughs, handouts and the quiz."""
