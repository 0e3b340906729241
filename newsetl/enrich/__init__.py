"""Stage 3, enrichment: tokens, keywords, names, MinHash signatures, and a page's rows."""
