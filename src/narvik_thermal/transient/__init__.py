"""Operation over time: the heat transport of a network with storage, events in time.

``nt.transient.simulate(network_or_plant, duration=, step=, events=[nt.transient.at(time,
name, **changes)])`` returns an :class:`xarray.Dataset` over ``time``: node
temperatures, edge flows and chip temperatures, with the run's energy closure.

What is modelled
----------------
- Storage: the fluid volume of every edge (:meth:`narvik_thermal.Network.fluid_volume`)
  and the metal in contact with it (:meth:`narvik_thermal.Network.metal_heat_capacity`),
  half at each end node (:func:`narvik_thermal.transient.stepper.node_capacity`); a
  cold plate's metal lumped with its chip behind the case-to-inlet resistance.
- Backward Euler in the node enthalpies, the steady solver's upwind balance plus
  storage; one sparse LU per flow field and step.
- Events: ``Network.update`` / ``Network.update_boundary`` calls at given times
  (:func:`at`) or linearly over an interval, one per step (:func:`ramp`), each
  followed by a quasi-steady hydraulic solve; a pump trip with a rigid-rotor
  run-down (:func:`trip`), one speed per step.
- Control loops in time (``controls="pi"`` or ``{"loop": PI(kp=, ti=)}``):
  discrete PI controllers sampled every step, clamped at their bounds
  (:mod:`.control`); or solved steadily at events (``"steady"``, the default),
  or frozen.
- Transport delay in long pipes: ``pipe_cells=n`` or ``"auto"`` splits pipes into
  upwind cells for the run (:mod:`.cells`; front width about 2.563 δ/√n).

Not modelled (yet)
------------------
Run-up inertia of a starting pump and the water's inertia, exact (Lagrangian)
plug flow in long pipes (``pipe_cells`` reduces the upwind scheme's numerical
diffusion, it does not remove it), heat-pump modes changing between events.
"""

from .control import PI
from .events import Event, Ramp, Trip, at, ramp, run_down_time_constant, trip
from .run import RECORDABLE, peak_chip_temperature, simulate, time_to_limit

__all__ = ["simulate", "at", "ramp", "trip", "run_down_time_constant", "PI", "Event", "Ramp",
           "Trip", "peak_chip_temperature", "time_to_limit", "RECORDABLE"]
