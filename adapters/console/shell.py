"""`meridian shell`: slash commands typed (or piped) in, the bot's replies printed out.

Interactive in a terminal, scriptable through a pipe: `printf '/time\n' | meridian shell --user amara`.
A reply's buttons are pressed by typing `!1`, `!2`, …; a form asks for each field on the next lines.
A line that does not start with `/` is *said* in the shell's channel, like a chat message: where time
conversion is on (it is in the demo), the bot's thread reply is printed under it.
"""
from __future__ import annotations

import itertools
import sys
from typing import IO, Iterator

from bot.core import ActionRequest, CommandRequest, Meridian
from bot.members import Identity
from bot.reply import Reply

from adapters.console.render import render_reply

PROMPT = "meridian> "


class ConsoleShell:
    def __init__(self, core: Meridian, user_id: str, workspace: str = "default", *, locale: str | None = None,
                 out: IO[str] | None = None) -> None:
        self.core = core
        self.who = Identity(platform="console", workspace_id=workspace, user_id=user_id, user_name=user_id,
                            locale=locale, channel="console")
        self.out = out or sys.stdout
        self.last: Reply | None = None
        self._message_ids = itertools.count(1)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def command(self, line: str) -> Reply:
        """Run one line as the shell's user and return the reply (tests call this directly)."""
        reply = self.core.handle(CommandRequest(self.who, line))
        self.last = reply
        return reply

    def said(self, text: str) -> Reply | None:
        """Say a line in the channel as the shell's user; the thread reply it gets, if any (tests call this)."""
        answer = self.core.message_said(self.who, text, sent_at=self.core.now(),
                                        message_ref=f"console-{next(self._message_ids)}")
        return answer.reply

    def press(self, index: int) -> Reply:
        if self.last is None or not 1 <= index <= len(self.last.buttons):
            return Reply(text=f"No button {index} on the last reply.", error=True)
        button = self.last.buttons[index - 1]
        reply = self.core.handle_action(ActionRequest(self.who, button.action, button.value))
        self.last = reply
        return reply

    def run(self, stream: IO[str]) -> int:
        interactive = stream.isatty()
        lines = self._lines(stream, interactive)
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line in {"quit", "exit", "/quit", "/exit"}:
                break
            if line.startswith("!") and line[1:].isdigit():
                reply = self.press(int(line[1:]))
            elif not line.startswith("/"):
                said = self.said(line)
                if said is not None:
                    self.say("↳ " + render_reply(said))      # the thread reply under the line said
                    if not interactive:
                        self.say("")
                continue
            else:
                reply = self.command(line)
            self.say(render_reply(reply))
            if reply.form is not None:
                self._fill_form(reply, lines, interactive)
            if not interactive:
                self.say("")
        return 0

    def _fill_form(self, reply: Reply, lines: Iterator[str], interactive: bool) -> None:
        form = reply.form
        assert form is not None
        values: dict[str, str] = {}
        for field in form.fields:
            if interactive:
                print(f"{field.label}: ", end="", file=self.out, flush=True)
            values[field.name] = next(lines, "").rstrip("\n")
        result = self.core.handle_action(ActionRequest(self.who, form.action, form.value, values))
        self.last = result
        self.say(render_reply(result))

    def _lines(self, stream: IO[str], interactive: bool) -> Iterator[str]:
        while True:
            if interactive:
                print(PROMPT, end="", file=self.out, flush=True)
            line = stream.readline()
            if not line:
                return
            yield line
