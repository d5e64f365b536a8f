"""What is never a meeting time: code, quotes of other messages, links, addresses, versions, phone numbers, logs.

`mask(text)` returns the text with every such span replaced by spaces, so the detector never sees a
digit inside it and every offset still points into the original message.
"""
from __future__ import annotations

import re

_SPANS = [
    re.compile(r"```.*?(?:```|\Z)", re.S),                                  # code blocks (an unclosed one runs to the end)
    re.compile(r"`[^`\n]+`"),                                               # inline code
    re.compile(r"^[ \t]*(?:>|&gt;).*$", re.M),                              # quoted lines (Slack, Discord, e-mail)
    re.compile(r"<[@#!:a-zA-Z/][^<>\s]*(?:\|[^<>]*)?>|<t:-?\d+(?::[a-zA-Z])?>|<a?:\w+:\d+>"),  # platform tokens
    re.compile(r"(?:\b(?:https?|ftp|ssh|git|file|wss?)://|\bwww\.)[^\s<>\"]+", re.I),          # URLs
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),                            # e-mail addresses, user@host
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|app|de|fr|es|jp|in|br|co|uk|ai|gov|edu)(?::\d+)?"
               r"(?:/[^\s]*)?", re.I),                                      # bare host names
    re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])"),                # IPv6, full
    re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?"
               r"(?:/\d{1,3})?(?![\w:])"),                                   # IPv6 with '::'
    re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\w:])"),                  # MAC addresses
    re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?:/\d{1,2})?(?![\w.])"),       # IPv4[:port][/cidr]
    re.compile(r"(?<![\w.])\d+(?::\d+){2,}(?:[.,]\d+)?(?![\w:])"),          # 10:32:07, 1:02:33:44 (clocks with seconds, durations)
    re.compile(r"(?<![\w.])[vV]\d+(?:\.\d+)+(?:[-+][\w.]+)?(?![\w])"),      # v2.10, v1.4.0-rc1
    re.compile(r"(?<![\w.])(?!\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\w.]))\d+\.\d+\.\d+(?:\.\d+)*(?:[-+][\w.]+)?(?![\w])"),
    # 3.11.2, 10.15.7: versions (25.03.2026 and 25.03.26 are dates, read by the detector)
    re.compile(r"(?:(?<=\s)|^)(?:\+|00)\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}(?!\w)",
               re.M),                                                        # +49 30 1234 5678
    re.compile(r"(?<![\w.+-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w])"),  # (415) 555-0100, 415-555-0100
    re.compile(r"(?<![\w])(?:0\d{2,4}[\s/-]\d{3,}(?:[\s-]\d{2,})*)(?![\w])"),  # 030 1234567, 0171-1234567
    re.compile(r"(?<![\w.])#\d+\b|\b[0-9a-f]{7,40}\b"),                     # issue numbers, commit hashes
    re.compile(r"(?<![\w/])(?:~|\.{1,2})?/(?:[\w.-]+/)*[\w.-]+"),             # /var/log/app.log, ~/x, ./y
    re.compile(r"(?<![\w/])[\w.-]+/(?:[\w.-]+/)*[\w-]+\.[A-Za-z]\w{0,4}(?![\w/])"),  # src/app/main.py
]

# A line that starts like a log record or a pasted chat transcript: "[10:32] alice: …", "2026-03-23 10:32:07 INFO …".
_LOG_LINE = re.compile(
    r"^[ \t]*(?:\[\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?\s*\]"
    r"|\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}"
    r"|\[?\d{2}:\d{2}:\d{2}"
    r"|[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"
    r"|(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL)\s*[\[:|]"
    r"|\w[\w .-]{0,30}\s{2,}\d{1,2}:\d{2}\s?(?:AM|PM)\s*$"
    r").*$", re.M)
_LEVEL = re.compile(r"\b(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL|Traceback|Exception)\b")


def mask(text: str) -> str:
    """`text` with everything that is not prose replaced by spaces (same length, same offsets)."""
    chars = list(text)
    touched = False
    for pattern in (_LOG_LINE, *_SPANS):
        current = "".join(chars) if touched else text
        for found in pattern.finditer(current):
            touched = True
            for i in range(found.start(), found.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    if _LEVEL.search(text):
        # a line that names a log level and holds a clock with seconds is a log line, wherever it starts
        offset = 0
        for line in text.split("\n"):
            if _LEVEL.search(line) and _SECONDS.search(line):
                chars[offset:offset + len(line)] = " " * len(line)
                touched = True
            offset += len(line) + 1
    return "".join(chars) if touched else text


_SECONDS = re.compile(r"\d:\d{2}[:.,]\d")
