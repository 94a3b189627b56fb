"""How outlets differ: article counts, entity/topic profiles, tests and keyness.

Every function starts from the processed tables (DESIGN.md): `documents`
(doc_id, source, published, text ...) and `mentions` / `topic_hits`.
Outlets without a `source` are grouped under `UNKNOWN_SOURCE`.

Keyness follows quanteda's ``textstat_keyness(measure = "lr")`` as implemented
in its C++ code (quanteda.textstats ``keyness.cpp``): for a feature with ``a``
occurrences in the target and ``b`` in the reference, ``c = N_target - a`` and
``d = N_reference - b``,

    G2 = sign * 2 * sum(O * ln(O / E + 1e-9))       over the four cells,

with E the expected counts from the margins and ``sign = +1`` when ``a`` exceeds
its expected count (over-represented in the target), else -1. With
``correction="default"`` (quanteda's default, equal to "yates") a Yates
continuity correction of 0.5 is applied to the cells (towards independence)
only when some expected count is < 5 and ``|ad - bc| >= N/2``; "williams"
divides G2 by Williams' q (no correction when a cell is 0); "none" applies
none. p is the chi-square(1 dof) upper tail of |G2|. The effect size is
Hardie's Log Ratio ``log2((a / N_target) / (b / N_reference))`` with a zero
count replaced by 0.5.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats

from analysis.arabic import STOPWORDS, word_spans

UNKNOWN_SOURCE = "(unknown)"
_EPSILON = 1e-9  # quanteda's offset inside the logarithm
_MONTE_CARLO_DRAWS = 2000
_MONTE_CARLO_SEED = 20240601


def outlet_names(documents: pd.DataFrame) -> pd.Series:
    """The outlet of each document, with missing/blank sources as `UNKNOWN_SOURCE`."""
    source = documents["source"].astype("object")
    blank = source.isna() | (source.astype(str).str.strip() == "")
    return source.where(~blank, UNKNOWN_SOURCE).astype(str)


def articles_per_source(documents: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Number of articles per outlet and period (W, M, Q or Y); undated articles are left out.

    Every outlet gets a row for every period between the first and last dated
    article (zero when it published nothing), so lines and bars do not skip gaps.
    Columns: source, period (start of the period), n_articles.
    """
    frame = pd.DataFrame(
        {"source": outlet_names(documents), "published": pd.to_datetime(documents["published"])}
    ).dropna(subset=["published"])
    columns = ["source", "period", "n_articles"]
    if frame.empty:
        return pd.DataFrame(
            {"source": pd.Series(dtype=str), "period": pd.Series(dtype="datetime64[ns]"),
             "n_articles": pd.Series(dtype="int64")}
        )[columns]
    frame["period"] = frame["published"].dt.to_period(freq).dt.start_time
    counts = frame.groupby(["source", "period"]).size()
    periods = pd.period_range(frame["published"].min(), frame["published"].max(), freq=freq)
    grid = pd.MultiIndex.from_product(
        [sorted(frame["source"].unique()), periods.start_time], names=["source", "period"]
    )
    counts = counts.reindex(grid, fill_value=0).rename("n_articles").reset_index()
    counts["n_articles"] = counts["n_articles"].astype("int64")
    return counts.sort_values(["source", "period"], ignore_index=True)[columns]


