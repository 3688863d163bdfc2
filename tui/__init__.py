"""pipeline-tui: set up and watch an infrastructure-then-web AWS CodePipeline from the terminal."""

__version__ = "0.1.0"
