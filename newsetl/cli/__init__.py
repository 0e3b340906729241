"""The `newsetl` command line."""
