"""Development tools, off the runtime path: generated pages, parser scoring, the bench."""
