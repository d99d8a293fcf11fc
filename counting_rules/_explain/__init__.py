"""A decision put into words for people: text and Markdown, why-not answers, the rule reference."""
