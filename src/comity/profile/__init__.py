"""The AI-system profile (v1): the common input contract, its vocabulary and its files."""