def source_profile(
    documents: pd.DataFrame,
    items: pd.DataFrame,
    key: str = "entity_id",
    top_n: int = 15,
    name_column: str | None = None,
) -> pd.DataFrame:
    """Share of each outlet's articles that mention each of the `top_n` most widespread items.

    `items` is the mentions table (key="entity_id") or topic_hits (key="topic_id").
    An article counts once per item however often it mentions it. Items are
    ranked by the number of articles mentioning them (ties by id). Columns:
    source, item, item_name, n_articles (articles of the outlet), articles_with,
    share (= articles_with / n_articles).
    """
    if name_column is None:
        name_column = "entity_name" if "entity_name" in items.columns else None
    outlets = pd.DataFrame({"doc_id": documents["doc_id"], "source": outlet_names(documents)})
    n_articles = outlets.groupby("source").size().rename("n_articles")
    hits = items[items[key].notna()]
    hits = hits[hits["doc_id"].isin(outlets["doc_id"])]
    names = (
        hits.groupby(key)[name_column].first()
        if name_column is not None and name_column in hits.columns
        else None
    )
    present = hits[["doc_id", key]].drop_duplicates().merge(outlets, on="doc_id")
    ranking = present.groupby(key).size().reset_index(name="n")
    ranking = ranking.sort_values(["n", key], ascending=[False, True]).head(top_n)
    top_items = ranking[key].tolist()
    counts = present[present[key].isin(top_items)].groupby(["source", key]).size()
    grid = pd.MultiIndex.from_product([n_articles.index, top_items], names=["source", key])
    profile = counts.reindex(grid, fill_value=0).rename("articles_with").reset_index()
    profile = profile.rename(columns={key: "item"})
    profile["n_articles"] = profile["source"].map(n_articles).astype("int64")
    profile["articles_with"] = profile["articles_with"].astype("int64")
    profile["share"] = profile["articles_with"] / profile["n_articles"]
    if names is not None:
        profile["item_name"] = profile["item"].map(names).fillna(profile["item"]).astype(str)
    else:
        profile["item_name"] = profile["item"].astype(str)
    order = {item: rank for rank, item in enumerate(top_items)}
    profile["_rank"] = profile["item"].map(order)
    profile = profile.sort_values(["_rank", "source"], ignore_index=True).drop(columns="_rank")
    profile.attrs["key"] = key
    return profile[["source", "item", "item_name", "n_articles", "articles_with", "share"]]


def _chi2_statistic(observed: np.ndarray) -> np.ndarray:
    """Pearson chi-square of r x 2 tables; `observed` has shape (..., r, 2)."""
    expected = (
        observed.sum(axis=-1, keepdims=True)
        * observed.sum(axis=-2, keepdims=True)
        / observed.sum(axis=(-1, -2), keepdims=True)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0)
    return cells.sum(axis=(-1, -2))


def _monte_carlo_p(observed: np.ndarray, statistic: float) -> float:
    """P-value of the chi-square statistic by simulating tables with the same margins.

    Like R's ``chisq.test(simulate.p.value = TRUE, B = 2000)``: the articles
    mentioning the item are redistributed over the outlets at random
    (multivariate hypergeometric), p = (1 + #{simulated >= observed}) / (B + 1).
    Seeded, so the value is reproducible.
    """
    rng = np.random.default_rng(_MONTE_CARLO_SEED)
    sizes = observed.sum(axis=1).astype(np.int64)
    n_with = int(observed[:, 0].sum())
    with_counts = rng.multivariate_hypergeometric(sizes, n_with, size=_MONTE_CARLO_DRAWS)
    tables = np.stack([with_counts, sizes[None, :] - with_counts], axis=-1).astype(float)
    simulated = _chi2_statistic(tables)
    tolerance = 1 - 1e-7  # as R: guard against rounding making equal statistics unequal
    return float((1 + np.sum(simulated >= statistic * tolerance)) / (_MONTE_CARLO_DRAWS + 1))


