"""The `docsearch` command line: a face of the system beside the API (`cli/main.py`)."""
