"""Print Odoo's requirements.txt with the pins meant for Python >= 3.12.

Odoo 18's pins for Python 3.11 are old source distributions that no longer
build; the pins it gives for Python 3.12 install as wheels on 3.11 and Odoo
runs on them. Each line's environment marker is evaluated as if the
interpreter were 3.12, and the markers are dropped from the output.
"""

import re
import sys

SKIP = {"python-ldap", "pypiwin32"}  # LDAP is unused here; pywin32 is Windows only
# reportlab 4 draws barcodes and QR codes through renderPM, which Debian ships
# inside its python3-reportlab package; from PyPI it is a separate wheel.
ALWAYS = {"rl-renderpm"}


def _marker_ok(marker):
    env = {"python_version": "3.12", "sys_platform": "linux"}
    expr = marker
    for name, value in env.items():
        expr = expr.replace(name, repr(value))
    # version strings compare correctly as tuples for the values Odoo uses
    expr = re.sub(r"'(\d+(?:\.\d+)*)'", lambda m: repr(tuple(int(p) for p in m.group(1).split("."))), expr)
    return eval(expr, {"__builtins__": {}})  # noqa: S307 - trusted input (Odoo's file)


def main(path):
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        spec, _, marker = line.partition(";")
        name = re.split(r"[=<>!~ ]", spec.strip(), maxsplit=1)[0].lower()
        if name in SKIP or (name not in ALWAYS and marker.strip() and not _marker_ok(marker.strip())):
            continue
        print(spec.strip())


if __name__ == "__main__":
    main(sys.argv[1])
