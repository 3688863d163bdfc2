"""The 2026-12-05 report, item 1, one test per observation: the reported string (OSC 52 clipboard write, OSC 0
title, CSI 2J clear, CSI 5;5H move, then "FAKE") as a rejected approval's summary, a commit message, a CodeBuild
error and stage and action names, with Rich markup after it. The dashboard opens on the pipeline with no key
pressed (it selects the failure itself); every segment it renders is checked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.dashboard import Env, advance_until, loaded_dashboard, refresh
from tests.support.hostile import LITERAL, REPORTED, approve, dirt, gated_pipeline, rewritten_answers
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.textual_compat import screen_strips

SIZE = (140, 40)
HOSTILE = f"{REPORTED} {LITERAL}"
SHOWN = f"LGTMFAKE {LITERAL}"  # what is left to draw: the words, the markup as written


def _rows(app: Any) -> str:
    return "\n".join("".join(s.text for s in row) for row in screen_strips(app.screen))


def _widget(screen: Dashboard, selector: str) -> str:
    return str(screen.query_one(selector).render())


def _commit(name: str, value: str, key: bool) -> str:
    if name == "revisionSummary":  # as CodeStar writes it: JSON, the escapes written \u001b
        return json.dumps({"ProviderType": "GitHub", "CommitMessage": f"{HOSTILE}\n\nbody"})
    return value


def _build_error(name: str, value: str, key: bool) -> str:
    """The failing command's text, as CodeBuild repeats it in the phase context and the pipeline's error."""
    return f"{value}: {HOSTILE}" if name == "message" else value


def _names(name: str, value: str, key: bool) -> str:
    return f"{value}{HOSTILE}" if name in ("stageName", "actionName", "name") and not key else value


async def _failed_dashboard(pilot: Any, env: Env) -> Dashboard:
    screen = await loaded_dashboard(pilot)
    await advance_until(pilot, env.clock, lambda: screen.snapshot and screen.snapshot.first_failure)
    await refresh(pilot)
    return await loaded_dashboard(pilot)


def _assert_clean(app: Any) -> str:
    shown = _rows(app)
    assert dirt(app) == []
    assert "APPROVAL-TITLE" not in shown and "Y3VybC" not in shown and "5;5H" not in shown
    return shown


async def test_a_rejected_approvals_summary_reaches_no_terminal(env: Env) -> None:
    name = gated_pipeline(env)
    approve(env, name, HOSTILE, status="Rejected")
    app = env.make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _failed_dashboard(pilot, env)
        assert screen.snapshot.first_failure[1].summary == SHOWN  # the Gate action failed, it is selected
        shown = _assert_clean(app)
        assert SHOWN in shown  # details' summary: the words, the markup as written


@pytest.mark.parametrize(
    "rewrite",
    [
        _commit,  # the header, and the pipeline's details
        _build_error,  # "failed in", the error and the cause panel
        _names,  # the tree: every stage and action
    ],
    ids=["commit message", "codebuild error", "stage and action names"],
)
async def test_remote_text_in_the_dashboard_reaches_no_terminal(env: Env, rewrite: Any) -> None:
    from tui.ui.widgets.pipeline_tree import PipelineTree

    name = env.seed("infra-fails")
    with rewritten_answers(rewrite, (HOSTILE,)):
        app = env.make_app(name)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _failed_dashboard(pilot, env)
            shown = _assert_clean(app)
            assert SHOWN in shown
            if rewrite is _commit:  # the header shows it at once; the details once the pipeline is selected
                assert SHOWN in _widget(screen, "#hdr-title")
                screen.query_one(PipelineTree).select_key(("pipeline",))
                await loaded_dashboard(pilot)
                _assert_clean(app)
                assert SHOWN in _widget(screen, "#details-body")
            elif rewrite is _build_error:
                assert "failed in" in _widget(screen, "#details-phases")
                assert SHOWN in _widget(screen, "#details-phases") or SHOWN in _widget(screen, "#details-error")
                assert "LGTMFAKE" in str(screen.query_one("CausePanel").render())
            else:
                tree = screen.query_one(PipelineTree)
                labels = [str(tree.node_for(key).label) for key in tree._by_key if key[0] in ("stage", "action")]
                assert len(labels) >= 5 and all(SHOWN in label for label in labels)