def source_association_test(profile: pd.DataFrame) -> pd.DataFrame:
    """Per item, is mentioning it independent of the outlet? (outlets x mentions/doesn't).

    For each item of a `source_profile` the r x 2 table (articles with / without
    the item per outlet) gets Pearson's chi-square (no continuity correction),
    the likelihood-ratio G², their dof and p-values, the smallest expected count,
    and `low_expected` = some expected count < 5, in which case the asymptotic
    p-values are unreliable: `p_monte_carlo` (always computed, 2000 seeded
    simulations with fixed margins) is the one to read. Cramér's V gives the size.
    """
    rows = []
    for (item, item_name), group in profile.groupby(["item", "item_name"], sort=False):
        group = group.sort_values("source")
        with_ = group["articles_with"].to_numpy(dtype=float)
        observed = np.column_stack([with_, group["n_articles"].to_numpy(dtype=float) - with_])
        row = {"item": item, "item_name": item_name, "n_sources": len(group),
               "n_articles": int(observed.sum()), "articles_with": int(with_.sum())}
        usable = observed[observed.sum(axis=1) > 0]
        if len(usable) < 2 or (usable.sum(axis=0) == 0).any():
            row.update(chi2=np.nan, g2=np.nan, dof=0, p_value=np.nan, g2_p_value=np.nan,
                       p_monte_carlo=np.nan, min_expected=np.nan, low_expected=False,
                       cramers_v=np.nan)
            rows.append(row)
            continue
        chi2, p_value, dof, expected = stats.chi2_contingency(usable, correction=False)
        g2, g2_p, _, _ = stats.chi2_contingency(
            usable, correction=False, lambda_="log-likelihood"
        )
        n = usable.sum()
        row.update(
            chi2=float(chi2), g2=float(g2), dof=int(dof), p_value=float(p_value),
            g2_p_value=float(g2_p), p_monte_carlo=_monte_carlo_p(usable, float(chi2)),
            min_expected=float(expected.min()), low_expected=bool(expected.min() < 5),
            cramers_v=float(np.sqrt(chi2 / n)),  # min(r, c) - 1 = 1 for r x 2 tables
        )
        rows.append(row)
    columns = ["item", "item_name", "n_sources", "n_articles", "articles_with", "chi2", "dof",
               "p_value", "g2", "g2_p_value", "p_monte_carlo", "min_expected", "low_expected",
               "cramers_v"]
    result = pd.DataFrame(rows, columns=columns)
    return result.sort_values(["p_value", "item"], na_position="last", ignore_index=True)


def keyness_tokens(text: str) -> list[str]:
    """Normalised tokens used for keyness: no stop words, no 1-letter tokens, no numbers."""
    return [
        norm
        for _, _, norm in word_spans(text)
        if len(norm) > 1 and norm not in STOPWORDS and not any(ch.isdigit() for ch in norm)
    ]


def keyness_from_counts(
    target_counts: dict[str, int] | pd.Series,
    reference_counts: dict[str, int] | pd.Series,
    measure: str = "lr",
    correction: str = "default",
) -> pd.DataFrame:
    """Signed keyness of every feature from its counts in the target and reference groups.

    `measure` is "lr" (G², the default) or "chi2"; see the module docstring for
    the formula and corrections. Sorted by the statistic (descending), then feature.
    Columns: feature, n_target, n_reference, g2 (or chi2), p, log_ratio.
    """
    if measure not in ("lr", "chi2"):
        raise ValueError(f"measure must be 'lr' or 'chi2', not {measure!r}")
    if correction not in ("default", "yates", "williams", "none"):
        raise ValueError(f"unknown correction {correction!r}")
    target = pd.Series(target_counts, dtype="float64")
    reference = pd.Series(reference_counts, dtype="float64")
    features = sorted(set(target.index) | set(reference.index))
    a = target.reindex(features, fill_value=0).to_numpy()
    b = reference.reindex(features, fill_value=0).to_numpy()
    c, d = a.sum() - a, b.sum() - b
    n = a + b + c + d
    expected_a = (a + b) * (a + c) / n
    sign = np.where(a > expected_a, 1.0, -1.0)
    yates = np.zeros_like(a)
    if correction in ("default", "yates"):
        small = (
            ((a + b) * (a + c) / n < 5) | ((a + b) * (b + d) / n < 5)
            | ((a + c) * (c + d) / n < 5) | ((c + d) * (b + d) / n < 5)
        )
        yates = np.where(small & (np.abs(a * d - b * c) >= n / 2), 0.5, 0.0)
    towards = np.where(a * d - b * c > 0, 1.0, -1.0) * yates
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "lr":
            aa, bb, cc, dd = a - towards, b + towards, c + towards, d - towards
            cells = [
                (aa, (aa + bb) * (aa + cc) / n), (bb, (aa + bb) * (bb + dd) / n),
                (cc, (aa + cc) * (cc + dd) / n), (dd, (bb + dd) * (cc + dd) / n),
            ]
            value = 2 * sum(np.where(o > 0, o * np.log(o / e + _EPSILON), 0.0) for o, e in cells)
        else:
            value = n * (np.abs(a * d - b * c) - n * yates) ** 2 / (
                (a + b) * (c + d) * (a + c) * (b + d)
            )
        value = value * sign
        if correction == "williams":
            q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
            value = value / np.where(a * b * c * d == 0, 1.0, q)
    total_a, total_b = a.sum(), b.sum()
    rate_a = np.where(a > 0, a, 0.5) / total_a if total_a else np.full_like(a, np.nan)
    rate_b = np.where(b > 0, b, 0.5) / total_b if total_b else np.full_like(b, np.nan)
    stat_name = "g2" if measure == "lr" else "chi2"
    result = pd.DataFrame({
        "feature": pd.Series(features, dtype=str),
        "n_target": a.astype("int64"),
        "n_reference": b.astype("int64"),
        stat_name: value,
        "p": stats.chi2.sf(np.abs(value), 1),
        "log_ratio": np.log2(rate_a / rate_b),
    })
    return result.sort_values([stat_name, "feature"], ascending=[False, True], ignore_index=True)


