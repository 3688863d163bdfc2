from __future__ import annotations

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null
from keyring.compat import properties

from tui.domain.errors import KeyringUnavailable
from tui.services.token_store import SERVICE_NAME, MemoryKeyring, TokenStore, is_insecure, resolve_backend

TOKEN = "ghp_" + "Z9y8X7w6V5" * 3 + "abcdef"


def test_store_read_mask_delete_under_service_and_host() -> None:
    backend = MemoryKeyring()
    store = TokenStore(backend)
    assert store.get("github.com") is None and store.masked("github.com") is None
    store.set("github.com", TOKEN)
    assert backend.get_password(SERVICE_NAME, "github.com") == TOKEN
    assert store.get("ghe.example.com") is None
    assert store.masked("github.com") == "ghp_…cdef"
    assert store.delete("github.com") is True
    assert store.delete("github.com") is False
    assert TOKEN not in repr(store)


def test_memory_keyring_is_never_auto_selected() -> None:
    assert not MemoryKeyring.viable
    assert all(not isinstance(b, MemoryKeyring) for b in keyring.backend.get_all_keyring())


def test_fail_backend_is_unavailable_with_help() -> None:
    store = TokenStore(fail.Keyring())
    with pytest.raises(KeyringUnavailable) as info:
        store.set("github.com", TOKEN)
    assert "No secure OS keyring" in str(info.value) and "nothing was stored" in str(info.value)
    with pytest.raises(KeyringUnavailable):
        store.check_available()


def test_null_backend_is_refused() -> None:
    with pytest.raises(KeyringUnavailable):
        TokenStore(null.Keyring()).check_available()


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt.file.PlaintextKeyring (not installed here, on purpose)."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test double: never auto-selected")

    stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_plaintext_backends_are_refused_and_nothing_written() -> None:
    backend = PlaintextKeyring()
    assert is_insecure(backend)
    with pytest.raises(KeyringUnavailable, match="plain-text"):
        TokenStore(backend).set("github.com", TOKEN)
    assert PlaintextKeyring.stored == {}


def test_chainer_uses_first_secure_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    secure = MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextKeyring(), secure])
    assert resolve_backend(chainer.ChainerBackend()) is secure
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextKeyring()])
    with pytest.raises(KeyringUnavailable):
        resolve_backend(chainer.ChainerBackend())


def test_keyring_errors_become_one_sentence() -> None:
    class Locked(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("locked")

    with pytest.raises(KeyringUnavailable, match="locked"):
        TokenStore(Locked()).get("github.com")


@pytest.mark.parametrize(
    "named", ["nosuch.Backend", "keyring.backends.SecretService.Nope", "keyrings.cryptfile.cryptfile.CryptFileKeyring"]
)
def test_unloadable_backend_named_in_the_environment_is_one_sentence(
    named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", named)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    with pytest.raises(KeyringUnavailable) as info:
        TokenStore().check_available()
    assert str(info.value).startswith(f"PYTHON_KEYRING_BACKEND='{named}' names a keyring backend that cannot be loaded")
    assert info.value.__cause__ is None and info.value.__suppress_context__
