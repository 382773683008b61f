"""`d` in a session: the deals under discussion, each with what was learned
about it in this session, its cost of inaction (the dollarizing calculator)
and its buying influences. Everything saves as typed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from coachtui import text as formatting
from coachtui.coaching import deal_work
from coachtui.coaching.records import (
    INFLUENCE_ROLES,
    STANCES,
    VALUE_QUESTIONS,
    DealDiscussed,
    influences,
)
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import DealsLoaded
from coachtui.screens.widgets.key_footer import KeyFooter
from coachtui.screens.widgets.table import VimOptionList
from coachtui.screens.workers import run_on_store
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.coaching.deal_work import OpenDeal
    from coachtui.coaching.sessions import LiveSession
    from coachtui.screens.autosave import Autosave

NO_INFLUENCE = ("", False, "unknown")
DISCUSSED = "● "  # a deal already taken up in this session


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return None


def read_work(store: Store, deal_id: str) -> dict:
    """What was worked out on a deal: its value and its buying influences."""
    value = deal_work.deal_value(store, deal_id)
    return {
        "value": {
            "people": value.get("people"),
            "hours": value.get("hours"),
            "rate": value.get("rate"),
            "answers": value.get("answers", {}),
        },
        "influences": {i.role: (i.who, i.met, i.stance) for i in influences(store, deal_id)},
    }


def met_label(met: bool) -> str:
    """The checkbox's state in words too, for terminals without colour."""
    return "met" if met else "not met"


