"""Finds personal identifiers in comment text: e-mail addresses, phone numbers,
and user-identifying URL query parameters.

Each finder returns :class:`Redaction` spans on the ORIGINAL text (start, end,
replacement); the anonymise stage applies them together with mention spans in
one pass, so text outside them stays byte for byte. URLs themselves stay
(researchers study link sharing): only parameters such as ``cuid=``, ``uid=``,
``user=``, ``email=`` are cut out of them, the rest of the URL is kept.

This module never logs or returns the identifiers it finds, only their spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"

USER_PARAMS = frozenset(
    {
        "cuid", "uid", "user", "userid", "user_id", "username", "user_name", "uname",
        "email", "e-mail", "mail", "emailaddress", "email_address", "login", "nick",
        "nickname", "handle", "account", "accountid", "account_id", "member",
        "memberid", "member_id", "profile", "profileid", "profile_id", "customer",
        "customerid", "customer_id", "subscriber", "subscriberid", "subscriber_id",
        "sid", "sessionid", "session_id", "token", "access_token", "auth",
        "fbclid", "gclid", "mc_eid", "_hsenc",
    }
)


@dataclass(frozen=True)
class Redaction:
    """Replace text[start:end] by ``replacement``; ``kind`` names what was found."""

    start: int
    end: int
    replacement: str
    kind: str
    count: int = 1


URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"“”‘’]+")
_QUERY_RE = re.compile(r"\?[^\s#\"'<>“”?]*[^\s#\"'<>“”?.,!:;)\]]")
_BARE_PARAM_RE = re.compile(r"[&;]([A-Za-z_][\w.\-]*)=[^\s&#;\"'<>“”]*")
EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][\w.+\-]*@[A-Za-z0-9][\w\-]*(?:\.[A-Za-z0-9][\w\-]*)*\.[A-Za-z]{2,}\b"
)
_PHONE_RE = re.compile(
    r"(?<![\w/+.\-,])"
    r"(?:(?:\+|00)\d{1,3}[\s.\-]?)?"
    r"(?:\(\d{1,5}\)[\s.\-]?)?"
    r"\d{2,5}(?:[\s.\-]\d{2,5}){1,4}"
    r"(?![\w/\-]|[.,]\d)"
)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def url_param_redactions(text: str) -> list[Redaction]:
    """User-identifying ``name=value`` query parameters, in URL queries or bare.

    A query ``?a=1&cuid=2&b=3`` becomes ``?a=1&b=3``; a query of nothing but
    such parameters disappears with its ``?``; a bare ``&cuid=2`` (a URL whose
    start the page replaced by "comment image") is cut out.
    """
    found: list[Redaction] = []
    for query in _QUERY_RE.finditer(text):
        redaction = _query_redaction(query)
        if redaction is not None:
            found.append(redaction)
    for param in _BARE_PARAM_RE.finditer(text):
        inside = any(r.start <= param.start() < r.end for r in found)
        if not inside and param.group(1).casefold() in USER_PARAMS:
            found.append(Redaction(*param.span(), "", "url_param"))
    return sorted(found, key=lambda r: r.start)


def _query_redaction(query: re.Match[str]) -> Redaction | None:
    pieces = re.split(r"([&;])", query.group(0)[1:])
    params, separators = pieces[0::2], [""] + pieces[1::2]
    kept = [
        (sep, param)
        for sep, param in zip(separators, params, strict=True)
        if _param_name(param) not in USER_PARAMS
    ]
    removed = len(params) - len(kept)
    if removed == 0:
        return None
    rebuilt = "".join(sep + param for sep, param in kept).lstrip("&;")
    replacement = "?" + rebuilt if rebuilt else ""
    return Redaction(query.start(), query.end(), replacement, "url_param", removed)


def _param_name(param: str) -> str:
    return param.split("=", 1)[0].casefold() if "=" in param else ""


def email_redactions(text: str) -> list[Redaction]:
    return [Redaction(*m.span(), EMAIL_MARK, "email") for m in EMAIL_RE.finditer(text)]


def phone_redactions(text: str) -> list[Redaction]:
    """Phone-shaped digit groups: 8-15 digits, not dates, years or plain counts."""
    return [
        Redaction(*m.span(), PHONE_MARK, "phone")
        for m in _PHONE_RE.finditer(text)
        if _looks_like_phone(m.group(0))
    ]


def _looks_like_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if not 8 <= len(digits) <= 15:
        return False
    groups = re.split(r"[\s.\-()]+", candidate.lstrip("+").strip())
    groups = [g for g in groups if g]
    if all(_YEAR_RE.fullmatch(g) for g in groups):
        return False  # "2014 2015", "2009-2010"
    if re.fullmatch(r"\d{4}[.\-]\d{1,2}[.\-]\d{1,2}", candidate):
        return False  # ISO date
    if re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", candidate):
        return False  # IPv4 address, a number not a person
    international = candidate.startswith(("+", "00", "("))
    return international or len(groups) >= 3 or len(digits) >= 10


def url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in URL_RE.finditer(text)]


def identifier_redactions(text: str) -> list[Redaction]:
    """All identifier spans, non-overlapping: URL params, then e-mails, then phones.

    Phones are never looked for inside URLs (ids and dates in paths look like
    phone numbers).
    """
    chosen: list[Redaction] = []
    for redaction in url_param_redactions(text) + email_redactions(text):
        if not _overlaps(redaction.start, redaction.end, chosen):
            chosen.append(redaction)
    blocked = url_spans(text)
    for redaction in phone_redactions(text):
        inside_url = any(s <= redaction.start < e for s, e in blocked)
        if not inside_url and not _overlaps(redaction.start, redaction.end, chosen):
            chosen.append(redaction)
    return sorted(chosen, key=lambda r: r.start)


def _overlaps(start: int, end: int, spans: list[Redaction]) -> bool:
    return any(start < other.end and other.start < end for other in spans)
