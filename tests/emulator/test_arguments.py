"""`python -m tui.emulator.server` checks its options as `pipeline-tui emulator` does: one error line, exit 2."""

from __future__ import annotations

import pytest

from tui.emulator.server import main


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--step-seconds", "-1"], "argument --step-seconds: -1 seconds: use a number above 0 to 86400"),
        (["--step-seconds=-0.5"], "-0.5 seconds: use a number above 0 to 86400"),
        (["--step-seconds", "inf"], "inf seconds: use a number above 0 to 86400"),
        (["--auto-complete-after", "-3"], "argument --auto-complete-after: -3 seconds: use a number from 0 to 86400"),
        (["--auto-complete-after", "soon"], "'soon' is not a number of seconds"),
        (["--port", "-1"], "-1 is not a port"),
    ],
)
def test_bad_options_are_one_sentence_and_exit_2(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and said in errors[0]
    assert "Traceback" not in err
