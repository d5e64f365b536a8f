"""Encrypting platform secrets at rest (OAuth bot tokens) with the operator's MERIDIAN_SECRET_KEY.

A stolen database dump must not hand out working bot tokens. The key never touches the database:
it comes from the environment. It may be a Fernet key (`Fernet.generate_key()`) or any passphrase
(stretched with PBKDF2). Several keys separated by commas allow rotation: the first encrypts,
every one of them decrypts, so old rows stay readable until they are rewritten.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.config import ConfigError

# A fixed salt is fine here: the passphrase protects one installation's data, not a password table.
_SALT = b"meridian/at-rest-secrets/v1"
_ROUNDS = 200_000


class SecretError(Exception):
    """A stored secret cannot be decrypted with the configured key(s)."""


def _fernet_for(part: str) -> Fernet:
    try:
        raw = base64.urlsafe_b64decode(part.encode("ascii"))
        if len(raw) == 32:
            return Fernet(part.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        pass
    derived = hashlib.pbkdf2_hmac("sha256", part.encode("utf-8"), _SALT, _ROUNDS, dklen=32)
    return Fernet(base64.urlsafe_b64encode(derived))


class Cipher:
    """Symmetric encryption of short secrets; tokens of another key (or tampered ones) raise SecretError."""

    def __init__(self, secret_key: str) -> None:
        parts = [p.strip() for p in secret_key.split(",") if p.strip()]
        if not parts:
            raise ConfigError("MERIDIAN_SECRET_KEY must be set to store platform tokens "
                              "(generate one with: python -c 'from cryptography.fernet import Fernet; "
                              "print(Fernet.generate_key().decode())')")
        self._fernet = MultiFernet([_fernet_for(p) for p in parts])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as error:
            raise SecretError("stored secret cannot be decrypted with MERIDIAN_SECRET_KEY") from error
