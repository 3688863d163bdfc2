from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.services import validators as v

TOKEN = "ghp_" + "A1b2C3d4E5" * 3 + "xyzW9_"  # 40 characters


def test_token_fixture_is_forty() -> None:
    assert len(TOKEN) == 40


@pytest.mark.parametrize("raw", [TOKEN, f" {TOKEN}\n", f'"{TOKEN}"', f"'{TOKEN}'\r\n", f"\t`{TOKEN}` "])
def test_token_is_stripped_and_accepted(raw: str) -> None:
    result = v.validate_token(raw)
    assert result.ok and result.value == TOKEN
    assert (result.note is not None) == (raw != TOKEN)


def test_token_too_long_names_length() -> None:
    result = v.validate_token(TOKEN + "x")
    assert result.error is not None and result.error.startswith("41 characters")
    assert "trailing quote or newline" in result.error
    assert TOKEN not in result.error


def test_token_too_short_names_length() -> None:
    result = v.validate_token(TOKEN[:-3])
    assert result.error is not None and "37 characters" in result.error and "3 missing" in result.error


def test_forbidden_character_names_position_never_token() -> None:
    raw = TOKEN[:10] + "-" + TOKEN[11:]
    result = v.validate_token(raw)
    assert result.error is not None
    assert result.error.startswith("Character 11 of the token is a hyphen: tokens contain only")
    assert raw not in result.error and TOKEN[:10] not in result.error


def test_inner_newline_and_length_reported_together() -> None:
    result = v.validate_token(TOKEN + '"\n' + "abc")
    assert result.error is not None
    assert result.error.startswith(
        "Character 41 of the token is a double quote (and it has 45 characters instead of 40)"
    )


FINE = "github_pat_" + "11ABCDEFG0" * 8 + "x_"  # 93 characters


def test_fine_grained_token_is_accepted_by_its_own_prefix_and_length() -> None:
    assert len(FINE) == 93
    result = v.validate_token(f' "{FINE}"\n')
    assert result.ok and result.value == FINE  # issue 24: organisations that forbid classic tokens
    long, short = v.validate_token(FINE + "x"), v.validate_token(FINE[:-5])
    assert long.error is not None and long.error.startswith("94 characters, but a fine-grained GitHub token has 93")
    assert short.error is not None and "5 missing" in short.error and "fine-grained" in short.error
    bad = v.validate_token(FINE[:20] + "-" + FINE[21:])
    assert bad.error is not None and bad.error.startswith("Character 21 of the token is a hyphen")
    assert all(FINE[:15] not in r.error for r in (long, short, bad) if r.error)


@given(st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=82, max_size=82))
def test_every_well_formed_fine_grained_token_is_accepted(rest: str) -> None:
    assert v.validate_token("github_pat_" + rest).ok


@given(st.integers(min_value=1, max_value=120).filter(lambda n: n != 82))
def test_a_fine_grained_token_of_another_length_is_refused_with_its_count(n: int) -> None:
    result = v.validate_token("github_pat_" + "a" * n)
    assert result.error is not None and f"{11 + n} characters" in result.error and "fine-grained" in result.error


def test_empty_token() -> None:
    assert v.validate_token('  "" ').error == (
        "Paste a GitHub personal access token (classic, 40 characters, or fine-grained, 93)."
    )


def test_mask_token() -> None:
    assert v.mask_token(TOKEN) == "ghp_…yzW9_"[:4] + "…" + TOKEN[-4:]
    assert v.mask_token("a" * 40) == "…aaaa"
    assert v.mask_token("ghp_ab") == "ghp_…"


@given(st.text(max_size=120))
def test_token_validator_never_crashes_and_explains(raw: str) -> None:
    result = v.validate_token(raw)
    if not result.ok:
        assert result.error and result.error.endswith((".", "?"))
        if len(result.value) >= 12:
            assert result.value not in result.error


@given(st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=40, max_size=40))
def test_every_well_formed_token_is_accepted(raw: str) -> None:
    if raw.startswith("github_pat_"):
        return
    assert v.validate_token(raw).ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("octo-org/website", "octo-org/website"),
        ("https://github.com/octo-org/website", "octo-org/website"),
        ("https://github.com/octo-org/website.git", "octo-org/website"),
        ("https://github.com/octo-org/website/", "octo-org/website"),
        ("git@github.com:octo-org/web.site.git", "octo-org/web.site"),
        ("  https://ghe.example.com/team/app  ", "team/app"),
    ],
)
def test_repo_normalised(raw: str, expected: str) -> None:
    result = v.normalise_repo(raw)
    assert result.ok, result.error
    assert result.value == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "owner/name"),
        ("website", "exactly one '/'"),
        ("a/b/c", "exactly one '/'"),
        ("-octo/site", "owner"),
        ("octo/we b", "repository name"),
        ("octo/..", "repository name"),
    ],
)
def test_repo_rejected(raw: str, fragment: str) -> None:
    result = v.normalise_repo(raw)
    assert result.error is not None and fragment in result.error


