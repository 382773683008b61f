"""Command palette: jump to any rep, coach them or read their brief, import a
file, go to a tab. Names are CRM text, so they are shown as plain text, never
as markup."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import CoachRep, RepChosen, ShowBrief
from coachtui.text import visible


class RepCommands(Provider):
    def _reps(self) -> list[tuple[str, str | None]]:
        review = self.app.review
        if review is None:
            return []
        return list(review.report.reps.select("rep", "manager").iter_rows())

    @staticmethod
    def _help(rep: str, manager: str | None) -> str:
        return escape(visible(f"Open {rep}'s review ({manager or 'no manager'})"))

    async def discover(self) -> Hits:
        for rep, manager in self._reps():
            yield DiscoveryHit(
                literal(f"Rep: {rep}"),
                partial(self.app.post_message, RepChosen(rep)),
                text=f"Rep: {rep}",
                help=self._help(rep, manager),
            )

    async def search(self, query: str) -> Hits:
        """A rep's review first; "coach NAME" and "brief NAME" below it, ranked
        lower, so that a name and enter never starts a session."""
        matcher = self.matcher(query)
        for rep, manager in self._reps():
            for verb, message, weight, help_text in (
                ("Rep", RepChosen, 1.0, self._help(rep, manager)),
                ("Coach", CoachRep, 0.5, escape(visible(f"Coach {rep}: their session"))),
                ("Brief", ShowBrief, 0.5, escape(visible(f"{rep}'s brief, before the call"))),
            ):
                text = f"{verb}: {rep}"
                score = matcher.match(text) * weight
                if score > 0:
                    yield Hit(
                        score,
                        literal(text),
                        partial(self.app.post_message, message(rep)),
                        text=text,
                        help=help_text,
                    )


def app_commands(
    import_file: Callable[[], None], show_tab: Callable[[str], None]
) -> Iterable[SystemCommand]:
    """The palette's commands beside the reps: import a file, go to a tab."""
    yield SystemCommand(
        "Import a CRM export", "Load deals, reps, history or activities", import_file
    )
    for tab, label in keys.TABS:
        yield SystemCommand(f"Go to {label}", f"Switch to the {label} tab", partial(show_tab, tab))
