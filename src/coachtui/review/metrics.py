"""Deal-review metrics, exactly as docs/METRICS.md defines them (polars, no UI).

`compute(data, as_of, days, settings)` returns a `Report`: one row per rep
with every metric, the per-currency columns where money cannot be summed,
each team's benchmark, stage conversion per rep, and the signals the
diagnosis reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from coachtui.review.benchmark import LOWER_IS_BETTER
from coachtui.settings import Settings
from coachtui.store.kept_frames import DEAL_SCHEMA as DEAL_SCHEMA  # what the deals hold

METRICS = (
    "open_deals",
    "open_pipeline",
    "new_deals",
    "new_pipeline",
    "won_deals",
    "lost_deals",
    "won_amount",
    "win_rate",
    "avg_deal_size",
    "avg_cycle_days",
    "sales_velocity",
    "stalled_deals",
)
UP, DOWN = "up", "down"
# which way each metric is better: a rep's own change, or beyond the team's
# (lost deals too, which the team benchmark does not flag: they grow with volume)
BETTER_WHEN = {
    metric: DOWN if metric in (*LOWER_IS_BETTER, "lost_deals") else UP for metric in METRICS
}
COLUMNS = ("rep", "manager", *METRICS)
# what the diagnosis reads beyond the metrics, a row a rep (Report.signals)
SIGNALS = ("rep", "manager", "activities", "new_per_activity", "median_contacts")
SIGNALS += ("late_loss_share", "first_step")
PER_CURRENCY = ("open_pipeline", "new_pipeline", "won_amount", "avg_deal_size")
WON = "won"


@dataclass(frozen=True)
class DealData:
    """What the metrics read: deals, reps, stage history, activities, pipeline."""

    deals: pl.DataFrame
    reps: pl.DataFrame  # rep, manager
    history: pl.DataFrame  # deal_id, stage, entered_at
    activities: pl.DataFrame  # rep, date
    pipeline: list[tuple[str, str]] = field(default_factory=list)  # (stage, status) in order
    # the import they hold (Store.last_import), read in one snapshot with them:
    # the numbers computed from them are kept under it (review.kept_numbers)
    imported: str | None = None

    @cached_property
    def every_rep(self) -> pl.DataFrame:
        """Every rep who owns a deal or is in the reps file, with their manager:
        read off a million deals once, by polars' lazy engine (a million
        deals' reps made unique in 11-17 ms, eagerly 32-56 ms)."""
        names = pl.concat([self.reps.lazy().select("rep"), self.deals.lazy().select("rep")])
        managers = self.reps.lazy().select("rep", "manager")
        return names.unique().join(managers, on="rep", how="left").sort("rep").collect()


@dataclass(frozen=True)
class _Computed:
    """What the report's later parts are computed from, when first asked for."""

    data: DealData
    deals: pl.DataFrame  # flagged, with manager and stall threshold
    metrics: pl.DataFrame
    reps: pl.DataFrame  # rep, manager