def _is_target(documents: pd.DataFrame, target_source: str | Iterable[str]) -> pd.Series:
    targets = {target_source} if isinstance(target_source, str) else set(target_source)
    is_target = outlet_names(documents).isin(targets)
    if not is_target.any():
        raise ValueError(f"no document from {sorted(targets)}")
    if is_target.all():
        raise ValueError("every document is in the target: nothing to compare against")
    return is_target


def keyness(
    documents: pd.DataFrame,
    target_source: str | Iterable[str],
    measure: str = "lr",
    correction: str = "default",
    min_count: int = 1,
) -> pd.DataFrame:
    """Distinctive words of one outlet (or several) against all other outlets.

    Tokens are `keyness_tokens` of `documents.text`; features occurring fewer
    than `min_count` times overall are dropped after the totals are taken (as
    trimming the output, not the corpus). Positive `g2` = over-represented in
    the target. See `keyness_from_counts` for the columns.
    """
    is_target = _is_target(documents, target_source)
    target_counts: Counter[str] = Counter()
    reference_counts: Counter[str] = Counter()
    for text, in_target in zip(documents["text"].fillna(""), is_target, strict=True):
        (target_counts if in_target else reference_counts).update(keyness_tokens(str(text)))
    result = keyness_from_counts(target_counts, reference_counts, measure, correction)
    keep = result["n_target"] + result["n_reference"] >= min_count
    return result[keep].reset_index(drop=True)


def entity_keyness(
    documents: pd.DataFrame,
    mentions: pd.DataFrame,
    target_source: str | Iterable[str],
    measure: str = "lr",
    correction: str = "default",
) -> pd.DataFrame:
    """Entities mentioned distinctively often by the target outlet(s), by mention counts.

    Counts are mentions with an `entity_id` (every occurrence counts); the
    totals are all such mentions in each group. Adds `entity_name` when the
    mentions carry it. Columns as `keyness_from_counts`, `feature` = entity_id.
    """
    is_target = _is_target(documents, target_source)
    target_docs = set(documents.loc[is_target.to_numpy(), "doc_id"])
    known = mentions[mentions["entity_id"].notna() & mentions["doc_id"].isin(documents["doc_id"])]
    in_target = known["doc_id"].isin(target_docs)
    result = keyness_from_counts(
        known.loc[in_target, "entity_id"].value_counts(),
        known.loc[~in_target, "entity_id"].value_counts(),
        measure,
        correction,
    )
    if "entity_name" in known.columns:
        names = known.groupby("entity_id")["entity_name"].first()
        result.insert(1, "entity_name", result["feature"].map(names).astype(str))
    return result
