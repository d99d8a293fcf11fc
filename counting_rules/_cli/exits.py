"""The command line's exit codes and what each means, written once.

The errors carry their own codes (sysexits, in ``counting_rules.errors``); the codes here
are the command line's: argparse's 2, ``decide --fail-on-incomplete``'s 3 (1 already means
"findings" or "a model answer disagrees" for check and scenarios, and 64-78 are errors),
the quiz's 4 (a trainee below ``--pass-mark``) and 5 (the answers ran out: end of input),
69 (sysexits' "unavailable": ``check`` or ``diff`` without the ``testing`` extra),
130, the shell's code for a command stopped by Ctrl-C (128 + SIGINT), and 141, its code for
a writer whose reader went away (128 + SIGPIPE).
"""

from __future__ import annotations

from counting_rules.errors import (
    CaseFactsError,
    CaseFileError,
    EngineError,
    RulebookError,
    UsageError,
    WriteError,
)

__all__ = [
    "BAD_USAGE",
    "BELOW_PASS_MARK",
    "BROKEN_PIPE",
    "DONE",
    "INCOMPLETE",
    "INTERRUPTED",
    "MEANINGS",
    "MISSING_EXTRA",
    "UNANSWERED",
]

DONE = 0
BAD_USAGE = 2  # argparse's code for an unknown option or a missing argument
INCOMPLETE = 3
BELOW_PASS_MARK = 4
UNANSWERED = 5
MISSING_EXTRA = 69  # sysexits' EX_UNAVAILABLE: a package the command needs is not installed
INTERRUPTED = 130
BROKEN_PIPE = 141

MEANINGS: dict[int, str] = {
    DONE: "done",
    BAD_USAGE: "bad usage: an unknown option or a missing argument",
    INCOMPLETE: "the decision is not complete (only with --fail-on-incomplete)",
    BELOW_PASS_MARK: "a trainee scored below the quiz's --pass-mark (named on stderr)",
    UNANSWERED: "the quiz stopped at the end of input with questions unanswered",
    UsageError.exit_code: "unknown edition or rule id, or an argument it cannot use",
    CaseFactsError.exit_code: "invalid case, scenario or quiz answer file",
    CaseFileError.exit_code: "case file missing, unreadable, too large or not YAML/JSON",
    MISSING_EXTRA: "a package the command needs is not installed (the line names the extra)",
    EngineError.exit_code: "engine failure",
    WriteError.exit_code: "an output file cannot be written",
    RulebookError.exit_code: "invalid rulebook",
    INTERRUPTED: "stopped by Ctrl-C (a quiz writes the answers given so far first)",
    BROKEN_PIPE: "the reader of the output went away (piped into head, say)",
}
