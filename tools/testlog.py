"""Read Odoo server logs for tools/harness.sh.

    testlog.py follow MODULE       filter a log on stdin down to progress lines
    testlog.py check LOG RC        print the errors of an install/update step;
                                   exit 1 when there are any or RC != 0
    testlog.py summary LOG RC      print the errors and the test counts of a test
                                   run; the last line is "N passed, N failed";
                                   exit 1 on any failure, error line, RC != 0 or
                                   when no test ran

Odoo's log lines look like
    2025-01-01 12:00:00,123 4242 INFO dbname odoo.modules.loading: message
and multi-line messages (tracebacks) continue on lines without that prefix.
"""

import re
import sys
import time

LINE_RE = re.compile(
    r"^(?P<date>\d{4}-\d\d-\d\d) (?P<time>\d\d:\d\d:\d\d),\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) (?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*?)\s*$"
)
# odoo/tests/result.py OdooTestResult.__str__, logged by odoo/service/server.py
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIP_RE = re.compile(r"^skipped \S+ : ")
START_RE = re.compile(r"^Starting (\S+) \.\.\.$")
FAILED_TEST_RE = re.compile(r"^(?:FAIL|ERROR): (\S+)")
# a failing demo data file is only a warning for Odoo ("installed without demo data")
DEMO_FAILURE_RE = re.compile(r"demo data failed to install")
MAX_BLOCK_LINES = 30


def _is_problem(match):
    level = match.group("level")
    return level in ("ERROR", "CRITICAL") or (level == "WARNING" and DEMO_FAILURE_RE.search(match.group("msg")))


def _progress(match, module):
    """Return the text to show for an interesting log line, or None."""
    level, logger, msg = match.group("level"), match.group("logger"), match.group("msg")
    own = logger == f"odoo.addons.{module}" or logger.startswith(f"odoo.addons.{module}.")
    if level in ("WARNING", "ERROR", "CRITICAL"):  # a clean install logs no warning at all
        return f"{level} {logger}: {msg}"
    if logger == "odoo.modules.loading":
        if (
            msg == "init db"
            or msg == "Modules loaded."
            or re.match(r"loading \d+ modules\.\.\.$", msg)
            or re.match(r"\d+ modules loaded in ", msg)
            or msg.startswith((f"loading {module}/", f"Module {module}: "))
        ):
            return msg
        return None
    if logger == "odoo.service.server" and (msg == "Starting post tests" or re.match(r"\d+ post-tests in ", msg)):
        return msg
    if logger == "odoo.tests.result" and RESULT_RE.search(msg):
        return msg
    if own and (msg.startswith("Starting ") or SKIP_RE.match(msg)):
        return msg
    return None


def follow(module):
    start = time.monotonic()
    for raw in sys.stdin:
        match = LINE_RE.match(raw.rstrip("\n"))
        if not match:
            continue
        text = _progress(match, module)
        if text is not None:
            sys.stdout.write(f"    [{time.monotonic() - start:5.0f}s] {text}\n")
            sys.stdout.flush()
    return 0


def _read(path):
    """Return (problem blocks, result match or None, number of skipped tests,
    number of started tests that failed or errored, None when no test started).

    Odoo's error counter also counts errors outside any test (a failing
    setUpClass), so the tests that failed are counted from the log."""
    blocks, current, result, skipped = [], None, None, 0
    started, failed_tests = set(), set()
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        match = LINE_RE.match(line)
        if not match:
            if current is not None:
                current.append(line)
            continue
        current = None
        msg = match.group("msg")
        if match.group("logger") == "odoo.tests.result" and RESULT_RE.search(msg):
            result = RESULT_RE.search(msg)
            continue
        if match.group("level") == "INFO" and SKIP_RE.match(msg):
            skipped += 1
        elif match.group("level") == "INFO" and START_RE.match(msg):
            started.add(START_RE.match(msg).group(1))
        elif match.group("level") == "ERROR" and FAILED_TEST_RE.match(msg):
            name = FAILED_TEST_RE.match(msg).group(1)  # a subTest's description adds " (params)"
            if name in started:
                failed_tests.add(name)
        if _is_problem(match):
            current = [line]
            blocks.append(current)
    for block in blocks:
        while len(block) > 1 and not block[-1].strip():
            block.pop()
    return blocks, result, skipped, (len(failed_tests) if started else None)


def _print_blocks(blocks, path):
    if not blocks:
        return
    print(f"==> {len(blocks)} error line(s) in {path}:")
    for block in blocks:
        if len(block) <= MAX_BLOCK_LINES:
            shown = block
        else:  # keep the log line and the end of the traceback, where the exception is
            omitted = len(block) - MAX_BLOCK_LINES
            shown = [block[0], f"  ... {omitted} traceback line(s) left out, see {path}"]
            shown += block[-(MAX_BLOCK_LINES - 1) :]
        for line in shown:
            print(f"  {line}")


def check(path, rc):
    blocks, _result, _skipped, _failed_tests = _read(path)
    _print_blocks(blocks, path)
    if rc != 0:
        print(f"==> odoo exited with status {rc}")
    return 1 if blocks or rc != 0 else 0


def summary(path, rc):
    blocks, result, skipped, failed_tests = _read(path)
    _print_blocks(blocks, path)
    failures, errors, total = (int(g) for g in result.groups()) if result else (0, 0, 0)
    failed = failures + errors
    passed = max(total - skipped - (failed if failed_tests is None else failed_tests), 0)
    if failed == 0 and blocks:
        failed = len(blocks)
    if failed == 0 and rc != 0:
        failed = 1
    if rc != 0:
        print(f"==> odoo exited with status {rc}")
    if total == 0:
        print("==> error: no tests ran")
    print(f"==> {total} test(s) run: {failures} failed, {errors} error(s), {skipped} skipped (full log: {path})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or rc != 0 or total == 0 else 0


def main(argv):
    if len(argv) == 2 and argv[0] == "follow":
        return follow(argv[1])
    if len(argv) == 3 and argv[0] in ("check", "summary"):
        func = check if argv[0] == "check" else summary
        return func(argv[1], int(argv[2]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