@given(st.text(max_size=200))
def test_repo_never_crashes(raw: str) -> None:
    result = v.normalise_repo(raw)
    assert result.ok or result.error
    if result.ok:
        assert result.value.count("/") == 1


@pytest.mark.parametrize("name", ["main", "feature/x-1", "release-2.0", "a"])
def test_branch_ok(name: str) -> None:
    assert v.validate_branch(name).ok


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("a b", "a space (character 2)"),
        ("a..b", "'..'"),
        ("a/", "'/'"),
        ("x.lock", ".lock"),
        ("@", "'@'"),
        ("a~1", "'~'"),
        ("a@{1}", "'@{'"),
        ("-x", "start with '-'"),
        ("", "default branch"),
    ],
)
def test_branch_rejected(name: str, fragment: str) -> None:
    result = v.validate_branch(name)
    assert result.error is not None and fragment in result.error


@given(st.text(max_size=300))
def test_branch_never_crashes(raw: str) -> None:
    result = v.validate_branch(raw)
    assert result.ok or result.error


@pytest.mark.parametrize("name", ["website", "my_site-2", "A" * 25])
def test_pipeline_name_ok(name: str) -> None:
    assert v.validate_pipeline_name(name, "123456789012").ok


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "Enter a pipeline name"),
        ("my site", "Character 3 is a space"),
        ("my.site", "CodeBuild project my.site-infra"),
        ("me@site", "'@'"),
        ("-site", "start with a letter or digit"),
        ("A" * 26, "connection name"),
        ("A" * 101, "CodePipeline allows 100"),
        ("xn--site", "xn--"),
    ],
)
def test_pipeline_name_rejected(name: str, fragment: str) -> None:
    result = v.validate_pipeline_name(name, "123456789012")
    assert result.error is not None and fragment in result.error, result.error


@given(st.text(max_size=150), st.one_of(st.none(), st.from_regex(r"\d{12}", fullmatch=True)))
def test_pipeline_name_never_crashes_and_derived_names_fit(raw: str, account: str | None) -> None:
    result = v.validate_pipeline_name(raw, account)
    if not result.ok:
        assert result.error
        return
    names = v.derived_names(result.value, account)
    assert len(names.connection) <= 32
    if names.bucket:
        assert len(names.bucket) <= 63 and names.bucket == names.bucket.lower() and "_" not in names.bucket


@given(st.text(max_size=120))
def test_suggested_pipeline_name_is_always_valid(repo: str) -> None:
    assert v.validate_pipeline_name(v.suggest_pipeline_name(repo), "123456789012").ok


def test_suggest_from_repo() -> None:
    assert v.suggest_pipeline_name("octo-org/my.web.site") == "my-web-site"


def test_derived_names() -> None:
    names = v.derived_names("My_Site", "123456789012")
    assert (names.infra_project, names.web_project, names.connection) == (
        "My_Site-infra",
        "My_Site-web",
        "My_Site-github",
    )
    assert names.bucket == "my-site-artifacts-123456789012"


def test_policy_arn() -> None:
    assert v.validate_policy_arn("").ok
    assert v.validate_policy_arn("arn:aws:iam::aws:policy/PowerUserAccess").note is None
    admin = v.validate_policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
    assert admin.ok and admin.note and "AdministratorAccess" in admin.note
    assert v.validate_policy_arn("PowerUserAccess").error


def test_api_url() -> None:
    assert v.validate_api_url("https://api.github.com/").value == "https://api.github.com"
    assert v.validate_api_url("http://127.0.0.1:8080").ok
    assert "https" in (v.validate_api_url("http://ghe.example.com/api/v3").error or "")
    assert v.validate_api_url("ftp://x").error
    assert v.github_host("https://api.github.com") == "github.com"
    assert v.github_host("https://ghe.example.com/api/v3") == "ghe.example.com"


def test_region_and_account() -> None:
    assert v.validate_region("eu-west-1").ok
    assert v.validate_region("us-gov-west-1").ok
    assert v.validate_region("Europe").error
    assert v.validate_account_id("123456789012").ok
    assert v.validate_account_id("1234").error


def test_invalid_utf8_and_unnamed_characters_are_described() -> None:
    from tui.services.validators import describe_char

    raw = b"ghp_\xff".decode("utf-8", "surrogateescape") + "a" * 35
    result = v.validate_token(raw)
    assert result.error is not None and "the byte 0xFF, which is not valid UTF-8 text" in result.error
    assert "unnamed" not in result.error and "U+DC" not in result.error
    assert describe_char("\x85") == "the character U+0085 (a control or unassigned character)"
    assert describe_char("é") == "the character U+00E9 (latin small letter e with acute)"
