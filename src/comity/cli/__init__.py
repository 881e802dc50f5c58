"""The command line: a thin adapter that parses, calls the library and renders."""