@dataclass(frozen=True)
class Report:
    """The team's numbers. The table (`reps`) is computed at once; the stage
    conversion, the signals and the benchmarks when first read, so that
    `coachtui metrics --format csv` does not wait for what it does not show."""

    as_of: dt.date
    days: int
    reps: pl.DataFrame  # COLUMNS, then <metric>_<CUR> columns
    stall_thresholds: dict[str | None, float]
    currency: str | None  # the one currency of all deals, if there is exactly one
    has_activities: bool
    has_contacts: bool
    has_history: bool
    computed: _Computed | None = field(repr=False, compare=False)  # None: from_parts

    @cached_property
    def _steps_and_late(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        c = self.computed
        return _conversion(c.deals, c.data, c.reps)

    @cached_property
    def steps(self) -> pl.DataFrame:
        """Every rep's stage conversion, a row a step, in each rep's order:
        rep, step, from, to, reached_from, reached_to, rate."""
        return self._steps_and_late[0]

    @cached_property
    def conversion(self) -> dict[str, list[dict]]:
        """rep -> steps, for every rep (`conversion_of`: one rep's)"""
        conversion: dict[str, list[dict]] = {rep: [] for rep in self.reps.get_column("rep")}
        steps = self.steps.drop("step")
        names = steps.columns[1:]
        for rep, *values in steps.iter_rows():
            conversion[rep].append(dict(zip(names, values, strict=True)))
        return conversion

    def conversion_of(self, rep: str) -> list[dict]:
        """One rep's steps (none for a rep the report does not have): read
        off every rep's once they are made (`every_rep_at_once`), else off
        the frame alone."""
        if "conversion" in self.__dict__:
            return self.conversion.get(rep, [])
        return self.steps.filter(pl.col("rep") == rep).drop("rep", "step").to_dicts()

    def every_rep_at_once(self) -> None:
        """Make every rep's row, signals and steps at once, for a reader of
        them all (`diagnose`): each rep's is then looked up, where one rep's
        alone is read off the frames (5,000 reps' rows as dicts: 15-40 ms)."""
        self._rows, self._signals, self.conversion  # noqa: B018

    @cached_property
    def team_steps(self) -> pl.DataFrame:
        """Each team's benchmark rate per step: manager, step, rate (the
        median of its reps')."""
        return (
            self.steps.join(self.reps.select("rep", "manager"), on="rep")
            .group_by("manager", "step")
            .agg(pl.col("rate").median())
            .sort("manager", "step", nulls_last=True)
        )

    @cached_property
    def team_conversion(self) -> dict[str | None, list[float | None]]:
        """manager -> benchmark rate per step"""
        team: dict[str | None, list[float | None]] = {}
        for manager, _step, rate in self.team_steps.iter_rows():
            team.setdefault(manager, []).append(rate)
        return team

    @cached_property
    def signals(self) -> pl.DataFrame:
        """rep, manager, activities, new_per_activity, first_step, ..."""
        c = self.computed
        late = self._steps_and_late[1]
        return _signals(c.deals, c.data, c.metrics, self.steps, late, self.as_of, self.days)

    @cached_property
    def benchmarks(self) -> pl.DataFrame:
        """manager, then one column per metric and signal"""
        signals = self.signals
        benchmarks = (
            self.reps.join(signals.drop("manager"), on="rep")
            .group_by("manager")
            .agg(pl.exclude("rep").median())
            .sort("manager", nulls_last=True)
        )
        return benchmarks.select("manager", *METRICS, *signals.columns[2:])

    @property
    def currency_columns(self) -> list[str]:
        return [c for c in self.reps.columns if c not in COLUMNS]

    @cached_property
    def _rows(self) -> dict[str, dict]:
        return {row["rep"]: row for row in self.reps.to_dicts()}

    @cached_property
    def _signals(self) -> dict[str, dict]:
        return {row["rep"]: row for row in self.signals.to_dicts()}

    @cached_property
    def _teams(self) -> dict[str | None, dict]:
        return {row["manager"]: row for row in self.benchmarks.to_dicts()}

    def rep_row(self, rep: str) -> dict:
        return _row_of(rep, self.reps, self.__dict__.get("_rows"))

    def rep_signals(self, rep: str) -> dict:
        return _row_of(rep, self.signals, self.__dict__.get("_signals"))

    def team_benchmark(self, manager: str | None) -> dict:
        return self._teams.get(manager, {})

    def parts(self) -> dict[str, pl.DataFrame]:
        """The report as frames, each part computed: `from_parts` reads them back."""
        return {
            "reps": self.reps,
            "facts": pl.DataFrame(
                [(self.currency, self.has_activities, self.has_contacts, self.has_history)],
                schema=_FACTS,
                orient="row",
            ),
            "thresholds": pl.DataFrame(
                list(self.stall_thresholds.items()), schema=_THRESHOLDS, orient="row"
            ),
            "signals": self.signals,
            "conversion": self.steps,
            "team_conversion": self.team_steps,
        }

    @classmethod
    def from_parts(cls, as_of: dt.date, days: int, parts: dict[str, pl.DataFrame]) -> Report:
        """The report `parts` made, as of `as_of` over `days`; ValueError
        when they are not the parts this version makes."""
        for name, schema in _PART_SCHEMAS.items():
            if parts[name].schema != schema:
                raise ValueError(f"the report's {name} are not as kept here")
        columns = {"reps": COLUMNS, "signals": SIGNALS}
        for name, first in columns.items():
            if tuple(parts[name].columns[: len(first)]) != first:
                raise ValueError(f"the report's {name} are not as kept here")
        reps = parts["reps"].get_column("rep")
        for name in ("signals", "conversion"):
            if not parts[name].get_column("rep").is_in(reps.implode()).all():
                raise ValueError(f"the report's {name} name reps its table has not")
        currency, *has = parts["facts"].row(0)
        report = cls(
            as_of,
            days,
            parts["reps"],
            dict(parts["thresholds"].iter_rows()),
            currency,
            *has,
            computed=None,
        )
        # the parts computed already: the cached properties' own values
        report.__dict__.update(
            signals=parts["signals"],
            steps=parts["conversion"],
            team_steps=parts["team_conversion"],
        )
        return report


REPORT_PARTS = ("reps", "facts", "thresholds", "signals", "conversion", "team_conversion")
_FACTS = {
    "currency": pl.String,
    "has_activities": pl.Boolean,
    "has_contacts": pl.Boolean,
    "has_history": pl.Boolean,
}
_THRESHOLDS = {"manager": pl.String, "threshold": pl.Float64}
_STEPS = {
    "rep": pl.String,
    "step": pl.Int64,
    "from": pl.String,
    "to": pl.String,
    "reached_from": pl.Int64,
    "reached_to": pl.Int64,
    "rate": pl.Float64,
}
_TEAM_STEPS = {"manager": pl.String, "step": pl.Int64, "rate": pl.Float64}
_PART_SCHEMAS = {
    "facts": _FACTS,
    "thresholds": _THRESHOLDS,
    "conversion": _STEPS,
    "team_conversion": _TEAM_STEPS,
}


def _row_of(rep: str, frame: pl.DataFrame, every: dict[str, dict] | None) -> dict:
    """`rep`'s row of `frame` (none when it has none): from every rep's rows
    once they are made, else read off the frame alone."""
    if every is not None:
        return every.get(rep, {})
    found = frame.filter(pl.col("rep") == rep)
    return found.row(0, named=True) if found.height else {}


def in_window(column: str | pl.Expr, as_of: dt.date, days: int) -> pl.Expr:
    """`A - D < d <= A`, in calendar days."""
    expr = pl.col(column) if isinstance(column, str) else column
    return (expr > pl.lit(as_of - dt.timedelta(days=days))) & (expr <= pl.lit(as_of))


def _days(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days().cast(pl.Float64)


def _convert(deals: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Amounts in the user's currency where a rate is configured."""
    rates = settings.currency.rates
    if not rates:
        return deals
    known = pl.col("currency").is_in(list(rates))
    rate = pl.col("currency").replace_strict(rates, default=None, return_dtype=pl.Float64)
    return deals.with_columns(
        pl.when(known).then(pl.col("amount") * rate).otherwise(pl.col("amount")).alias("amount"),
        pl.when(known)
        .then(pl.lit(settings.currency.base))
        .otherwise(pl.col("currency"))
        .alias("currency"),
    )


def teams_of(every_rep: pl.DataFrame, reps: list[str]) -> pl.DataFrame | None:
    """The reps of the teams `reps` are in, each team whole, of `every_rep`;
    None, for every team's numbers, when that would leave no rep out (one
    team) or keep none (reps the data does not name)."""
    managers = every_rep.filter(pl.col("rep").is_in(reps)).get_column("manager")
    same = pl.col("manager").is_in(managers.drop_nulls().implode())
    if managers.null_count():  # the reps without a manager are a team too
        same |= pl.col("manager").is_null()
    theirs = every_rep.filter(same)
    return theirs if 0 < theirs.height < every_rep.height else None


def open_as_of(as_of: dt.date) -> pl.Expr:
    """Created by `as_of` (or undated), and not yet won or lost on that day."""
    created, close, status = pl.col("created_date"), pl.col("close_date"), pl.col("status")
    created_by = created.is_null() | (created <= pl.lit(as_of))
    still_open = (status == "open") | (close > pl.lit(as_of)).fill_null(False)
    return created_by & still_open


def days_in_stage(as_of: dt.date) -> pl.Expr:
    """Since the stage was entered, when that is known on `as_of`, else since created.

    A deal closed after `as_of` entered its closing stage after it: its stage on
    that day is not known, and its created date stands in.
    """
    entered = pl.col("stage_entered_date")
    known = (pl.col("status") == "open") & (entered <= pl.lit(as_of))
    start = pl.when(known.fill_null(False)).then(entered).otherwise(pl.col("created_date"))
    return _days(pl.lit(as_of), start)


def _flags(deals: pl.DataFrame, as_of: dt.date, days: int) -> pl.DataFrame:
    created, close = pl.col("created_date"), pl.col("close_date")
    return deals.with_columns(
        is_open=open_as_of(as_of),
        is_new=in_window("created_date", as_of, days).fill_null(False),
        is_won=((pl.col("status") == "won") & in_window("close_date", as_of, days)).fill_null(
            False
        ),
        is_lost=((pl.col("status") == "lost") & in_window("close_date", as_of, days)).fill_null(
            False
        ),
        cycle_days=_days(close, created),
        days_in_stage=days_in_stage(as_of),
    )


def _stall_thresholds(
    deals: pl.DataFrame, teams: pl.DataFrame, settings: Settings, overall: float | None
) -> pl.DataFrame:
    """manager -> stall threshold: max(14, 1.5 * median won cycle), the team's,
    else every team's (`overall` when `deals` are not every team's)."""
    rule = settings.stall
    won = deals.filter(pl.col("is_won") & pl.col("cycle_days").is_not_null())
    if overall is None:
        overall = won.get_column("cycle_days").median()
    per_team = won.group_by("manager").agg(pl.col("cycle_days").median().alias("median_cycle"))
    thresholds = teams.join(per_team, on="manager", how="left", nulls_equal=True).with_columns(
        pl.col("median_cycle").fill_null(pl.lit(overall, pl.Float64))
    )
    return thresholds.with_columns(
        pl.when(pl.col("median_cycle").is_null())
        .then(pl.lit(float(rule.fallback_days)))
        .otherwise(
            pl.max_horizontal(
                pl.lit(float(rule.min_days)), pl.col("median_cycle") * rule.cycle_multiplier
            )
        )
        .alias("stall_threshold")
    ).select("manager", "stall_threshold")


def looked_up(
    deals: pl.DataFrame, key: str, table: pl.DataFrame, column: str, nulls_equal: bool = False
) -> pl.Series:
    """`table`'s `column` for each deal, by its `key`: the key column alone
    joined, not every column of a million deals (the join copies them all)."""
    found = deals.select(key).join(
        table, on=key, how="left", nulls_equal=nulls_equal, maintain_order="left"
    )
    return found.get_column(column)


def _money_sets() -> dict[str, pl.Expr]:
    """metric -> which deals it sums or averages."""
    return {
        "open_pipeline": pl.col("is_open"),
        "new_pipeline": pl.col("is_new"),
        "won_amount": pl.col("is_won"),
        "avg_deal_size": pl.col("is_won") & pl.col("amount").is_not_null(),
    }


def _per_rep(deals: pl.DataFrame, currency_count: int) -> pl.DataFrame:
    """Each rep's counts and sums. Each sum over the deals of its set alone,
    not over every deal with the others as null: polars adds those in
    another order, and sums of cents then differ in their last digits.
    How many currencies each money metric mixes, read only as "more than
    one": counted when the deals have several (`currency_count`), else none
    mixes (0, as `windows` has it); the count took a fifth of the time here."""
    amount = pl.col("amount")
    sets = _money_sets()
    won_cycle = pl.col("cycle_days").filter(pl.col("is_won") & pl.col("cycle_days").is_not_null())
    aggregates = [
        pl.lit(True).alias("owns_deals"),
        pl.col("is_open").sum().alias("open_deals"),
        amount.filter(sets["open_pipeline"]).fill_null(0).sum().alias("open_pipeline"),
        pl.col("is_new").sum().alias("new_deals"),
        amount.filter(sets["new_pipeline"]).fill_null(0).sum().alias("new_pipeline"),
        pl.col("is_won").sum().alias("won_deals"),
        pl.col("is_lost").sum().alias("lost_deals"),
        amount.filter(sets["won_amount"]).fill_null(0).sum().alias("won_amount"),
        amount.filter(sets["avg_deal_size"]).mean().alias("avg_deal_size"),
        won_cycle.mean().alias("avg_cycle_days"),
        (pl.col("is_open") & (pl.col("days_in_stage") > pl.col("stall_threshold")))
        .sum()
        .alias("stalled_deals"),
        *(
            (
                pl.col("currency").filter(selected & pl.col("currency").is_not_null()).n_unique()
                if currency_count > 1
                else pl.lit(0, pl.UInt32)
            ).alias(f"{metric}__currencies")
            for metric, selected in sets.items()
        ),
    ]
    return deals.group_by("rep").agg(aggregates)


def _per_currency(deals: pl.DataFrame, mixed: pl.DataFrame) -> pl.DataFrame:
    """`<metric>_<CUR>` for the reps whose metric mixes currencies."""
    sets = _money_sets()
    frames = []
    for metric in PER_CURRENCY:
        reps = mixed.filter(pl.col(f"{metric}__currencies") > 1).select("rep")
        if reps.height == 0:
            continue
        chosen = deals.join(reps, on="rep").filter(sets[metric] & pl.col("currency").is_not_null())
        amount = pl.col("amount")
        value = amount.mean() if metric == "avg_deal_size" else amount.fill_null(0).sum()
        frames.append(
            chosen.group_by("rep", "currency")
            .agg(value.alias("value"))
            .with_columns(column=pl.lit(f"{metric}_") + pl.col("currency"))
            .select("rep", "column", "value")
        )
    if not frames:
        return pl.DataFrame(schema={"rep": pl.String})
    return (
        pl.concat(frames)
        .pivot(on="column", index="rep", values="value")
        .select("rep", *sorted(c for c in pl.concat(frames).get_column("column").unique()))
    )


def _finish(per_rep: pl.DataFrame) -> pl.DataFrame:
    """Null where money mixes currencies; win rate and velocity."""
    win_rate = pl.col("won_deals") / (pl.col("won_deals") + pl.col("lost_deals"))
    frame = per_rep.with_columns(
        *(
            pl.when(pl.col(f"{m}__currencies") > 1).then(None).otherwise(pl.col(m)).alias(m)
            for m in _money_sets()
        ),
        pl.when((pl.col("won_deals") + pl.col("lost_deals")) > 0).then(win_rate).alias("win_rate"),
    )
    velocity = (
        pl.col("open_deals")
        * pl.col("win_rate")
        * pl.col("avg_deal_size")
        / pl.col("avg_cycle_days")
    )
    return frame.with_columns(
        pl.when(pl.col("avg_cycle_days") != 0).then(velocity).alias("sales_velocity")
    )


def _reached_levels(
    deals: pl.DataFrame, history: pl.DataFrame, pipeline: list[tuple[str, str]]
) -> tuple[pl.DataFrame, list[str]]:
    """Per deal, its rep and the index of the furthest stage of the order it reached.

    The order is the open stages, then `won`. With stage history a deal reached
    the furthest stage its history (and, unless lost, its current stage)
    shows; without, every stage up to its current one, all for a won deal, the
    first for a lost one.
    """
    open_stages = [stage for stage, status in pipeline if status == "open"]
    won_stages = [stage for stage, status in pipeline if status == "won"]
    order = [*open_stages, WON]
    level_of = {stage: n for n, stage in enumerate(open_stages)}
    level_of |= {stage: len(open_stages) for stage in won_stages}
    level = pl.col("stage").replace_strict(level_of, default=None, return_dtype=pl.Int64)
    current = deals.select(
        "deal_id",
        "rep",
        pl.when(pl.col("status") == "won")
        .then(pl.lit(len(open_stages), pl.Int64))
        .when(pl.col("status") == "open")
        .then(level)
        .alias("current_level"),
        (pl.col("status") == "lost").alias("lost"),
    )
    shown = (
        history.join(deals.select("deal_id"), on="deal_id", how="semi")
        .with_columns(level.alias("history_level"))
        .group_by("deal_id")
        .agg(pl.col("history_level").max())
    )
    levels = current.join(shown, on="deal_id", how="left").with_columns(
        pl.when(pl.col("deal_id").is_in(shown.get_column("deal_id").implode()))
        .then(pl.max_horizontal("history_level", "current_level").fill_null(0))
        .when(pl.col("lost"))
        .then(pl.lit(0, pl.Int64))
        .otherwise(pl.col("current_level"))
        .alias("level")
    )
    return levels.select("rep", "level"), order


def _steps(reached: pl.DataFrame, order: list[str]) -> pl.DataFrame:
    """A row a step of `order`, in each rep's order, from how many of each
    rep's deals reached each stage (rep, then "0", "1", ...: `order`'s)."""
    if len(order) < 2:
        return pl.DataFrame(schema=_STEPS)
    steps = pl.concat(
        reached.select(
            "rep",
            step=pl.lit(n, pl.Int64),
            **{"from": pl.lit(order[n]), "to": pl.lit(order[n + 1])},
            reached_from=pl.col(str(n)).cast(pl.Int64),
            reached_to=pl.col(str(n + 1)).cast(pl.Int64),
        )
        for n in range(len(order) - 1)
    ).sort("rep", "step")
    rate = pl.col("reached_to") / pl.col("reached_from")
    return steps.with_columns(rate=pl.when(pl.col("reached_from") > 0).then(rate))


def _conversion(
    flagged: pl.DataFrame, data: DealData, reps: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stage conversion per rep over the cohort created in the window (a row
    a step, `_steps`), and for the diagnosis the share of each rep's lost
    deals that reached the last open stage."""
    read = ("deal_id", "rep", "stage", "status")
    cohort = flagged.select(*read, "is_new").filter("is_new")
    levels, order = _reached_levels(cohort, data.history, data.pipeline)
    counts = levels.group_by("rep").agg(
        *((pl.col("level") >= i).sum().alias(str(i)) for i in range(len(order)))
    )
    reached = reps.select("rep").join(counts, on="rep", how="left").fill_null(0)
    lost = flagged.select(*read, "is_lost").filter("is_lost")
    lost_levels, _ = _reached_levels(lost, data.history, data.pipeline)
    last_open = len(order) - 2
    late = lost_levels.group_by("rep").agg(
        ((pl.col("level") >= last_open).mean() if last_open >= 0 else pl.lit(None)).alias(
            "late_loss_share"
        )
    )
    return _steps(reached, order), late


@dataclass(frozen=True)
class Everyone:
    """What every team's deals say, for the numbers of some teams only: the
    won cycles (a team without a won deal in the window takes everyone's
    median) and the one currency of all deals."""

    won: pl.DataFrame  # close_date, cycle_days: every won deal with both dates
    currency: str | None

    def median_cycle(self, as_of: dt.date, days: int) -> float | None:
        in_it = self.won.filter(in_window("close_date", as_of, days))
        return in_it.get_column("cycle_days").median()


@dataclass(frozen=True)
class Prepared:
    """What the numbers need before the window: the reps with their manager,
    and their deals in the user's currency with each one's manager. The same
    for every window: prepared once where many windows are computed (impact).
    `everyone` when the reps are some teams, not all (`prepare`'s `reps`)."""

    reps: pl.DataFrame
    deals: pl.DataFrame
    everyone: Everyone | None = None


def prepare(
    data: DealData, settings: Settings | None = None, reps: pl.DataFrame | None = None
) -> Prepared:
    """Every team's numbers; or, given `reps` (whole teams, as `teams_of`
    gives them), only theirs, read off their own deals: a rep's brief does
    not aggregate a million deals of other teams."""
    deals = _convert(data.deals, settings or Settings())
    if reps is None:
        return Prepared(data.every_rep, _with_manager(deals, data.every_rep))
    won = deals.filter(pl.col("status") == "won").select(
        "close_date", cycle_days=_days(pl.col("close_date"), pl.col("created_date"))
    )
    everyone = Everyone(won.drop_nulls(), _only_currency(_currencies_in(deals)))
    theirs = deals.filter(pl.col("rep").is_in(reps.get_column("rep").implode()))
    return Prepared(reps, _with_manager(theirs, reps), everyone)


def _with_manager(deals: pl.DataFrame, reps: pl.DataFrame) -> pl.DataFrame:
    """Each deal with its rep's manager: one team's without a join of a
    million deals (a manager's own export, or no reps file)."""
    managers = reps.get_column("manager").unique()
    if managers.len() == 1:
        return deals.with_columns(manager=pl.lit(managers.item(), dtype=pl.String))
    return deals.join(reps, on="rep", how="left")


def compute(
    data: DealData,
    as_of: dt.date,
    days: int,
    settings: Settings | None = None,
    prepared: Prepared | None = None,
) -> Report:
    """The team's numbers as of `as_of` over `days`; `prepared` from `prepare(data, settings)`."""
    settings = settings or Settings()
    prepared = prepared or prepare(data, settings)
    reps = prepared.reps
    deals = _flags(prepared.deals, as_of, days)
    teams = reps.select("manager").unique()
    everyone = prepared.everyone
    overall = everyone.median_cycle(as_of, days) if everyone else None
    thresholds = _stall_thresholds(deals, teams, settings, overall)
    deals = deals.with_columns(
        looked_up(deals, "manager", thresholds, "stall_threshold", nulls_equal=True)
    )
    currencies = _currencies_in(deals)
    per_rep = _per_rep(deals, len(currencies))
    # a rep without deals has zero counts and sums, and null rates and means
    without_deals = pl.col("owns_deals").is_null()
    metrics = reps.join(_finish(per_rep), on="rep", how="left").with_columns(
        pl.col("open_deals", "new_deals", "won_deals", "lost_deals", "stalled_deals")
        .fill_null(0)
        .cast(pl.Int64),
        *(
            pl.when(without_deals).then(0.0).otherwise(pl.col(m)).alias(m)
            for m in ("open_pipeline", "new_pipeline", "won_amount")
        ),
    )
    currency_columns = _per_currency(deals, per_rep)
    table = metrics.select(*COLUMNS).join(currency_columns, on="rep", how="left").sort("rep")
    return Report(
        as_of=as_of,
        days=days,
        reps=table,
        stall_thresholds=dict(thresholds.iter_rows()),
        currency=everyone.currency if everyone else _only_currency(currencies),
        has_activities=data.activities.height > 0,
        has_contacts=data.deals.get_column("contacts").is_not_null().any(),
        has_history=data.history.height > 0,
        computed=_Computed(data, deals, metrics, reps),
    )


def _currencies_in(deals: pl.DataFrame) -> list[str]:
    """The deals' currencies, each once, in no order."""
    return deals.get_column("currency").drop_nulls().unique().to_list()


def _only_currency(currencies: list[str]) -> str | None:
    return currencies[0] if len(currencies) == 1 else None


def _signals(
    deals: pl.DataFrame,
    data: DealData,
    metrics: pl.DataFrame,
    steps: pl.DataFrame,
    late: pl.DataFrame,
    as_of: dt.date,
    days: int,
) -> pl.DataFrame:
    """What the diagnosis reads beyond the metrics, one row per rep."""
    activities = (
        data.activities.filter(in_window("date", as_of, days))
        .group_by("rep")
        .agg(pl.len().alias("activities"))
    )
    contacts = (
        deals.lazy()  # reads three columns of the flagged deals, not all
        .filter(pl.col("is_open") & pl.col("contacts").is_not_null())
        .group_by("rep")
        .agg(pl.col("contacts").median().cast(pl.Float64).alias("median_contacts"))
        .collect()
    )
    first_step = steps.filter(pl.col("step") == 0).select("rep", first_step="rate")
    frame = (
        metrics.select("rep", "manager", "new_deals")
        .join(activities, on="rep", how="left")
        .with_columns(pl.col("activities").fill_null(0).cast(pl.Int64))
        .with_columns(
            pl.when(pl.col("activities") > 0)
            .then(pl.col("new_deals") / pl.col("activities"))
            .alias("new_per_activity")
        )
        .join(contacts, on="rep", how="left")
        .join(late, on="rep", how="left")
        .join(first_step, on="rep", how="left")
    )
    return frame.select(SIGNALS).sort("rep")


TREND_WEEKS = 12


def _rep_deals(data: DealData, rep: str, settings: Settings) -> pl.DataFrame:
    return _convert(data.deals.filter(pl.col("rep") == rep), settings)


def _currencies(deals: pl.DataFrame) -> list[str]:
    """The deals' currencies: the most common first (on a tie, the first in
    alphabetical order), then the others in alphabetical order."""
    written = deals.get_column("currency").drop_nulls()
    if not written.len():
        return []
    main = written.mode().sort().first()
    return [main, *sorted(set(written) - {main})]


def rep_currencies(data: DealData, rep: str, settings: Settings | None = None) -> list[str]:
    """The currencies the rep sells in, the main one first: the one the trends sum."""
    return _currencies(_rep_deals(data, rep, settings or Settings()))


def weekly_trends(
    data: DealData,
    rep: str,
    as_of: dt.date,
    weeks: int = TREND_WEEKS,
    settings: Settings | None = None,
) -> dict[str, list[float | None]]:
    """The last `weeks` weeks, oldest first, each ending on a multiple of 7 days
    before `as_of`: new pipeline, won amount, win rate and activities.

    Money is summed in the rep's most common currency only (the app says so
    when a rep has more than one).
    """
    deals = _rep_deals(data, rep, settings or Settings())
    currencies = _currencies(deals)
    main = currencies[0] if currencies else None
    same_money = (
        pl.lit(True)
        if main is None
        else (pl.col("currency").is_null() | (pl.col("currency") == main))
    )

    def week(date: str) -> pl.Expr:
        return ((pl.lit(as_of) - pl.col(date)).dt.total_days() // 7).cast(pl.Int64)

    def series(frame: pl.DataFrame, value: pl.Expr) -> list[float | None]:
        by_week = dict(frame.group_by("week").agg(value.alias("v")).iter_rows())
        return [by_week.get(n) for n in range(weeks - 1, -1, -1)]

    created = deals.filter(same_money).with_columns(week=week("created_date"))
    closed = deals.with_columns(week=week("close_date")).filter(pl.col("status") != "open")
    won = closed.filter((pl.col("status") == "won") & same_money)
    acts = data.activities.filter(pl.col("rep") == rep).with_columns(week=week("date"))
    new_pipeline = series(created, pl.col("amount").fill_null(0).sum())
    won_amount = series(won, pl.col("amount").fill_null(0).sum())
    return {
        "new_pipeline": [v or 0.0 for v in new_pipeline],
        "won_amount": [v or 0.0 for v in won_amount],
        "win_rate": series(closed, (pl.col("status") == "won").mean()),
        "activities": [v or 0 for v in series(acts, pl.len())],
    }


def stalled_deals(
    data: DealData, report: Report, rep: str, settings: Settings | None = None
) -> pl.DataFrame:
    """The rep's stalled open deals, longest in stage first (the store adds names)."""
    manager = report.rep_row(rep).get("manager")
    fallback = (settings or Settings()).stall.fallback_days
    threshold = report.stall_thresholds.get(manager, fallback)
    as_of = report.as_of
    open_deals = _flags(data.deals.filter(pl.col("rep") == rep), as_of, report.days).filter(
        pl.col("is_open") & (pl.col("days_in_stage") > threshold)
    )
    return open_deals.select("deal_id", "stage", "days_in_stage", "amount", "currency").sort(
        "days_in_stage", descending=True
    )
