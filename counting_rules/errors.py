"""Errors raised by counting-rules.

Every error has a stable ``code`` and a one-line message that names the field or rule,
the file and line where known, and the fix. The CLI maps each class to an exit code.

    CountingRulesError
    ├── CaseFactsError            invalid case input (wrong type, unknown field, missing date)
    │   ├── CaseFileError         a case file cannot be read or parsed
    │   ├── ScenarioError         a training scenario file is not a valid scenario
    │   └── AnswerFileError       a trainee's quiz answer file is not valid for the scenario
    ├── RulebookError             a rulebook is invalid; raised at load time
    │   ├── RuleSpecError         a rule file breaks the rule format (unknown field, bad value)
    │   ├── UnknownFactError      a rule names a fact type or field the schema does not have
    │   ├── RuleTemplateError     an explanation template is missing or fails to render
    │   ├── RuleConflictError     two rules can give conflicting conclusions for the same thing
    │   └── StratificationError   rules negate each other in a cycle
    ├── EditionNotFoundError      no edition is in force on the report date, or the id is unknown
    ├── UsageError                an argument is not one it accepts (an unknown rule id, say)
    ├── WriteError                an output file (a handout, results) cannot be written
    └── EngineError               the inference engine failed while deciding a case
"""

from __future__ import annotations

__all__ = [
    "AnswerFileError",
    "CaseFactsError",
    "CaseFileError",
    "CountingRulesError",
    "EditionNotFoundError",
    "EngineError",
    "RuleConflictError",
    "RuleSpecError",
    "RuleTemplateError",
    "RulebookError",
    "ScenarioError",
    "StratificationError",
    "UnknownFactError",
    "UsageError",
    "WriteError",
]


class CountingRulesError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "error"
    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message and the fix as one line, as the CLI prints it."""
        if self.fix:
            return f"{self.message} ({self.fix})"
        return self.message


class CaseFactsError(CountingRulesError):
    """The case does not validate: a field has the wrong type, is unknown, or is missing.

    ``field`` and ``line`` are those of the first problem; ``errors`` holds every problem
    found (each a CaseFactsError with its own field and line), the first included.
    """

    code = "case-facts"
    exit_code = 65  # sysexits EX_DATAERR

    def __init__(
        self,
        message: str,
        *,
        field: str = "",
        fix: str | None = None,
        line: int | None = None,
        errors: tuple[CaseFactsError, ...] = (),
    ) -> None:
        self.field = field
        self.line = line
        self.errors: tuple[CaseFactsError, ...] = errors or (self,)
        super().__init__(message, fix=fix)

    @classmethod
    def collect(cls, errors: list[CaseFactsError], fix: str | None = None) -> CaseFactsError:
        """One error for several problems: the first in full, then the rest in brief."""
        first = errors[0]
        if len(errors) == 1:
            return first
        shown = "; ".join(e.message for e in errors[1:_SHOWN])
        more = f"; and {len(errors) - _SHOWN} more" if len(errors) > _SHOWN else ""
        return cls(
            f"{first.message} (and {len(errors) - 1} more: {shown}{more})",
            field=first.field,
            fix=first.fix or fix,
            line=first.line,
            errors=tuple(errors),
        )

    def each(self) -> list[str]:
        """Every problem as one line with its own fix, in the order found."""
        return [e.one_line() for e in self.errors]


_SHOWN = 6  # problems named in one message; all of them are in ``errors``


class CaseFileError(CaseFactsError):
    """A case file cannot be found, read or parsed as YAML or JSON."""

    code = "case-file"
    exit_code = 66  # sysexits EX_NOINPUT


class ScenarioError(CaseFactsError):
    """A training scenario file is not a valid scenario (every problem is in ``errors``)."""

    code = "scenario"


class AnswerFileError(CaseFactsError):
    """A trainee's quiz answer file is not valid for the scenario (every problem is in
    ``errors``, each with its file, line and field)."""

    code = "answers"


class RulebookError(CountingRulesError):
    """A rulebook failed validation when it was loaded. Never raised while deciding."""

    code = "rulebook"
    exit_code = 78  # sysexits EX_CONFIG

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        rule_id: str = "",
        fix: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.rule_id = rule_id
        where = file + (f":{line}" if line else "") if file else ""
        prefix = f"{where}: " if where else ""
        if rule_id:
            prefix += f"rule {rule_id}: "
        super().__init__(prefix + message, fix=fix)


class RuleSpecError(RulebookError):
    """A rule file breaks the rule format."""

    code = "rule-spec"


class UnknownFactError(RulebookError):
    """A rule names a fact type, alias or field that does not exist."""

    code = "unknown-fact"


class RuleTemplateError(RulebookError):
    """A rule's explanation template is missing, unsafe, or fails to render."""

    code = "rule-template"


class RuleConflictError(RulebookError):
    """Two rules in force together can conclude different values for the same thing."""

    code = "rule-conflict"


class StratificationError(RulebookError):
    """Rules depend on each other through negation in a cycle, so no order is sound."""

    code = "stratification"


class EditionNotFoundError(CountingRulesError):
    """No rulebook edition is in force on the report date, or a named edition is unknown."""

    code = "edition"
    exit_code = 64  # sysexits EX_USAGE


class UsageError(CountingRulesError, ValueError):
    """An argument to the API is not one it accepts (a ValueError too, as it was before)."""

    code = "usage"
    exit_code = 64  # sysexits EX_USAGE


class WriteError(CountingRulesError):
    """An output file cannot be written (no such folder, no permission, disk full)."""

    code = "write"
    exit_code = 73  # sysexits EX_CANTCREAT


class EngineError(CountingRulesError):
    """The inference engine failed while deciding a case; no decision is returned."""

    code = "engine"
    exit_code = 70  # sysexits EX_SOFTWARE