class DealDialog(ModalScreen[None]):
    """Pick a deal (stalled ones first), work on it, pick another: the session
    discusses every deal picked. `state` and `works` belong to the Coach tab,
    and are kept up to date here as the manager types."""

    BINDINGS = keys.DEAL

    def __init__(
        self, db_path: Path, state: LiveSession, works: dict[str, dict], autosave: Autosave
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.state = state
        self.works = works  # deal_id -> read_work(), as last typed
        self.autosave = autosave
        self.deals: dict[str, OpenDeal] = {}
        self.deal_id: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="deal-body", classes="dialog") as body:
            body.border_title = "Deals discussed in this session"
            yield Static(id="deal-discussed")
            yield VimOptionList(id="deal-list")
            with VerticalScroll(id="deal-work"):
                yield Static(id="deal-title")
                yield Label("What we learned about it (in this session)")
                yield TextArea(id="deal-learned", soft_wrap=True)
                yield Label("Cost of inaction: people x hours a week x hourly rate")
                with Horizontal(classes="calculator"):
                    yield Input(placeholder="people", id="people", type="number")
                    yield Input(placeholder="hours/week", id="hours", type="number")
                    yield Input(placeholder="rate/hour", id="rate", type="number")
                yield Static(id="deal-cost")
                yield Label("The value questions")
                for key, question in VALUE_QUESTIONS:
                    yield Input(placeholder=question, id=f"answer-{key}")
                yield Label("Buying influences: who, met, stance")
                for role, label in INFLUENCE_ROLES:
                    with Horizontal(classes="influence"):
                        yield Label(label, classes="influence-role")
                        yield Input(placeholder="name", id=f"who-{role}")
                        yield Checkbox(met_label(False), id=f"met-{role}")
                        yield Select(
                            [(s, s) for s in STANCES],
                            value="unknown",
                            allow_blank=False,
                            id=f"stance-{role}",
                        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#deal-work").display = False
        self._show_discussed()
        self._load_deals()

    def _discussed(self) -> dict[str, DealDiscussed]:
        return {deal.deal_id: deal for deal in self.state.deals}

    def _load_deals(self) -> None:
        """The rep's open deals, and the work on those not worked on yet in this
        session, read at once on a worker: picking a deal then shows its work
        without waiting on the database."""
        rep, stalled, known = self.state.session.rep, self.state.stalled, set(self.works)
        discussed = set(self._discussed())

        def read(store: Store) -> DealsLoaded:
            deals = deal_work.open_deals_for(store, rep, stalled)
            ids = ({deal.deal_id for deal in deals} | discussed) - known
            return DealsLoaded(deals, {deal_id: read_work(store, deal_id) for deal_id in ids})

        run_on_store(self, self.db_path, read, group="deal")

    def on_deals_loaded(self, message: DealsLoaded) -> None:
        self.works.update(message.works)
        self.deals = {deal.deal_id: deal for deal in message.deals}
        options = self.query_one("#deal-list", OptionList)
        options.clear_options()
        ids = [*self.deals, *(i for i in self._discussed() if i not in self.deals)]
        options.add_options([Option(self._prompt(deal_id), id=deal_id) for deal_id in ids])
        if not ids:
            options.add_option(Option(Text("No open deals for this rep."), disabled=True))
        else:
            current = self.state.deal_id
            options.highlighted = ids.index(current) if current in ids else 0
        options.focus()
        if self.state.deal_id in self.works:
            self._show_work(self.state.deal_id)

    def _title(self, deal_id: str) -> str:
        deal = self.deals.get(deal_id) or self._discussed()[deal_id]
        return deal.title

    def _prompt(self, deal_id: str) -> Text:
        """`● stalled Pinnacle renewal (Acme) · Proposal · $12,000`, on one line."""
        prompt = Text(DISCUSSED if deal_id in self._discussed() else "  ", style="bold")
        deal = self.deals.get(deal_id)
        prompt.append("stalled " if deal and deal.stalled else "        ", style="bold")
        prompt.append_text(literal(self._title(deal_id)))
        if deal is None:
            prompt.append(" · no longer open", style="dim")
            return prompt
        details = literal(f" · {deal.stage or '-'}", style="dim")
        details.append(f" · {formatting.money(deal.amount, deal.currency)}")
        prompt.append_text(details)
        return prompt

    def _show_discussed(self) -> None:
        discussed = self.state.deals
        line = Text("Discussed now: ", style="bold")
        if discussed:
            line.append_text(literal(", ".join(deal.title for deal in discussed)))
            line.append("\nenter: work on another · F2: back to this list", style="dim")
        else:
            line.append("none yet. enter picks a deal (stalled ones first)")
        self.query_one("#deal-discussed", Static).update(line)

    @on(OptionList.OptionSelected, "#deal-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        deal_id = event.option.id
        if deal_id not in self._discussed():
            deal = self.deals[deal_id]
            self.state.deals.append(
                DealDiscussed(
                    deal_id=deal_id, name=deal.name, account=deal.account, currency=deal.currency
                )
            )
            session_id = self.state.session.id
            self.autosave.put(
                f"deal:{deal_id}",
                lambda store: deal_work.discuss_deal(store, session_id, deal_id),
                at_once=True,
            )
            event.option_list.replace_option_prompt(deal_id, self._prompt(deal_id))
            self._show_discussed()
        self.state.deal_id = deal_id
        self._show_work(deal_id)
        self.query_one("#deal-learned", TextArea).focus()

    def _currency(self) -> str | None:
        deal = self.deals.get(self.deal_id) or self._discussed().get(self.deal_id)
        return deal.currency if deal else None

    def _show_work(self, deal_id: str) -> None:
        """The deal's work in the fields; the Changed events that follow find
        it unchanged, and save nothing."""
        self.deal_id, work = deal_id, self.works[deal_id]
        value = work["value"]
        self.query_one("#deal-work").display = True
        title = literal(self._title(deal_id), style="bold")
        deal = self.deals.get(deal_id)
        if deal is not None:
            title.append_text(literal(f" · {deal.stage or '-'}"))
            title.append(f" · {formatting.money(deal.amount, deal.currency)}")
        self.query_one("#deal-title", Static).update(title)
        notes = self._discussed()[deal_id].notes if deal_id in self._discussed() else ""
        self.query_one("#deal-learned", TextArea).load_text(notes)
        for key in ("people", "hours", "rate"):
            number = value.get(key)
            self.query_one(f"#{key}", Input).value = "" if number is None else f"{number:.15g}"
        for key, _question in VALUE_QUESTIONS:
            self.query_one(f"#answer-{key}", Input).value = value["answers"].get(key, "")
        for role, _label in INFLUENCE_ROLES:
            who, met, stance = work["influences"].get(role, NO_INFLUENCE)
            self.query_one(f"#who-{role}", Input).value = who
            checkbox = self.query_one(f"#met-{role}", Checkbox)
            checkbox.value, checkbox.label = met, met_label(met)
            self.query_one(f"#stance-{role}", Select).value = stance
        self._show_cost()

    def _typed(self) -> dict:
        """The work as the fields hold it, in read_work()'s form."""
        numbers = {
            key: _number(self.query_one(f"#{key}", Input).value)
            for key in ("people", "hours", "rate")
        }
        answers = {k: self.query_one(f"#answer-{k}", Input).value for k, _ in VALUE_QUESTIONS}
        return {
            "value": {**numbers, "answers": answers},
            "influences": {
                role: (
                    self.query_one(f"#who-{role}", Input).value,
                    self.query_one(f"#met-{role}", Checkbox).value,
                    str(self.query_one(f"#stance-{role}", Select).value),
                )
                for role, _label in INFLUENCE_ROLES
            },
        }

    def _show_cost(self) -> None:
        value = self._typed()["value"]
        cost = deal_work.cost_of_inaction(value["people"], value["hours"], value["rate"])
        currency = self._currency()
        self.query_one("#deal-cost", Static).update(
            Text(
                f"= {formatting.money(cost[0], currency)} a month, "
                f"{formatting.money(cost[1], currency)} a year",
                style="bold",
            )
            if cost
            else Text(
                "Fill in people, hours a week and the hourly rate, or what the difference "
                "is worth per month.",
                style="dim",
            )
        )

    @on(Checkbox.Changed)
    def _met_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = met_label(event.value)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        """Save what changed: the calculator and answers, or an influence."""
        if self.deal_id is None:
            return
        deal_id, typed = self.deal_id, self._typed()
        before = self._normal(self.works[deal_id])
        self._show_cost()
        if typed["value"] != before["value"]:
            self.autosave.put(
                f"value:{deal_id}",
                lambda store, v=typed["value"]: deal_work.save_deal_value(
                    store, deal_id, v["people"], v["hours"], v["rate"], v["answers"]
                ),
            )
        for role, now in typed["influences"].items():
            if now != before["influences"][role]:
                self.autosave.put(
                    f"influence:{deal_id}:{role}",
                    lambda store, r=role, i=now: deal_work.save_influence(store, deal_id, r, *i),
                )
        self.works[deal_id] = typed  # picked again, the deal shows what was typed

    @staticmethod
    def _normal(work: dict) -> dict:
        """read_work() with every answer and role, as _typed() gives them."""
        value = work["value"]
        answers = value.get("answers", {})
        return {
            "value": {
                **{key: value.get(key) for key in ("people", "hours", "rate")},
                "answers": {k: answers.get(k, "") for k, _ in VALUE_QUESTIONS},
            },
            "influences": {
                role: tuple(work["influences"].get(role, NO_INFLUENCE))
                for role, _label in INFLUENCE_ROLES
            },
        }

    @on(TextArea.Changed, "#deal-learned")
    def _learned_typed(self, event: TextArea.Changed) -> None:
        discussed = self._discussed()
        if self.deal_id not in discussed:
            return
        deal, text = discussed[self.deal_id], event.text_area.text
        if text == deal.notes:
            return
        index = self.state.deals.index(deal)
        self.state.deals[index] = replace(deal, notes=text)
        deal_id, session_id = deal.deal_id, self.state.session.id
        self.autosave.put(
            f"deal-notes:{deal_id}",
            lambda store: deal_work.save_deal_notes(store, session_id, deal_id, text),
        )

    def action_deal_list(self) -> None:
        self.query_one("#deal-list", OptionList).focus()

    def action_close(self) -> None:
        self.autosave.flush()
        self.dismiss(None)
