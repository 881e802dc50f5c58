"""The rulebook: rules as cited, dated data (``rules/``), their loader, the condition
language they are written in, and the cases kept beside them."""
