"""Grouped lists: a few names per group, the smallest groups folded, and every count adding up."""
from __future__ import annotations

import re

from bot.i18n import Translator
from bot.roster import Group, group_lines, is_large, names_preview


def test_a_group_names_a_few_people_and_counts_the_rest() -> None:
    tr = Translator("en")
    assert names_preview(tr, ["Lena", "Jonas"]) == "Lena and Jonas"
    assert names_preview(tr, ["Lena", "Jonas", "Ali", "Mia", "Tom"]) == "Lena, Jonas, Ali, and 2 more"
    assert not is_large(25) and is_large(26)


def test_beyond_the_limit_the_smallest_groups_fold_into_one_line_that_keeps_the_count() -> None:
    tr = Translator("en")
    groups = [Group(f"g{size}", [f"p{size}-{k}" for k in range(size)]) for size in (5, 40, 1, 30, 2, 9)]
    lines = group_lines(tr, groups, limit=4)
    assert [line.split(" ·")[0] for line in lines[:3]] == ["g40", "g30", "g9"]      # order kept, largest kept
    assert lines[3] == "… and 8 people in 3 smaller groups"
    shown = sum(int(m.group(1)) for line in lines[:3] if (m := re.search(r"· (\d+) people", line)))
    assert shown + 8 == sum(g.count for g in groups)
    assert len(group_lines(tr, groups, limit=6)) == 6
