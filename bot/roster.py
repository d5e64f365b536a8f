"""Lists of people that stay readable at any team size: the full list when it is short, groups when long.

Meridian serves companies of thousands. A team-wide answer (/time, /when, /standup status, a summary)
names everyone while the audience is small; above `FULL_LIST_UP_TO` it says the totals first, then
one line per group (a zone and status, a country, an answer state) with a count and a few names,
and folds the smallest groups into one closing line. Every count shown adds up to the people covered,
so a reader can trust the totals; the exact list is one filter away (each feature says which).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from bot.i18n import Translator

FULL_LIST_UP_TO = 25     # at most this many people are listed one per line
NAMES_PER_GROUP = 3      # names shown on a group's line before "and N more"
GROUP_LINES = 15         # group lines shown before the smallest groups are folded into one line


@dataclass
class Group:
    """People who share what the reader cares about (a zone and status, a country, an answer state)."""

    label: str
    names: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.names)


def is_large(count: int) -> bool:
    """Should an answer about `count` people be grouped instead of listed?"""
    return count > FULL_LIST_UP_TO


def names_preview(tr: Translator, names: Sequence[str], shown: int = NAMES_PER_GROUP) -> str:
    """'Lena, Jonas, Ali' or 'Lena, Jonas, Ali and 209 more': a few names, never the whole crowd."""
    if len(names) <= shown:
        return tr.list(names)
    more = tr.n_("{n} more", "{n} more", len(names) - shown)
    return tr.list([*names[:shown], more])


def group_line(tr: Translator, group: Group) -> str:
    """'Europe/Berlin UTC+01:00 · Wed 13:00 · working · 212 people: Lena, Jonas, Ali and 209 more'."""
    return tr.n_("{label} · {n} person: {names}", "{label} · {n} people: {names}", group.count,
                 label=group.label, names=names_preview(tr, group.names))


def group_lines(tr: Translator, groups: Sequence[Group], limit: int = GROUP_LINES) -> list[str]:
    """One line per group, in the given order; beyond `limit`, the smallest groups become one last line."""
    if len(groups) <= limit:
        return [group_line(tr, g) for g in groups]
    by_size = sorted(range(len(groups)), key=lambda i: -groups[i].count)
    kept = set(by_size[: limit - 1])
    folded = [groups[i] for i in range(len(groups)) if i not in kept]
    lines = [group_line(tr, groups[i]) for i in range(len(groups)) if i in kept]
    people = sum(g.count for g in folded)
    lines.append(tr.n_("… and {n} person in {groups} smaller groups", "… and {n} people in {groups} smaller groups",
                       people, groups=tr.number(len(folded))))
    return lines
