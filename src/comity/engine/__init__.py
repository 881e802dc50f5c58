"""The engine: one profile in, one cited, traced result per jurisdiction out."""
