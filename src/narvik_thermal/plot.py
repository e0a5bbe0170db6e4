r"""Figures of the site, its racks, its year and its transients (matplotlib, optional).

Each returns a :class:`matplotlib.figure.Figure`:

- :func:`sankey` — electricity in, heat out (sea, air, town) of an operating
  point or an annual run (the flows: :func:`energy_flows`);
- :func:`rack_temperature_map` — chip or coolant-outlet temperature of every
  cold plate, racks side by side and trays bottom to top, limits marked;
- :func:`annual_kpis` — energy per month by use, PUE and heat over the year,
  failed hours marked, the EU KPIs of :func:`narvik_thermal.kpi.eu_kpis`;
- :func:`transient_traces` — chip and coolant temperatures and flows of a
  transient run, events and chip limits marked.

matplotlib is an optional dependency (``pip install "narvik_thermal[plot]"``),
imported only when a figure is drawn: ``import narvik_thermal`` never imports
it. Without ``ax`` / ``fig`` a figure is made with :mod:`matplotlib.pyplot` (so
``plt.show()`` and notebooks display it); close it (``plt.close(fig)``) in loops.

Examples
--------
>>> import narvik_thermal as nt
>>> campus = nt.plant.Campus(nt.Q_(2, "MW"))                      # doctest: +SKIP
>>> op = campus.operate(0.8, month=1)                              # doctest: +SKIP
>>> nt.plot.sankey(op).savefig("flows.png")                        # doctest: +SKIP
>>> nt.plot.rack_temperature_map(op).savefig("chips.png")          # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

import numpy as np

from .climate.hourly import runs
from .errors import InputError, user_api
from .kpi import time_step
from .units import Q_, is_quantity

__all__ = ["sankey", "energy_flows", "rack_temperature_map", "annual_kpis",
           "transient_traces", "INSTALL_HINT", "ELECTRICITY", "HEAT_OUT", "KPI_PANELS"]

#: How to install the optional plotting dependency.
INSTALL_HINT = 'pip install "narvik_thermal[plot]"'

#: Electricity into the site: key of ``PlantResult.power`` → label.
ELECTRICITY = {"it": "IT", "pumps": "pumps", "fans": "fans", "chillers": "chillers",
               "heat_pumps": "heat pumps"}
#: Heat out of the site: key of ``PlantResult.heat`` → label.
HEAT_OUT = {"to_sea": "to the sea", "to_air": "to the air",
            "delivered": "to the town (district heating)",
            "network_losses": "district-heating pipe losses"}
#: ``PlantResult`` key → variable of the annual Dataset.
_ANNUAL = {"it": "it_power", "pumps": "pump_power", "fans": "fan_power",
           "chillers": "chiller_power", "heat_pumps": "heat_pump_power",
           "boiler": "heat_boiler", "to_sea": "heat_to_sea", "to_air": "heat_to_air",
           "delivered": "heat_delivered", "network_losses": "network_losses",
           "exported": "heat_exported"}
_ELEC_COLOUR, _HEAT_COLOUR = "#f0b43c", "#d9603b"


def _pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(f"narvik_thermal.plot needs matplotlib, which cannot be imported "
                          f"({exc}); install it with: {INSTALL_HINT}") from exc
    return plt


def _new_axes(ax: Any, name: str, figsize: tuple[float, float]) -> tuple[Any, Any]:
    """(figure, axes): ``ax``'s, or a new pyplot figure with one axes."""
    plt = _pyplot()
    if ax is None:
        return plt.subplots(figsize=figsize, layout="constrained")
    from matplotlib.axes import Axes
    if not isinstance(ax, Axes):
        raise InputError(f"{name}: ax={ax!r} is a {type(ax).__name__}; expected a "
                         "matplotlib Axes (e.g. fig, ax = plt.subplots()) or None for a "
                         "new figure.")
    return ax.figure, ax


def _new_figure(fig: Any, name: str, figsize: tuple[float, float]) -> Any:
    """``fig`` (cleared) or a new pyplot figure."""
    plt = _pyplot()
    if fig is None:
        return plt.figure(figsize=figsize)
    from matplotlib.figure import Figure
    if not isinstance(fig, Figure):
        raise InputError(f"{name}: fig={fig!r} is a {type(fig).__name__}; expected a "
                         "matplotlib Figure (plt.figure()) or None for a new one.")
    fig.clear()
    return fig


def _g3(x: float) -> str:
    """Three significant digits, trailing zeros kept, no trailing point (1.00, 175)."""
    return f"{x:#.3g}".rstrip(".")


