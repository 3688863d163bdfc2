"""The GitHub token lives in the OS keyring only: service ``pipeline-tui``, user name = the GitHub host.

Never falls back to a plain-text file: ``keyrings.alt`` backends, the null and the fail backend are
refused with :class:`~tui.domain.errors.KeyringUnavailable`. A backend instance can be injected (the
demo and the tests use :class:`MemoryKeyring`).
"""

from __future__ import annotations

from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties

from tui.domain.errors import KeyringUnavailable
from tui.services.validators import mask_token

SERVICE_NAME = "pipeline-tui"

KEYRING_HELP = """\
pipeline-tui keeps your GitHub token only in your operating system's keyring, never in a file, and \
no keyring is reachable here.

On a desktop one is used automatically: GNOME Keyring or KWallet on Linux (through the Secret Service), \
the macOS Keychain, or the Windows Credential Manager. Check that yours is running and unlocked.

On a server or in a container there is usually none. Either install and unlock a Secret Service:

    sudo apt-get install gnome-keyring dbus
    dbus-run-session -- bash -c \\
      'gnome-keyring-daemon --unlock --components=secrets; pipeline-tui setup'

or set PYTHON_KEYRING_BACKEND to another secure keyring backend you have installed.

Plain-text backends (keyrings.alt) are refused on purpose. Nothing has been stored."""

_FRIENDLY = {
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring, KWallet …)",
    "keyring.backends.libsecret": "Secret Service via libsecret",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
    "tui.services.token_store.MemoryKeyring": "in-memory keyring (demo and tests only)",
}
_INSECURE_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")


class MemoryKeyring(KeyringBackend):
    """An in-process keyring for ``--demo`` and tests. Never auto-selected: only used when injected."""

    @properties.classproperty
    def priority(cls) -> float:
        # Raising makes keyring treat the class as not viable, so it is never picked automatically.
        raise RuntimeError("MemoryKeyring is only used when injected")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's KeyringBackend is untyped
        self._items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_insecure(backend: Any) -> bool:
    name = _backend_name(backend)
    return name.startswith(_INSECURE_MODULES) or "plaintext" in name.lower()


def resolve_backend(backend: Any | None = None) -> Any:
    """The backend to use, or KeyringUnavailable. For the chainer, the first secure backend it holds."""
    candidate = backend if backend is not None else _configured_backend()
    chained = getattr(type(candidate), "backends", None)
    if _backend_name(candidate).startswith("keyring.backends.chainer") and chained is not None:
        secure = [b for b in chained if not is_insecure(b)]
        if not secure:
            raise _unavailable(candidate)
        return secure[0]
    if is_insecure(candidate):
        raise _unavailable(candidate)
    return candidate


def _configured_backend() -> Any:
    """keyring's choice; a PYTHON_KEYRING_BACKEND that cannot be loaded is a sentence, not a traceback."""
    import os

    try:
        return keyring.get_keyring()
    except Exception as exc:  # ImportError, AttributeError, or whatever the named backend's import raises
        named = os.environ.get("PYTHON_KEYRING_BACKEND", "")
        shown = named if len(named) <= 80 else named[:79] + "…"
        raise KeyringUnavailable(
            f"PYTHON_KEYRING_BACKEND={shown!r} names a keyring backend that cannot be loaded ({type(exc).__name__}).",
            hint="Unset it to use the OS keyring, or install the package that provides that backend.",
        ) from None


def _unavailable(backend: Any) -> KeyringUnavailable:
    kind = "a plain-text file" if _backend_name(backend).startswith("keyrings.alt") else "no keyring"
    return KeyringUnavailable(
        f"No secure OS keyring is available to store the GitHub token (keyring found {kind}).",
        hint="Start or unlock GNOME Keyring/KWallet, or set PYTHON_KEYRING_BACKEND; nothing was stored.",
    )


class TokenStore:
    """Read, write and delete the token for one GitHub host."""

    def __init__(self, backend: Any | None = None) -> None:
        self._injected = backend
        self._backend: Any | None = None

    def __repr__(self) -> str:
        return f"TokenStore(backend={self.backend_name()!r})"

    @property
    def backend(self) -> Any:
        if self._backend is None:
            self._backend = resolve_backend(self._injected)
        return self._backend

    def backend_name(self) -> str:
        try:
            return _backend_name(self.backend)
        except KeyringUnavailable:
            return "unavailable"

    def describe(self) -> str:
        """A friendly name for the backend in use (for the wizard)."""
        name = self.backend_name()
        for prefix, label in _FRIENDLY.items():
            if name.startswith(prefix):
                return label
        return name

    def check_available(self) -> None:
        """Raise KeyringUnavailable unless a secure backend answers a read."""
        self.get("pipeline-tui.availability-check")

    def get(self, host: str) -> str | None:
        token = self._call("read", lambda b: b.get_password(SERVICE_NAME, host))
        return None if token is None else str(token)

    def set(self, host: str, token: str) -> None:
        self._call("store", lambda b: b.set_password(SERVICE_NAME, host, token))

    def delete(self, host: str) -> bool:
        """True if a token was deleted, False if there was none."""
        try:
            self._call("delete", lambda b: b.delete_password(SERVICE_NAME, host))
        except _NotFound:
            return False
        return True

    def masked(self, host: str) -> str | None:
        token = self.get(host)
        return mask_token(token) if token else None

    def _call(self, doing: str, fn: Any) -> Any:
        backend = self.backend
        try:
            return fn(backend)
        except keyring.errors.PasswordDeleteError:
            raise _NotFound from None
        except keyring.errors.NoKeyringError:
            raise _unavailable(backend) from None
        except keyring.errors.KeyringLocked:
            raise KeyringUnavailable(
                f"The OS keyring is locked, so the token could not be {_past(doing)}.",
                hint="Unlock it (log in to your desktop session) and retry.",
            ) from None
        except Exception as exc:
            raise KeyringUnavailable(
                f"The OS keyring failed to {doing} the token ({type(exc).__name__}).",
                hint="Check that the keyring daemon is running and unlocked, then retry.",
            ) from None


class _NotFound(Exception):
    pass


def _past(doing: str) -> str:
    return {"read": "read", "store": "stored", "delete": "deleted"}.get(doing, doing)
