"""`d` in a session: the deal under discussion, its cost of inaction (the
dollarizing calculator) and its buying influences. Everything saves as typed."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from coachtui import text as formatting
from coachtui.coaching import deal_work
from coachtui.coaching.records import INFLUENCE_ROLES, STANCES, influences
from coachtui.screens import keys
from coachtui.screens.autosave import Autosave
from coachtui.screens.literal import literal
from coachtui.screens.messages import DealsLoaded
from coachtui.screens.workers import run_on_store
from coachtui.store import Store


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return None


def read_work(store: Store, deal_id: str) -> dict:
    """What was worked out on a deal: its value and its buying influences."""
    return {
        "value": deal_work.deal_value(store, deal_id),
        "influences": {i.role: (i.who, i.met, i.stance) for i in influences(store, deal_id)},
        "deal_id": deal_id,
    }


class DealDialog(ModalScreen[str | None]):
    """Pick a deal (stalled ones first), then work on it."""

    BINDINGS = keys.DEAL

    def __init__(
        self,
        db_path: Path,
        session_id: int,
        rep: str,
        stalled: list[str],
        current: str | None,
        autosave: Autosave,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.session_id, self.rep, self.stalled = session_id, rep, stalled
        self.deal_id = current
        self.works: dict[str, dict] = {}  # deal_id -> read_work()
        self.autosave = autosave

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="deal-body", classes="dialog") as body:
            body.border_title = "Deal under discussion"
            yield OptionList(id="deal-list")
            with VerticalScroll(id="deal-work"):
                yield Static(id="deal-title")
                yield Label("Cost of inaction: people x hours a week x hourly rate")
                with Horizontal(classes="calculator"):
                    yield Input(placeholder="people", id="people", type="number")
                    yield Input(placeholder="hours/week", id="hours", type="number")
                    yield Input(placeholder="rate/hour", id="rate", type="number")
                yield Static(id="deal-cost")
                yield Label("The value questions")
                for key, question in deal_work.VALUE_QUESTIONS:
                    yield Input(placeholder=question, id=f"answer-{key}")
                yield Label("Buying influences: who, met, stance")
                for role, label in INFLUENCE_ROLES:
                    with Horizontal(classes="influence"):
                        yield Label(label, classes="influence-role")
                        yield Input(placeholder="name", id=f"who-{role}")
                        yield Checkbox("met", id=f"met-{role}")
                        yield Select(
                            [(s, s) for s in STANCES],
                            value="unknown",
                            allow_blank=False,
                            id=f"stance-{role}",
                        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#deal-work").display = False
        self._load_deals()

    def _load_deals(self) -> None:
        """The rep's open deals and the work on each, read at once on a worker:
        picking a deal then shows its work without waiting on the database."""
        rep, stalled, current = self.rep, self.stalled, self.deal_id

        def read(store: Store) -> DealsLoaded:
            deals = deal_work.open_deals_for(store, rep, stalled)
            ids = {deal_id for deal_id, _label in deals} | ({current} if current else set())
            return DealsLoaded(deals, {deal_id: read_work(store, deal_id) for deal_id in ids})

        run_on_store(self, self.db_path, read, group="deal")

    def on_deals_loaded(self, message: DealsLoaded) -> None:
        deals, self.works = message.deals, message.works
        options = self.query_one("#deal-list", OptionList)
        options.clear_options()
        options.add_options([Option(literal(label), id=deal_id) for deal_id, label in deals])
        if deals:
            options.highlighted = 0
        else:
            options.add_option(Option(Text("No open deals for this rep."), disabled=True))
        options.focus()
        if self.deal_id in self.works:
            self._show_work(self.works[self.deal_id])

    @on(OptionList.OptionSelected, "#deal-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        deal_id = event.option.id
        session_id = self.session_id
        self.autosave.put(
            "deal", lambda store: deal_work.discuss_deal(store, session_id, deal_id), at_once=True
        )
        self._show_work(self.works[deal_id])
        self.query_one("#people", Input).focus()

    def _show_work(self, work: dict) -> None:
        self.deal_id = work["deal_id"]
        self.loading_work = True
        value = work["value"]
        self.query_one("#deal-work").display = True
        self.query_one("#deal-title", Static).update(literal(f"Deal {self.deal_id}", style="bold"))
        for key in ("people", "hours", "rate"):
            number = value.get(key)
            self.query_one(f"#{key}", Input).value = "" if number is None else f"{number:g}"
        for key, _question in deal_work.VALUE_QUESTIONS:
            self.query_one(f"#answer-{key}", Input).value = value.get("answers", {}).get(key, "")
        for role, _label in INFLUENCE_ROLES:
            who, met, stance = work["influences"].get(role, ("", False, "unknown"))
            self.query_one(f"#who-{role}", Input).value = who
            self.query_one(f"#met-{role}", Checkbox).value = met
            self.query_one(f"#stance-{role}", Select).value = stance
        self._show_cost()
        self.call_after_refresh(setattr, self, "loading_work", False)

    def _show_cost(self) -> tuple[float | None, float | None, float | None]:
        numbers = tuple(
            _number(self.query_one(f"#{k}", Input).value) for k in ("people", "hours", "rate")
        )
        cost = deal_work.cost_of_inaction(*numbers)
        self.query_one("#deal-cost", Static).update(
            Text(
                f"= {formatting.money(cost[0])} a month, {formatting.money(cost[1])} a year",
                style="bold",
            )
            if cost
            else Text(
                "Fill in people, hours a week and the hourly rate, or what the difference "
                "is worth per month.",
                style="dim",
            )
        )
        return numbers

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self, event) -> None:
        if self.deal_id is None or getattr(self, "loading_work", False):
            return
        people, hours, rate = self._show_cost()
        answers = {
            k: self.query_one(f"#answer-{k}", Input).value for k, _ in deal_work.VALUE_QUESTIONS
        }
        deal_id = self.deal_id
        self.autosave.put(
            f"value:{deal_id}",
            lambda store: deal_work.save_deal_value(store, deal_id, people, hours, rate, answers),
        )
        value = {"people": people, "hours": hours, "rate": rate, "answers": answers}
        work = {"deal_id": deal_id, "value": value, "influences": {}}
        self.works[deal_id] = work  # picked again, the deal shows what was typed
        for role, _label in INFLUENCE_ROLES:
            who = self.query_one(f"#who-{role}", Input).value
            met = self.query_one(f"#met-{role}", Checkbox).value
            stance = str(self.query_one(f"#stance-{role}", Select).value)
            work["influences"][role] = (who, met, stance)
            self.autosave.put(
                f"influence:{deal_id}:{role}",
                lambda store, r=role, w=who, m=met, s=stance: deal_work.save_influence(
                    store, deal_id, r, w, m, s
                ),
            )

    def action_close(self) -> None:
        self.autosave.flush()
        self.dismiss(self.deal_id)
