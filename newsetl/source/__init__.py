"""Stage 1, the inbox: which files are pages, reading and decoding them, watching the folder."""
