"""The live dashboard of one pipeline: the screen, its commands, execution history, the picker and key help."""
