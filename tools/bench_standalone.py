"""Run one benchmark module's ``bench(env, scale)`` on its own, outside ``make bench``.

Used by the ``main()`` of tools/bench_board.py, bench_forecast.py and bench_jobs.py:

    .venv/bin/python tools/bench_<part>.py -c .run/odoo.conf -d DATABASE [--scale small|full]

Everything the benchmark writes is rolled back.
"""

import argparse
import os
import sys


def run(description, sizes, bench, argv=None):
    """Parse the command line, open ``DATABASE`` as the superuser, print each line of ``bench(env, scale)``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", default=".run/odoo.conf", help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="database with service_management installed")
    parser.add_argument("--scale", default="small", choices=sorted(sizes))
    parser.add_argument("--odoo", default=os.environ.get("ODOO_SRC", "/opt/odoo"))
    args = parser.parse_args(argv)
    sys.path.insert(0, args.odoo)
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            for line in bench(env, args.scale):
                print(line, flush=True)
        finally:
            cr.rollback()
    return 0
