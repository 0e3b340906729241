"""Stage 5, checks after load: Great Expectations suites and the duplicate tables."""
