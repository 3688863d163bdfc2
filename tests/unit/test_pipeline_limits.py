"""The one definition of CodePipeline's limits (tui/domain/pipeline_limits.py) against botocore's service model,
which AWS generates from its own: the numbers and name patterns must be AWS's."""

from __future__ import annotations

from botocore.loaders import create_loader

from tui.domain import pipeline_limits as limits

MODEL = create_loader().load_service_model("codepipeline", "service-2")
SHAPES = MODEL["shapes"]


def test_the_limits_are_botocores() -> None:
    assert SHAPES["ActionConfigurationKey"]["max"] == limits.CONFIG_KEY_MAX
    assert SHAPES["ActionConfigurationValue"]["max"] == limits.CONFIG_VALUE_MAX
    for shape in ("PipelineName", "StageName", "ActionName"):
        assert (SHAPES[shape]["pattern"], SHAPES[shape]["max"]) == (limits.NAME_PATTERN, limits.NAME_MAX)
    assert SHAPES["ArtifactName"]["pattern"] == limits.ARTIFACT_PATTERN
    assert SHAPES["ActionNamespace"]["pattern"] == limits.NAMESPACE_PATTERN
    errors = {e["shape"] for e in MODEL["operations"]["CreatePipeline"]["errors"]}
    assert {limits.VALIDATION, limits.STRUCTURE, limits.STAGE_DECLARATION} <= errors
