"""The knowledge base: instruments, standards, sandboxes, glossary, principles, projects
and country profiles (``data/``), their record format, and the store that holds them."""
