"""Problems: what every stage returns instead of raising or printing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR = "ERROR"
WARNING = "WARNING"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, pointing at the file and line a person must edit."""

    path: str
    line: int
    level: str
    message: str
    code: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message} [{self.code}]"


def error(path: str | Path, line: int, message: str, code: str) -> Problem:
    return Problem(str(path), line, ERROR, message, code)


def warning(path: str | Path, line: int, message: str, code: str) -> Problem:
    return Problem(str(path), line, WARNING, message, code)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level == ERROR for p in problems)


class CareprintError(Exception):
    """A failure the command line reports as problems, never as a traceback."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
