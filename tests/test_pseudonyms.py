"""Keyed pseudonyms: key loading, canonical handles, ids, truncation collisions."""

from __future__ import annotations

import re
import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import pseudonyms
from pipeline.pseudonyms import (
    MAX_KEY_FILE_BYTES,
    KeyFileError,
    PseudonymKey,
    canonical_handle,
    load_key,
    pseudonym,
    pseudonym_map,
)

KEY_A = PseudonymKey(b"a" * 32)
KEY_B = PseudonymKey(b"b" * 32)


def test_load_key_strips_one_trailing_newline(tmp_path):
    secret = secrets.token_hex(32).encode()
    plain, with_newline = tmp_path / "plain.key", tmp_path / "newline.key"
    plain.write_bytes(secret)
    with_newline.write_bytes(secret + b"\n")
    assert load_key(plain) == load_key(with_newline)
    assert load_key(plain).fingerprint() == load_key(with_newline).fingerprint()


@pytest.mark.parametrize(
    ("content", "reason"), [(None, "no such file"), (b"short-key\n", "too short")]
)
def test_load_key_refuses_with_path_and_reason_but_not_contents(tmp_path, content, reason):
    path = tmp_path / "pseudonym.key"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(KeyFileError) as error:
        load_key(path)
    message = str(error.value)
    assert str(path) in message and reason in message
    assert "short-key" not in message


def test_load_key_refuses_a_directory(tmp_path):
    with pytest.raises(KeyFileError, match="directory"):
        load_key(tmp_path)


def test_load_key_refuses_devices_fifos_large_and_empty_files_without_reading_them(tmp_path):
    import os

    fifo = tmp_path / "fifo.key"
    os.mkfifo(fifo)  # reading it would block
    large, empty = tmp_path / "large.key", tmp_path / "empty.key"
    large.write_bytes(b"k" * (MAX_KEY_FILE_BYTES + 1))
    empty.write_bytes(b"")
    refused = {
        "/dev/zero": "is not a regular file",  # endless: must never be read
        str(fifo): "is not a regular file",
        str(large): f"too large ({MAX_KEY_FILE_BYTES + 1} bytes; a key file holds at most "
        f"{MAX_KEY_FILE_BYTES} bytes)",
        str(empty): "is empty",
    }
    for path, reason in refused.items():
        with pytest.raises(KeyFileError) as error:
            load_key(path)
        assert str(error.value) == f"pseudonym key file {path}: {reason}"
    at_limit = tmp_path / "limit.key"
    at_limit.write_bytes(b"k" * MAX_KEY_FILE_BYTES)
    link = tmp_path / "link.key"
    link.symlink_to(at_limit)  # a secrets mount is often a symlink: allowed for the key
    assert load_key(link) == load_key(at_limit)


def test_key_never_shows_its_bytes():
    secret = secrets.token_bytes(32)
    key = PseudonymKey(secret)
    for shown in (repr(key), str(key), f"{key}"):
        assert secret.hex() not in shown and repr(secret) not in shown
        assert key.fingerprint() in shown


def test_fingerprint_is_8_hex_and_tells_keys_apart():
    assert re.fullmatch(r"[0-9a-f]{8}", KEY_A.fingerprint())
    assert KEY_A.fingerprint() != KEY_B.fingerprint()
    assert PseudonymKey.random_preview().fingerprint() != KEY_A.fingerprint()


def test_canonical_handle_folds_case_width_and_white_space():
    assert canonical_handle("  Jerry \t Hamilton ") == "jerry hamilton"
    assert canonical_handle("ＪＥＲＲＹ") == "jerry"  # NFKC: full-width letters
    assert canonical_handle("Straße") == canonical_handle("STRASSE")


def test_pseudonym_is_u_and_ten_base32_characters():
    assert re.fullmatch(r"u_[a-z2-7]{10}", pseudonym(KEY_A, "jerry hamilton"))
    assert pseudonym(KEY_A, "Jerry  Hamilton") == pseudonym(KEY_A, "jerry hamilton")


def test_truncation_collision_is_resolved_deterministically(monkeypatch):
    monkeypatch.setattr(pseudonyms, "PSEUDONYM_CHARS", 1)
    handles = [f"commenter {i}" for i in range(200)]  # 200 handles, 32 one-char ids
    ids = pseudonym_map(KEY_A, handles)
    assert len(set(ids.values())) == len(handles)
    assert any(len(p) > len("u_") + 1 for p in ids.values())
    assert pseudonym_map(KEY_A, list(reversed(handles))) == ids


def test_same_canonical_handle_shares_one_pseudonym():
    ids = pseudonym_map(KEY_A, ["David Leach", "david  leach", "Rob"])
    assert ids["David Leach"] == ids["david  leach"] != ids["Rob"]


handles = st.text(min_size=1, max_size=30).filter(lambda h: canonical_handle(h) != "")


@settings(max_examples=60, deadline=None)
@given(st.lists(handles, min_size=1, max_size=20, unique=True))
def test_pseudonyms_deterministic_for_a_key_and_different_between_keys(batch):
    first, again, other = (pseudonym_map(k, batch) for k in (KEY_A, KEY_A, KEY_B))
    assert first == again
    canonical = {canonical_handle(h) for h in batch}
    assert len(set(first.values())) == len(canonical)
    assert all(first[h] != other[h] for h in batch)
