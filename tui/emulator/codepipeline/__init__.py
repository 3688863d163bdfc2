"""Emulated CodePipeline: the run model, the engine that advances runs, action behaviour and handlers."""