def _natural(name: str) -> tuple:
    """Sort key with the numbers in a name compared as numbers (rack2 < rack10)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", str(name)) if p)


_DISPLAY = {"power": ((1e9, "GW"), (1e6, "MW"), (1e3, "kW"), (1.0, "W")),
            "energy": ((3.6e12, "GWh"), (3.6e9, "MWh"), (3.6e6, "kWh"), (3.6e3, "Wh"))}


def _scale(x: float, kind: str) -> tuple[float, str]:
    """(divisor, unit) to show a power [W] or energy [J] with a readable magnitude
    (999.9996 kW is shown as 1.00 MW, not 1.00e+03 kW)."""
    x = abs(x) * (1 + 5e-4)
    return next((d, u) for d, u in _DISPLAY[kind] if x >= d or u in ("W", "Wh"))


# ------------------------------------------------------------------ datasets
def _require_dataset(ds: Any, name: str, variables: tuple[str, ...], where: str,
                     hint: str) -> Any:
    import xarray as xr
    if not isinstance(ds, xr.Dataset):
        raise InputError(f"{where}: {name}= is a {type(ds).__name__}; expected an "
                         f"xarray.Dataset ({hint}).")
    missing = [v for v in variables if v not in ds.data_vars]
    if missing:
        raise InputError(f"{where}: {name}= has no variable(s) {missing}; it has "
                         f"{sorted(map(str, ds.data_vars))}. Pass {hint}.")
    return ds


def _si(ds: Any, var: str, unit: str, where: str) -> np.ndarray:
    """``ds[var]`` as floats in ``unit``, read through its ``units`` attribute."""
    da = ds[var]
    u = da.attrs.get("units")
    if u is None:
        raise InputError(f"{where}: {var!r} has no 'units' attribute; expected units "
                         f"convertible to {unit!r}. Set ds[{var!r}].attrs['units'].")
    try:
        if unit == "degC":
            return np.asarray(Q_(np.asarray(da.values, float), str(u)).m_as("degC"), float)
        f = float(Q_(1.0, str(u)).m_as(unit))
    except Exception:
        raise InputError(f"{where}: {var!r} has units {u!r}, which cannot be converted to "
                         f"{unit!r}; fix its 'units' attribute.") from None
    return np.asarray(da.values, float) * f


_YEAR_HINT = "the hourly Dataset of nt.simulation.annual(campus, weather)"


# ------------------------------------------------------------------ Sankey
@user_api
def energy_flows(source: Any) -> dict[str, Any]:
    """The site's energy flows that :func:`sankey` draws: electricity in, heat out.

    Parameters
    ----------
    source : PlantResult or xarray.Dataset
        An operating point (:meth:`Campus.operate
        <narvik_thermal.plant.Campus.operate>`, :meth:`Campus.solve`; any object
        with the same ``power`` and ``heat`` dicts of Quantities), or an annual
        run (:func:`narvik_thermal.simulation.annual`), whose converged steps
        are summed.

    Returns
    -------
    dict of str to Quantity
        Inputs positive, outputs negative — electricity ``it``, ``pumps``,
        ``fans``, ``chillers``, ``heat_pumps``; the ``boiler``'s peak heat;
        heat ``to_sea``, ``to_air``, ``delivered`` (to the district-heating
        consumers), ``network_losses`` — in W (operating point) or MWh (annual
        run), summing to the energy-balance residual. The heat the heat pumps
        take from the facility water (``heat["exported"]``) stays on site.

    Raises
    ------
    InputError
        ``source`` is neither, or lacks one of the entries.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import narvik_thermal as nt
    >>> W = lambda x: nt.Q_(x, "W")
    >>> op = SimpleNamespace(
    ...     power=dict(it=W(1e6), pumps=W(2e4), fans=W(0), chillers=W(0), heat_pumps=W(0)),
    ...     heat=dict(to_sea=W(0.9e6), to_air=W(1.2e5), delivered=W(0), network_losses=W(0)))
    >>> f = energy_flows(op)
    >>> f["it"], f["to_sea"]
    (<Quantity(1000000.0, 'watt')>, <Quantity(-900000.0, 'watt')>)
    >>> sum(v.m for v in f.values())
    0.0
    """
    values, kind = _flows_si(source, "energy_flows", "source")
    if kind == "power":
        return {k: Q_(v, "W") for k, v in values.items()}
    return {k: Q_(v / 3.6e9, "MWh") for k, v in values.items()}


def _flows_si(source: Any, where: str, arg: str) -> tuple[dict[str, float], str]:
    """Signed flows [W or J] and ``"power"`` or ``"energy"``."""
    import xarray as xr
    keys_in = (*ELECTRICITY, "boiler")
    if isinstance(source, xr.Dataset):
        need = tuple(_ANNUAL[k] for k in (*keys_in, *HEAT_OUT)) + ("converged",)
        _require_dataset(source, arg, need, where, _YEAR_HINT)
        dt = time_step(source, where)
        ok = np.asarray(source["converged"].values, bool)
        if not ok.any():
            raise InputError(f"{where}: {arg}= has no converged step; nothing to sum.")
        return {k: float(np.sum(_si(source, _ANNUAL[k], "W", where)[ok])) * dt
                * (1.0 if k in keys_in else -1.0) for k in (*keys_in, *HEAT_OUT)}, "energy"
    power, heat = getattr(source, "power", None), getattr(source, "heat", None)
    if not isinstance(power, dict) or not isinstance(heat, dict):
        raise InputError(f"{where}: {arg}={type(source).__name__} has no 'power' and 'heat' "
                         "dicts; expected the result of Campus.operate(...) or "
                         f"Campus.solve() (a PlantResult), or {_YEAR_HINT}.")
    missing = ([f"power[{k!r}]" for k in ELECTRICITY if k not in power]
               + [f"heat[{k!r}]" for k in HEAT_OUT if k not in heat])
    if missing:
        raise InputError(f"{where}: {arg}= lacks {missing}; expected a PlantResult's "
                         f"power {list(ELECTRICITY)} and heat {list(HEAT_OUT)}.")

    def watts(q: Any, label: str) -> float:
        try:
            return float(q.m_as("W"))
        except Exception:
            raise InputError(f"{where}: {arg}.{label}={q!r} is not a power; expected a "
                             "Quantity such as Q_(1.2, 'MW').") from None
    out = {k: watts(power[k], f"power[{k!r}]") for k in ELECTRICITY}
    out["boiler"] = watts(heat.get("boiler", Q_(0.0, "W")), "heat['boiler']")
    out.update({k: -watts(heat[k], f"heat[{k!r}]") for k in HEAT_OUT})
    return out, "power"


@user_api
def sankey(op: Any, ax: Any = None) -> Any:
    """Sankey diagram of the site's energy: electricity in, heat out.

    Two joined diagrams: the electricity (IT, pumps, fans, chillers, heat
    pumps) flows into the site and leaves it as heat (a district-heating
    boiler's peak heat joins it, and any heat drawn from the sea or the air),
    which goes to the sea, to the air, to the town's consumers and into the
    district-heating pipes' losses. Widths are
    proportional to power (or energy); flows of zero are left out. The title
    states the total and the energy-balance closure.

    Parameters
    ----------
    op : PlantResult or xarray.Dataset
        An operating point (``campus.operate(...)``) or an annual run
        (``nt.simulation.annual``; its converged steps summed): see
        :func:`energy_flows`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in (its aspect is set equal); a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        ``op`` is neither an operating point nor an annual Dataset, or lacks a flow.
    ImportError
        matplotlib is not installed (:data:`INSTALL_HINT`).
    """
    flows, kind = _flows_si(op, "sankey", "op")
    elec = {k: flows[k] for k in ELECTRICITY}
    e_total = sum(elec.values())
    supplied = e_total + flows["boiler"]
    if not supplied > 0:
        raise InputError(f"sankey: the site takes in no energy (electricity {e_total:g}, "
                         f"boiler {flows['boiler']:g}); nothing to draw.")
    fig, ax = _new_axes(ax, "sankey", (10, 6.5))
    from matplotlib.sankey import Sankey
    out = {k: flows[k] for k in HEAT_OUT}       # negative; positive: drawn in from there
    drawn = sum(v for v in out.values() if v > 0)
    heat_in = supplied + drawn
    residual = supplied + sum(out.values())
    closure = abs(residual) / supplied          # as PlantResult.energy_closure
    div, unit = _scale(heat_in, kind)
    tiny = 1e-9 * heat_in
    sk = Sankey(ax=ax, scale=1.0 / (heat_in / div), unit=None, gap=0.5,
                tolerance=max(1.5 * abs(residual), tiny) / div, margin=0.6)

    def amount(v: float) -> str:
        d, u = _scale(v, kind)
        return f"{_g3(abs(v) / d)} {u}"

    def fmt_label(label: str, v: float) -> str:
        return f"{label}\n{amount(v)}"

    # electricity: IT from the left, the rest from the top (path lengths staggered, so
    # small flows' labels stay apart), out to the right
    shown = [(k, v) for k, v in elec.items() if abs(v) > tiny]
    e_flows = [v / div for _, v in shown] + [-e_total / div]
    e_orient = [0 if k == "it" else 1 for k, _ in shown] + [0]
    n_top = np.cumsum([k != "it" for k, _ in shown]) - 1
    e_len = [0.6 if k == "it" else 0.35 + 0.45 * j for (k, _), j in zip(shown, n_top)] + [0.6]
    e_labels = [fmt_label(ELECTRICITY[k], v) for k, v in shown] + [None]
    sk.add(flows=e_flows, orientations=e_orient, labels=e_labels, pathlengths=e_len,
           trunklength=1.2, facecolor=_ELEC_COLOUR, edgecolor="0.3", lw=0.6,
           patchlabel=fmt_label("electricity", e_total))
    # heat: the electricity in from the left (and the boiler from the top), out
    # (value, orientation, label, path length)
    h = [(e_total, 0, None, 0.6)]
    if flows["boiler"] > tiny:
        h.append((flows["boiler"], 1, fmt_label("boiler (peak)", flows["boiler"]), 0.5))
    side = {"to_sea": 0, "to_air": -1, "delivered": 1, "network_losses": -1}
    h += [(v, side[k], fmt_label(HEAT_OUT[k], v), 1.05 if k == "network_losses" else 0.6)
          for k, v in out.items() if v < -tiny]
    # heat the plant draws from the sea or the air (heat pumps at the town's peak)
    h += [(v, -1, fmt_label(HEAT_OUT[k].replace("to the", "from the"), v), 0.6)
          for k, v in out.items() if v > tiny]
    h_flows, h_orient, h_labels, h_len = (list(c) for c in zip(*h))
    h_flows = [v / div for v in h_flows]
    sk.add(flows=h_flows, orientations=h_orient, labels=h_labels, pathlengths=h_len,
           prior=0, connect=(len(e_flows) - 1, 0), trunklength=1.2,
           facecolor=_HEAT_COLOUR, edgecolor="0.3", lw=0.6, patchlabel="heat")
    sk.finish()
    ax.set_aspect("equal", adjustable="box")   # keep finish()'s limits (no datalim warning)
    ax.axis("off")
    head = (f"Site {kind} flows: {supplied / div:.4g} {unit} in"
            + (f" and {amount(drawn)} drawn from the sea or air" if drawn > tiny else "")
            + (" (annual run, converged steps)" if kind == "energy" else ""))
    exported = _exported(op, kind)
    note = (f"; the heat pumps take {amount(exported)} from the facility water"
            if exported > tiny else "")
    ax.set_title(f"{head}\nenergy balance closes to {closure:.1e}{note}", fontsize=10)
    return fig


def _exported(op: Any, kind: str) -> float:
    """Heat the heat pumps take from the facility water [W or J] (for the title)."""
    if kind == "energy":
        if "heat_exported" not in op:
            return 0.0
        ok = np.asarray(op["converged"].values, bool)
        return float(np.sum(_si(op, "heat_exported", "W", "sankey")[ok])) * time_step(op, "sankey")
    q = op.heat.get("exported")
    return float(q.m_as("W")) if is_quantity(q) else 0.0


# ------------------------------------------------------------------ rack map
_PLATE = re.compile(r"^(?P<rack>.+)\.t(?P<tray>\d+)\.(?P<pos>[^.]+)$")
QUANTITIES = {"chip": ("chip_temperature", "chip temperature"),
              "outlet": ("temperature_out", "coolant outlet temperature of the cold plates")}


def _network_result(result: Any, where: str) -> Any:
    from .network import Result
    if isinstance(result, Result):
        return result
    inner = getattr(result, "result", None)
    if isinstance(inner, Result):
        return inner
    raise InputError(f"{where}: result={type(result).__name__} is not a solved network; expected "
                     "the Result of net.solve() or a PlantResult (campus.operate(...)).")


def _plate_grid(names: list[str]) -> tuple | None:
    """(rack names, tray of each plate, rack index, position index, position names) when
    every name is ``<rack>.t<tray>.<position>``, else None."""
    parts = [_PLATE.match(n) for n in names]
    if not names or any(p is None for p in parts):
        return None
    racks = sorted({p["rack"] for p in parts}, key=_natural)
    kinds: dict[str, int] = {}
    for p in parts:                                  # kinds in the builder's order
        kinds.setdefault(re.sub(r"\d+$", "", p["pos"]), len(kinds))

    def pos_key(pos: str) -> tuple:
        m = re.match(r"^(.*?)(\d*)$", pos)
        return kinds[m[1]], int(m[2]) if m[2] else -1, pos
    positions = sorted({p["pos"] for p in parts}, key=pos_key)
    r_of = {r: i for i, r in enumerate(racks)}
    c_of = {c: i for i, c in enumerate(positions)}
    return (racks, np.array([int(p["tray"]) for p in parts]),
            np.array([r_of[p["rack"]] for p in parts]),
            np.array([c_of[p["pos"]] for p in parts]), positions)


@user_api
def rack_temperature_map(result: Any, ax: Any = None, quantity: str = "chip", *,
                         cmap: str = "plasma") -> Any:
    """Heat map of the chip (or coolant outlet) temperature of every cold plate.

    Plates named as :func:`~narvik_thermal.plant.add_racks` names them,
    ``<rack>.t<tray>.<position>`` (``cdu0.rack3.t12.gpu2``), are laid out as
    racks stand: side by side (``×n``: one rack standing for n), trays bottom
    to top, a tray's positions across (grey: no plate). Other names give a
    strip in name order, wrapped at 32. The chips' limits are lines on the
    colour bar [°C], or stated above it when the colours stop short of them; a
    chip over its limit is crossed, the hottest circled.

    Parameters
    ----------
    result : Result or PlantResult
        A solved network with cold plates (``net.solve()``,
        ``rack_network().solve()``, ``campus.operate(...)``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; a new figure by default.
    quantity : {"chip", "outlet"}
        The chips' temperature, or the coolant's leaving each cold plate.
    cmap : str
        A matplotlib colour map.

    Returns
    -------
    matplotlib.figure.Figure
        Its first axes holds the image (``fig.axes[0].images[0]``, in °C, NaN
        where there is no plate) and the second the colour bar.

    Raises
    ------
    InputError
        Not a solved network, no cold plates, or an unknown ``quantity``.
    """
    res = _network_result(result, "rack_temperature_map")
    if quantity not in QUANTITIES:
        raise InputError(f"rack_temperature_map: quantity={quantity!r}; expected one of "
                         f"{list(QUANTITIES)} (the chips' or the coolant's outlet temperature).")
    ds = res.edges
    plate = np.asarray(ds["kind"].values) == "cold_plate"
    if not plate.any():
        raise InputError(f"rack_temperature_map: the network {res.compiled.name!r} has no cold "
                         "plates; add them with net.add_cold_plate(s) or nt.plant.add_racks.")
    var, title = QUANTITIES[quantity]
    names = [str(n) for n in ds["edge"].values[plate]]
    values = np.asarray(ds[var].values[plate], float)
    counts = np.asarray(ds["count"].values[plate], float)
    limits = _plate_limits(res, plate)
    _pyplot()                         # matplotlib, or how to install it
    import matplotlib
    if cmap not in matplotlib.colormaps:
        raise InputError(f"rack_temperature_map: cmap={cmap!r} is not a matplotlib colour map; "
                         "use one of matplotlib.colormaps, e.g. 'plasma' or 'inferno'.")
    fig, ax = _new_axes(ax, "rack_temperature_map", (11, 6))
    grid = _plate_grid(names)
    if grid is not None:
        racks, tray, rk, pos, positions = grid
        P = len(positions)
        rows, cols = tray, rk * (P + 1) + pos
        shape = (int(tray.max()) + 1, len(racks) * (P + 1) - 1)
    else:
        order = sorted(range(len(names)), key=lambda i: _natural(names[i]))
        width = min(len(names), 32)
        k = np.empty(len(names), int)
        k[order] = np.arange(len(names))
        rows, cols = k // width, k % width
        shape = (-(-len(names) // width), width)
    img = np.full(shape, np.nan)
    img[rows, cols] = values
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if hi - lo < 1e-6:
        lo, hi = lo - 0.5, hi + 0.5
    im = ax.imshow(img, origin="lower" if grid is not None else "upper", aspect="auto",
                   cmap=matplotlib.colormaps[cmap].with_extremes(bad="0.9"), vmin=lo, vmax=hi,
                   interpolation="nearest")
    cb = fig.colorbar(im, ax=ax, label=f"{title} [°C]")
    k_hot = int(np.nanargmax(values))
    ax.plot(cols[k_hot], rows[k_hot], "o", mfc="none", mec="deepskyblue", ms=11, mew=2)
    parts = [f"{title}: hottest {names[k_hot]} {values[k_hot]:.2f} °C (circled)"]
    if quantity == "chip" and np.isfinite(limits).any():
        over = np.isfinite(limits) & (values > limits)
        if over.any():
            ax.plot(cols[over], rows[over], "x", color="cyan", ms=7, mew=1.5)
            parts.append(f"{int(over.sum())} chip(s) over their limit (crossed)")
        margin = float(np.nanmin(limits - values))
        above = []
        for lim in np.unique(limits[np.isfinite(limits)]):
            if lo <= lim <= hi:
                cb.ax.axhline(lim, color="cyan", lw=2)
                cb.ax.text(1.05, lim, f" {lim:g} °C limit", transform=cb.ax.get_yaxis_transform(),
                           va="center", fontsize=8, color="0.2")
            else:
                above.append(f"{lim:g}")
        if above:
            cb.ax.set_title(f"limit{'s' if len(above) > 1 else ''}\n{', '.join(above)} °C"
                            + (" ↑" if float(min(map(float, above))) > hi else ""),
                            fontsize=8)
        parts.append(f"smallest margin to its limit {margin:.2f} K")
    if grid is not None:
        centres = np.arange(len(racks)) * (P + 1) + (P - 1) / 2
        n_of = dict(zip(rk.tolist(), counts.tolist()))      # every edge of a rack has its count
        labels = [racks[r] + (f" (×{n_of[r]:g})" if n_of[r] != 1 else "")
                  for r in range(len(racks))]
        many = len(racks) > 3
        step = max(1, -(-len(racks) // 16))
        ax.set_xticks(centres[::step], labels[::step], rotation=30 if many else 0,
                      ha="right" if many else "center", fontsize=8)
        for r in range(1, len(racks)):                    # the gap between two racks
            ax.axvspan(r * (P + 1) - 1.5, r * (P + 1) - 0.5, color="white", lw=0)
        ax.set_xlabel(f"rack (columns: {', '.join(positions)})"
                      if len(positions) <= 10 else "rack (columns: positions in the tray)")
        yt = np.arange(shape[0])[::max(1, -(-shape[0] // 14))]
        ax.set_yticks(yt, [f"t{t}" for t in yt])
        ax.set_ylabel("tray (bottom → top)")
        if len(racks) * P <= 40:
            top = ax.secondary_xaxis("top")
            top.set_xticks([r * (P + 1) + p for r in range(len(racks)) for p in range(P)],
                           positions * len(racks), fontsize=6, rotation=90)
    else:
        ax.set_xlabel(f"cold plate (in name order, {shape[1]} per row)")
        ax.set_ylabel("row")
        if len(names) <= 32:
            ax.set_xticks(np.arange(len(names)), [names[i] for i in order], rotation=45,
                          ha="right", fontsize=7)
        ax.set_yticks(np.arange(shape[0]), [str(r * shape[1]) for r in range(shape[0])])
    ax.set_title(f"{res.compiled.name}: " + ";\n".join(parts), fontsize=10)
    return fig


def _plate_limits(res: Any, plate: np.ndarray) -> np.ndarray:
    """Each cold plate's ``max_chip_temperature`` [°C] in edge order (NaN: none)."""
    from .components.kinds import EdgeKind
    grp = res.compiled.kgroups[EdgeKind.COLD_PLATE]
    lim = np.full(plate.size, np.nan)
    lim[grp.idx] = np.asarray(grp.params["t_chip_max"], float) - 273.15
    return lim[plate]


# ------------------------------------------------------------------ annual
_YEAR_VARS = ("it_power", "total_power", "pump_power", "fan_power", "chiller_power",
              "heat_pump_power", "heat_to_sea", "heat_to_air", "heat_exported",
              "heat_delivered", "outdoor_temperature", "converged")
#: Indicators of :func:`narvik_thermal.kpi.eu_kpis` drawn by :func:`annual_kpis`, with
#: their short names (those without a finite value, e.g. REF without a renewable
#: share, are left out).
KPI_PANELS = {"pue": "PUE", "ppue_cooling": "pPUE cooling", "erf": "ERF", "ere": "ERE",
              "cer": "CER", "wue": "WUE", "wue_input": "WUE (input)", "ref": "REF",
              "cue": "CUE"}
PERIODS = ("auto", "month", "day")


def _mark_failed(ax: Any, t: np.ndarray, ok: np.ndarray, dt: float, label: bool) -> None:
    half = np.timedelta64(int(round(dt * 500)), "ms")
    for j, (a, b) in enumerate(runs(~ok)):
        ax.axvspan(t[a] - half, t[b] + half, color="red", alpha=0.25, lw=0,
                   label=f"failed steps ({int((~ok).sum())}, no values)" if label and j == 0
                   else None, gid="failed")


@user_api
def annual_kpis(year: Any, kpis: Any = None, *, period: str = "auto", fig: Any = None) -> Any:
    """The year at a glance: energy by use, PUE and heat over time, the EU KPIs.

    Rows: (1) energy per month (or day) by use, stacked — IT, cooling (pumps,
    fans, chillers), heat pumps; a period with failed steps is labelled with
    the share of its steps that converged, and holds those steps only;
    (2) PUE of each step (heat pumps outside the data centre, and inside when
    there are heat pumps) with the outdoor and sea temperatures, and PUE
    against the outdoor temperature; (3) heat to the sea, to the air, taken by
    the heat pumps (exported) and delivered to the town, with the town's
    demand, and against the outdoor temperature; (4) with ``kpis``, one small
    bar chart per indicator (:data:`KPI_PANELS`) for both heat-pump boundaries
    (per month for monthly KPIs). Over runs longer than 14 days the time rows
    show daily values (PUE energy-weighted). Failed steps (``converged``
    False) are shaded red and left as gaps, never drawn as zeros.

    Parameters
    ----------
    year : xarray.Dataset
        The result of :func:`narvik_thermal.simulation.annual` (a datetime
        ``time`` axis; the power and heat variables, ``outdoor_temperature``,
        ``converged``; ``sea_temperature`` and ``heat_demand`` when present).
    kpis : KPIs or xarray.Dataset, optional
        ``nt.kpi.eu_kpis(year, ...)`` (or its ``.data``).
    period : {"auto", "month", "day"}
        Bars per month or per day; ``"auto"``: months for runs longer than 31
        days, days otherwise.
    fig : matplotlib.figure.Figure, optional
        Figure to draw in (cleared first); a new one by default.

    Returns
    -------
    matplotlib.figure.Figure
        The energy bars are the first axes' ``containers`` (one per use).

    Raises
    ------
    InputError
        ``year`` is not such a Dataset or lacks a variable; ``kpis`` is not
        the KPIs of ``eu_kpis``; an unknown ``period``.
    """
    where = "annual_kpis"
    ds = _require_dataset(year, "year", _YEAR_VARS, where, _YEAR_HINT)
    t = ds["time"].values if "time" in ds.coords else np.array([])
    if ds["it_power"].dims != ("time",) or not np.issubdtype(t.dtype, np.datetime64):
        raise InputError(f"{where}: year= needs a datetime 'time' axis and variables over "
                         f"'time' (it_power has dims {ds['it_power'].dims}); pass {_YEAR_HINT}.")
    if period not in PERIODS:
        raise InputError(f"{where}: period={period!r}; expected one of {list(PERIODS)}.")
    kp = _kpi_data(kpis, where) if kpis is not None else None
    dt = time_step(ds, where)
    ok = np.asarray(ds["converged"].values, bool)
    W = {v: np.where(ok, _si(ds, v, "W", where), np.nan) for v in _YEAR_VARS[:-2]}
    T = {"outdoor air": _si(ds, "outdoor_temperature", "degC", where)}
    if "sea_temperature" in ds:
        T["sea (intake)"] = _si(ds, "sea_temperature", "degC", where)
    demand = _si(ds, "heat_demand", "W", where) if "heat_demand" in ds else None
    fig = _new_figure(fig, where, (13, 12.5 if kp is not None else 9.5))
    fig.set_layout_engine("constrained")
    rows = 4 if kp is not None else 3
    gs = fig.add_gridspec(rows, 2, width_ratios=(3, 1), height_ratios=(1.1, 1, 1, 0.9)[:rows])
    if period == "auto":
        period = "month" if t.size and (t[-1] - t[0]) > np.timedelta64(31, "D") else "day"
    _energy_bars(fig.add_subplot(gs[0, :]), t, ok, W, dt, period)
    _time_rows(fig, gs, t, ok, dt, W, T, demand)
    if kp is not None:
        _kpi_row(fig, gs[3, :], kp)
    n_fail = int((~ok).sum())
    fig.suptitle(f"{ds.attrs.get('title', 'annual operation')}: {t.size} steps of "
                 f"{dt / 3600:g} h" + (f", {n_fail} failed" if n_fail else ""), fontsize=11)
    return fig


def _energy_bars(ax: Any, t: np.ndarray, ok: np.ndarray, W: dict, dt: float,
                 period: str) -> None:
    """Stacked electricity per period by use (converged steps only)."""
    key = t.astype("datetime64[M]" if period == "month" else "datetime64[D]")
    labels, inv = np.unique(key, return_inverse=True)
    uses = {"IT": W["it_power"],
            "cooling (pumps, fans, chillers)": W["pump_power"] + W["fan_power"]
            + W["chiller_power"], "heat pumps": W["heat_pump_power"]}
    E = {u: np.bincount(inv[ok], weights=v[ok], minlength=labels.size) * dt
         for u, v in uses.items()}
    cover = np.bincount(inv[ok], minlength=labels.size) / np.bincount(inv, minlength=labels.size)
    div, unit = _scale(max(float(sum(E.values()).max()), 1.0), "energy")
    x = np.arange(labels.size)
    bottom = np.zeros(labels.size)
    for (u, e), c in zip(E.items(), ("#4c72b0", "#55a868", "#c44e52")):
        if u != "heat pumps" or e.any():
            ax.bar(x, e / div, bottom=bottom, label=u, color=c, width=0.8)
            bottom += e / div
    for i in np.flatnonzero(cover < 1):          # never rounded up to 100 %
        ax.text(x[i], bottom[i], f"{math.floor(1000 * cover[i]) / 10:g} % of steps",
                ha="center", va="bottom", fontsize=7, color="red")
    step = max(1, -(-labels.size // 24))
    ax.set_xticks(x[::step], [np.datetime_as_string(v, unit="M" if period == "month" else "D")
                              for v in labels[::step]],
                  rotation=30 if labels.size > 6 else 0, fontsize=8)
    ax.set_ylabel(f"energy [{unit}]")
    ax.set_xlabel(period)
    ax.set_title(f"electricity per {period} by use (converged steps)", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _time_rows(fig: Any, gs: Any, t: np.ndarray, ok: np.ndarray, dt: float, W: dict,
               T: dict, demand: np.ndarray | None) -> None:
    """PUE and heat flows over time (left) and against the outdoor temperature (right)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    days, d_inv = np.unique(t.astype("datetime64[D]"), return_inverse=True)
    long = days.size > 14                 # daily values drawn over the steps
    x_t = days + np.timedelta64(12, "h") if long else t

    def day_sum(x: np.ndarray) -> np.ndarray:
        f = np.isfinite(x)
        return np.bincount(d_inv[f], weights=x[f], minlength=days.size)

    def shown(x: np.ndarray) -> np.ndarray:        # the step's value or the day's mean
        if not long:
            return x
        n = np.bincount(d_inv[np.isfinite(x)], minlength=days.size)
        return np.where(n > 0, day_sum(x) / np.maximum(n, 1), np.nan)
    hp, tot, it = W["heat_pump_power"], W["total_power"], W["it_power"]
    has_hp = bool(np.nanmax(np.abs(hp), initial=0.0) > 0)
    ax2, s2 = fig.add_subplot(gs[1, 0]), fig.add_subplot(gs[1, 1])
    T_out = T["outdoor air"]
    with np.errstate(divide="ignore", invalid="ignore"):
        for num, c, nm in ((tot - hp, "C0", "outside"), (tot, "C1", "inside")):
            if nm == "inside" and not has_hp:
                continue
            ax2.plot(t, num / it, lw=0.5 if long else 0.9, alpha=0.35 if long else 1.0,
                     color=c, label=f"PUE, heat pumps {nm}" + (" (each step)" if long else ""))
            if long:       # energy-weighted: the day's energies, not a mean of ratios
                ax2.plot(x_t, day_sum(num) / day_sum(it), lw=2, color=c,
                         label=f"PUE, heat pumps {nm} (daily)")
            s2.plot(T_out, num / it, ".", ms=2, color=c, label=nm)
    _mark_failed(ax2, t, ok, dt, True)
    ax2.set_ylabel("PUE [-]")
    ax2.xaxis.set_major_formatter(ConciseDateFormatter(AutoDateLocator()))
    tw = ax2.twinx()
    for (nm, x), c in zip(T.items(), ("C2", "C9")):
        tw.plot(x_t, shown(x), lw=0.9, color=c, alpha=0.8,
                label=nm + (" (daily mean)" if long else ""))
    tw.set_ylabel("temperature [°C]")
    h1, l1 = ax2.get_legend_handles_labels()
    h2, l2 = tw.get_legend_handles_labels()
    ax2.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper left", ncol=2)
    ax2.set_xlabel("time")
    ax2.set_title("PUE and the weather", fontsize=10)
    if has_hp:
        s2.legend(fontsize=7, markerscale=4)
    s2.set_xlabel("outdoor temperature [°C]")
    s2.set_ylabel("PUE [-]")
    for a in (ax2, s2):
        a.ticklabel_format(axis="y", useOffset=False)
    ax3, s3 = fig.add_subplot(gs[2, 0], sharex=ax2), fig.add_subplot(gs[2, 1])
    hdiv, hunit = _scale(np.nanmax(np.abs(tot), initial=1.0), "power")
    flows = {"heat_to_sea": ("to the sea", "C9"), "heat_to_air": ("to the air", "C2"),
             "heat_exported": ("exported (taken by the heat pumps)", "C3"),
             "heat_delivered": ("delivered to the town", "C1")}
    for v, (lab, c) in flows.items():
        if v in ("heat_to_sea", "heat_to_air") or np.nanmax(np.abs(W[v]), initial=0.0) > 0:
            ax3.plot(x_t, shown(W[v]) / hdiv, lw=1.0, color=c, label=lab)
            if v in ("heat_to_sea", "heat_exported"):
                s3.plot(T_out, W[v] / hdiv, ".", ms=2, color=c, label=lab.split(" (")[0])
    if demand is not None and np.nanmax(demand, initial=0.0) > 0:
        ax3.plot(x_t, shown(demand) / hdiv, lw=1.0, ls="--", color="k", label="town demand")
    _mark_failed(ax3, t, ok, dt, False)
    ax3.set_ylabel(f"heat flow [{hunit}]")
    ax3.set_xlabel("time")
    ax3.legend(fontsize=7, loc="upper left", ncol=2)
    ax3.set_title("where the heat goes" + (" (daily means)" if long else ""), fontsize=10)
    s3.legend(fontsize=7, markerscale=4)
    s3.set_xlabel("outdoor temperature [°C]")
    s3.set_ylabel(f"heat flow [{hunit}]")


def _kpi_data(kpis: Any, where: str) -> Any:
    import xarray as xr
    data = getattr(kpis, "data", kpis)
    if not isinstance(data, xr.Dataset) or "boundary" not in data.dims:
        raise InputError(f"{where}: kpis={type(kpis).__name__} is not the result of "
                         "nt.kpi.eu_kpis(year) (a KPIs with a 'boundary' dimension); pass "
                         "kpis=nt.kpi.eu_kpis(year, ...) or leave it out.")
    if not any(k in data for k in KPI_PANELS):
        raise InputError(f"{where}: kpis= has none of the indicators {list(KPI_PANELS)}; "
                         f"it has {sorted(map(str, data.data_vars))}.")
    return data


def _kpi_row(fig: Any, cell: Any, data: Any) -> None:
    """One small bar chart per indicator, the boundaries side by side (per month for
    monthly KPIs)."""
    names = [k for k in KPI_PANELS if k in data and np.isfinite(data[k].values).any()]
    sub = cell.subgridspec(1, max(len(names), 1))
    bounds = [str(b) for b in data["boundary"].values]
    short = [b.replace("heat_pumps_", "HP\n") for b in bounds]
    for j, k in enumerate(names):
        ax = fig.add_subplot(sub[0, j])
        da = data[k].transpose(..., "boundary")
        v = np.atleast_2d(da.values)                     # (periods, boundaries)
        monthly = "month" in da.dims
        w = 0.4 if monthly else 0.8
        for i, b in enumerate(short):
            x = np.arange(v.shape[0]) + (i - 0.5) * w if monthly else np.array([i])
            bars = ax.bar(x, v[:, i], width=w, color=f"C{i}", label=b)
            if not monthly:
                ax.bar_label(bars, fmt="%.3g", fontsize=7)
        if monthly:
            m = da["month"].values[::max(1, -(-v.shape[0] // 4))]
            ax.set_xticks(np.arange(v.shape[0])[::max(1, -(-v.shape[0] // 4))],
                          [np.datetime_as_string(t, unit="M")[5:] for t in m])
        else:
            ax.set_xticks(np.arange(len(bounds)), short)
            ax.margins(y=0.15)
        ax.set_xlabel("month" if monthly else "boundary", fontsize=8)
        u = da.attrs.get("units", "1")
        ax.set_ylabel(f"{KPI_PANELS[k]} [{'-' if u in ('1', '') else u}]", fontsize=8)
        ax.set_title(KPI_PANELS[k], fontsize=9)
        ax.tick_params(labelsize=7)
        if j == len(names) - 1 and monthly:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))


# ------------------------------------------------------------------ transients
TIME_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0}
_EVENT = re.compile(r"\bat\(([^,]+?) s, (['\"])(.*?)\2")


def _run_events(run: Any) -> list[tuple[float, str]]:
    """(time [s], name) of each event applied in a run, from ``run.attrs['events']``."""
    found = _EVENT.findall(str(run.attrs.get("events", "")))
    return [(float(tm), nm) for tm, _, nm in found
            if re.fullmatch(r"[-+0-9.eE]+", tm.strip())]


def _event_marks(events: list[tuple[float, str]], step: float) -> list[tuple[float, float, str]]:
    """(start, end, name): an event alone (start == end), or a ramp or run-down (one
    event per step of the same name) as one span."""
    marks: list[list] = []
    for tm, nm in sorted(events, key=lambda e: (e[1], e[0])):
        if marks and marks[-1][2] == nm and tm - marks[-1][1] <= step * 1.001:
            marks[-1][1] = tm                  # the next step of a ramp or run-down
        else:
            marks.append([tm, tm, nm])
    return sorted(tuple(m) for m in marks)


def _pick(names: list[str], given: Any, arg: str, coord: str) -> list[str]:
    """``given`` names checked against ``names`` (with a suggestion for a near miss)."""
    given = [given] if isinstance(given, str) or not np.iterable(given) else list(given)
    for g in given:
        if g not in names:
            near = difflib.get_close_matches(str(g), names, n=3)
            hint = f" Did you mean {', '.join(map(repr, near))}?" if near else ""
            raise InputError(f"transient_traces: {arg}={g!r} is not in the run's {coord!r} "
                             f"coordinate ({len(names)} names, e.g. {names[:3]}).{hint}")
    return given


def _spread(values: np.ndarray, n: int) -> list[int]:
    """Indices of ``n`` series from the highest peak down, spread over the ranking."""
    order = np.argsort(-values, kind="stable")
    return [int(order[i]) for i in np.unique(np.round(np.linspace(
        0, order.size - 1, min(n, order.size))).astype(int))]


@user_api
def transient_traces(run: Any, *, chips: Any = None, nodes: Any = None, edges: Any = None,
                     n_traces: int = 4, time_unit: str = "auto", fig: Any = None) -> Any:
    """Chip temperatures, coolant temperatures and flows of a transient run over time.

    One panel per recorded variable: chip temperatures (the hottest chip of
    the run, a spread of others down the ranking of their peaks, and the band
    of all chips), with each plotted chip's limit as a dashed line; coolant
    temperatures at nodes (by default those that swing most); mass flows of
    edges (by default those the events name, then those that change most).
    Every event of the run is a dotted vertical line, a ramp or run-down a
    shaded span, named on the first panel.

    Parameters
    ----------
    run : xarray.Dataset
        The result of :func:`narvik_thermal.transient.simulate`.
    chips, nodes, edges : str or sequence of str, optional
        Cold plates, nodes and edges to draw (names of the run's
        ``cold_plate``, ``node`` and ``edge`` coordinates).
    n_traces : int
        How many of each to draw when not given (4).
    time_unit : {"auto", "s", "min", "h"}
        Unit of the time axis; ``"auto"``: s up to 10 min, min up to 10 h, h
        beyond.
    fig : matplotlib.figure.Figure, optional
        Figure to draw in (cleared first); a new one by default.

    Returns
    -------
    matplotlib.figure.Figure
        The axes in the order chips, coolant, flows (those recorded); the
        hottest chip's line (when drawn) is labelled ``"hottest: <name> …"``.

    Raises
    ------
    InputError
        Not a run, nothing recorded, an unknown name, or a bad ``n_traces``
        or ``time_unit``.
    """
    import xarray as xr
    where = "transient_traces"
    if not isinstance(run, xr.Dataset) or "time" not in run.coords:
        raise InputError(f"{where}: run={type(run).__name__} is not a transient run; "
                         "expected the Dataset of nt.transient.simulate(...).")
    have = [v for v in ("chip_temperature", "temperature", "mass_flow") if v in run]
    if not have:
        raise InputError(f"{where}: run= recorded none of chip_temperature, temperature, "
                         f"mass_flow (it has {sorted(map(str, run.data_vars))}); simulate with "
                         "record=None (all) or record=('chip_temperature', ...).")
    for arg, var, given in (("chips", "chip_temperature", chips),
                            ("nodes", "temperature", nodes), ("edges", "mass_flow", edges)):
        if given is not None and var not in run:
            raise InputError(f"{where}: {arg}= given but the run did not record {var!r}; "
                             f"simulate with record=None or include {var!r}.")
    if isinstance(n_traces, bool) or not isinstance(n_traces, (int, np.integer)) or n_traces < 1:
        raise InputError(f"{where}: n_traces={n_traces!r}; expected a whole number ≥ 1.")
    if time_unit != "auto" and time_unit not in TIME_UNITS:
        raise InputError(f"{where}: time_unit={time_unit!r}; expected 'auto' or one of "
                         f"{list(TIME_UNITS)}.")
    ts = np.asarray(run["time"].values, float)
    if ts.size < 2:
        raise InputError(f"{where}: run= has {ts.size} recorded time(s); a trace needs two "
                         "or more (simulate over at least one step).")
    if time_unit == "auto":
        time_unit = "s" if ts[-1] <= 600 else "min" if ts[-1] <= 36000 else "h"
    tu = TIME_UNITS[time_unit]
    t = ts / tu
    step = float(run.attrs.get("step", ts[1] - ts[0]))
    marks = _event_marks(_run_events(run), step)
    fig = _new_figure(fig, where, (11, 3.2 * len(have) + 0.6))
    fig.set_layout_engine("constrained")
    axes = fig.subplots(len(have), 1, sharex=True, squeeze=False)[:, 0]
    for ax, var in zip(axes, have):
        if var == "chip_temperature":
            _chip_panel(ax, run, t, chips, n_traces)
        else:
            coord, given, arg = (("node", nodes, "nodes") if var == "temperature"
                                 else ("edge", edges, "edges"))
            names = [str(n) for n in run[coord].values]
            x = np.asarray(run[var].values, float)
            if given is not None:
                pick = _pick(names, given, arg, coord)
            else:          # (flows: the edges the events name first)
                pick = [] if var == "temperature" else list(dict.fromkeys(
                    nm for _, _, nm in marks if nm in names))[:n_traces]
                same = (0.05 * float(np.ptp(x, axis=0).max()) if var == "temperature" else
                        0.01 * max(float(np.max(np.abs(x), initial=0.0)), 1e-12))
                pick += [names[i] for i in _spread_top(x, n_traces, same,
                                                        tuple(names.index(p) for p in pick))]
            for nm in pick:
                ax.plot(t, x[:, names.index(nm)], lw=1.2, label=nm)
            ax.set_ylabel("coolant temperature [°C]" if var == "temperature"
                          else "mass flow [kg/s]")
            ax.set_title("coolant temperatures at nodes" if var == "temperature"
                         else "flows of edges", fontsize=10)
        for a, b, nm in marks:
            if a == b:
                ax.axvline(a / tu, color="0.35", ls=":", lw=1)
            else:
                ax.axvspan(a / tu, b / tu, color="0.5", alpha=0.15, lw=0)
        ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
    for a, b, nm in marks[:12]:
        axes[0].text(a / tu, 1.0, f" {nm}", transform=axes[0].get_xaxis_transform(),
                     rotation=90, va="top", ha="right", fontsize=7, color="0.3")
    axes[-1].set_xlabel(f"time [{time_unit}]")
    closure = run.attrs.get("energy_closure")
    fig.suptitle(f"transient run of {run.attrs.get('network', 'a network')}"
                 + (f": energy closure {closure:.1e}" if closure is not None else ""),
                 fontsize=11)
    return fig


def _spread_top(series: np.ndarray, n: int, same: float, taken: tuple = ()) -> list[int]:
    """Columns of ``series`` (time × names) that change most, largest change first,
    leaving out one within ``same`` everywhere of a column already taken (the
    edges of one series path carry one flow)."""
    out = list(taken)
    for i in np.argsort(-np.ptp(series, axis=0), kind="stable"):
        if len(out) >= n:
            break
        if all(np.max(np.abs(series[:, i] - series[:, j])) > same for j in out):
            out.append(int(i))
    return out[len(taken):]


def _chip_panel(ax: Any, run: Any, t: np.ndarray, chips: Any, n: int) -> None:
    names = [str(c) for c in run["cold_plate"].values]
    Tc = np.asarray(run["chip_temperature"].values, float)
    peak = Tc.max(axis=0)
    if chips is not None:
        pick = [names.index(c) for c in _pick(names, chips, "chips", "cold_plate")]
    else:
        pick = _spread(peak, n)
    if len(names) > len(pick):
        ax.fill_between(t, Tc.min(axis=1), Tc.max(axis=1), color="0.6", alpha=0.25, lw=0,
                        label=f"all {len(names)} chips")
    hot = int(np.argmax(peak))
    for i in pick:
        first = i == hot
        ax.plot(t, Tc[:, i], lw=2.2 if first else 1.0, color="C3" if first else None,
                label=("hottest: " if first else "") + f"{names[i]} (peak {peak[i]:.1f} °C)",
                zorder=3 if first else 2)
    lim = np.asarray(run["chip_limit"].values, float) if "chip_limit" in run else \
        np.full(len(names), np.nan)
    for v, ls in zip(np.unique(lim[pick][np.isfinite(lim[pick])]), ("--", "-.", ":") * 9):
        ax.axhline(v, color="k", ls=ls, lw=1, label=f"limit {v:g} °C")
    ax.set_ylabel("chip temperature [°C]")
    ax.set_title("chip temperatures", fontsize=10)
