"""Notebook parameters: read them from the `parameters` cells, validate user values.

The notebooks are the single source of truth: each has one cell tagged
`parameters` of plain `name = literal  # meaning` lines (papermill's
convention). The runner validates a user's values against those defaults
*before* anything runs, because papermill only warns on unknown names.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml


class ParameterError(ValueError):
    """A parameter name or value the notebooks do not accept."""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any
    help: str
    notebooks: tuple[str, ...]

    @property
    def type_name(self) -> str:
        return "str or null" if self.default is None else type(self.default).__name__


def _comments_by_line(source: str) -> dict[int, str]:
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    return comments


def parameters_cell(path: Path) -> str:
    """Source of the cell tagged `parameters` in a notebook."""
    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(
            f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}"
        )
    return cells[0].source


def read_parameters(source: str) -> list[tuple[str, Any, str]]:
    """(name, default, comment) for each `name = literal  # comment` line."""
    comments = _comments_by_line(source)
    result = []
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            raise ParameterError(f"parameters cell line {node.lineno}: only `name = value` allowed")
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            raise ParameterError(f"parameters cell line {node.lineno}: assign to a plain name")
        try:
            value = ast.literal_eval(node.value)
        except ValueError as exc:
            raise ParameterError(
                f"parameters cell line {node.lineno}: {target.id} must be a plain literal"
            ) from exc
        result.append((target.id, value, comments.get(node.lineno, "")))
    return result


def notebook_parameters(notebooks: list[Path]) -> dict[str, Parameter]:
    """The union of all notebooks' parameters; a name must mean the same everywhere."""
    found: dict[str, Parameter] = {}
    for path in notebooks:
        for name, default, help_text in read_parameters(parameters_cell(path)):
            if name in found:
                known = found[name]
                if known.default != default:
                    raise ParameterError(
                        f"parameter {name!r} has default {known.default!r} in "
                        f"{known.notebooks[0]} but {default!r} in {path.name}"
                    )
                found[name] = Parameter(
                    name, default, known.help or help_text, known.notebooks + (path.name,)
                )
            else:
                found[name] = Parameter(name, default, help_text, (path.name,))
    return found


def parse_cli_value(text: str) -> Any:
    """`-p key=value` values are YAML scalars: 3 -> int, true -> bool, [a, b] -> list."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _coerce(param: Parameter, value: Any) -> Any:
    default = param.default
    if default is None:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise ParameterError(f"{param.name}: expected a string or null, got {value!r}")
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif isinstance(default, str):
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    elif isinstance(default, list):
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
    raise ParameterError(
        f"{param.name}: expected {param.type_name} (default {default!r}), got {value!r}"
    )


def validate_parameters(known: dict[str, Parameter], values: dict[str, Any]) -> dict[str, Any]:
    """Check names and types; return the full parameter set (defaults + values)."""
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ParameterError(
            f"unknown parameter(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    merged = {name: param.default for name, param in known.items()}
    for name, value in values.items():
        merged[name] = _coerce(known[name], value)
    return merged


def load_params_file(path: Path) -> dict[str, Any]:
    """A YAML mapping of parameter values."""
    data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter: value")
    return data


def describe_parameters(known: dict[str, Parameter]) -> str:
    """Help text: one line per parameter with its default and meaning."""
    width = max((len(name) for name in known), default=0)
    lines = []
    for name in sorted(known):
        param = known[name]
        lines.append(f"  {name:<{width}}  = {param.default!r:<18} {param.help}")
    return "\n".join(lines)
