"""The on-disk cache of fluid property tables (narvik_thermal.fluids.table_cache):
a later process reads the tables without importing CoolProp and gets the same
fluid; unreadable files are rebuilt; an empty NARVIK_THERMAL_CACHE_DIR turns it off.
Each case runs in fresh processes (the constructors keep their fluids per process)."""

from __future__ import annotations

from fresh_process import run

_CHILD = """
    from narvik_thermal import fluids
    out = {}
    for f in (fluids.water(), fluids.propylene_glycol(0.25), fluids.seawater("35 g/kg")):
        T = [f.t_min + 0.37, 0.5 * (f.t_min + f.t_max), f.t_max - 0.1]
        out[f.name] = dict(key=list(f.key), density=f.density_pT(T).tolist(),
                           cp=f.cp_pT(T).tolist(), mu=f.viscosity_pT(T).tolist(),
                           k=f.conductivity_pT(T).tolist(), h=f.enthalpy_T(T).tolist(),
                           T=f.temperature_h(f.enthalpy_T(T)).tolist(),
                           boil=f.boiling_temperature_p([1e5, 3e5]).tolist(),
                           dp=f.density_pT(T, 20e5).tolist(), t=[f.t_min, f.t_max])
    out["coolprop_imported"] = "CoolProp" in sys.modules
    print(json.dumps(out))
"""


def _run(cache, mode="plain"):
    return run(_CHILD, cache, mode)


def test_a_later_process_reads_the_tables_without_coolprop(tmp_path):
    first = _run(tmp_path)
    assert first.pop("coolprop_imported") is True
    files = sorted(tmp_path.glob("fluid-*.npz"))
    assert len(files) == 3
    second = _run(tmp_path, "block")
    assert second.pop("coolprop_imported") is False
    assert second == first                       # the same numbers, to the last bit


def test_an_unreadable_table_is_built_again(tmp_path):
    ref = _run(tmp_path)
    for f in tmp_path.glob("fluid-*.npz"):
        f.write_bytes(b"not a table")
    again = _run(tmp_path)
    assert again == ref and again["coolprop_imported"] is True
    assert all(f.stat().st_size > 1000 for f in tmp_path.glob("fluid-*.npz"))


def test_an_empty_cache_dir_turns_the_cache_off(tmp_path):
    out = _run("")
    assert out["coolprop_imported"] is True
    assert not list(tmp_path.iterdir())
