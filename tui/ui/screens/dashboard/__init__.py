"""The live dashboard of one pipeline: the screen, its commands, execution history and key help."""
