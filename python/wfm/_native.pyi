"""Type stubs of the native module (the public API is in the pure-Python modules)."""

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

def staff(volume: npt.NDArray[np.float64], aht_seconds: npt.NDArray[np.float64],
          period_seconds: npt.NDArray[np.float64], shrinkage: npt.NDArray[np.float64],
          targets: List[Tuple[str, float, float]],
          patience_seconds: Optional[npt.NDArray[np.float64]] = ..., concurrency: int = ...,
          service_level_seconds: Optional[float] = ...) -> Dict[str, np.ndarray]: ...
def staffing_metrics(volume: npt.NDArray[np.float64], aht_seconds: npt.NDArray[np.float64],
             period_seconds: npt.NDArray[np.float64], shrinkage: npt.NDArray[np.float64],
             agents: npt.NDArray[np.int64], targets: List[Tuple[str, float, float]],
             patience_seconds: Optional[npt.NDArray[np.float64]] = ...,
             concurrency: int = ..., service_level_seconds: Optional[float] = ...
             ) -> Dict[str, np.ndarray]: ...
def erlang_probability(servers: npt.NDArray[np.int64], erlangs: npt.NDArray[np.float64],
                       model: str) -> npt.NDArray[np.float64]: ...
def parse_duration(field: str, text: str, bare_unit_seconds: float) -> float: ...
def methods() -> List[str]: ...
def backtest(path: Optional[str], text: Optional[str], name: str, tz: str,
             interval: Optional[str], horizon: str, folds: int,
             methods: Optional[List[str]] = ..., special_path: Optional[str] = ...,
             special_text: Optional[str] = ...) -> Dict[str, Any]: ...
def forecast(path: Optional[str], text: Optional[str], name: str, tz: str,
             interval: Optional[str], horizon: str, method: str, folds: Optional[int] = ...,
             aht_seconds: Optional[float] = ..., special_path: Optional[str] = ...,
             special_text: Optional[str] = ...) -> Dict[str, Any]: ...
def score_folds(path: Optional[str], text: Optional[str], name: str, tz: str,
                interval: Optional[str], horizon: str, folds: int,
                forecast_path: Optional[str], forecast_text: Optional[str],
                forecast_name: str, label: str) -> Dict[str, Any]: ...
def contacts(path: str, preset: Optional[str], layout_json: Optional[str],
             layout_path: Optional[str], interval: str, zone: Optional[str],
             within: Optional[str], date_from: Optional[str],
             date_to: Optional[str]) -> Dict[str, Any]: ...
def reforecast(fc_path: Optional[str], fc_text: Optional[str], fc_name: str,
               path: Optional[str], text: Optional[str], name: str, tz: str,
               interval: Optional[str], shrink: float) -> Dict[str, Any]: ...
def reforecast_backtest(path: Optional[str], text: Optional[str], name: str, tz: str,
                        interval: Optional[str], method: str, folds: int, cutoffs: str,
                        shrink: float) -> Dict[str, Any]: ...
def plan(path: Optional[str], text: Optional[str], name: str, base: str,
         time_limit_seconds: Optional[float] = ...) -> Dict[str, Any]: ...
def evaluate_roster(path: Optional[str], text: Optional[str], name: str, base: str,
             roster_path: Optional[str], roster_text: Optional[str], roster_name: str,
             lenient: bool = ...) -> Dict[str, Any]: ...
def simulate(path: Optional[str], text: Optional[str], name: str, base: str,
             roster_path: Optional[str], roster_text: Optional[str], roster_name: str,
             replications: int, seed: int, handle_cv: Optional[float] = ...,
             threads: int = ...) -> Dict[str, Any]: ...
