"""Rewrite i18n/service_management.pot from a database where the addon is installed.

usage: export_pot.py ODOO_SRC ODOO_CONF DBNAME REPO_ROOT

Odoo's exporter walks every folder of the addons path, following links: it
would crawl .venv/ and .run/ inside this repository, and every addon of Odoo.
So the addon is loaded from a temporary folder holding only the files git
knows, and only that folder is walked for terms.
"""

import io
import os
import subprocess
import sys
import tempfile

MODULE = "service_management"


def _copy_tracked_files(root, target):
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True, capture_output=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = os.path.join(root, name)
        if not os.path.isfile(source):
            continue
        dest = os.path.join(target, name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.symlink(source, dest)


def main(odoo_src, odoo_conf, dbname, root):
    sys.path.insert(0, odoo_src)
    import odoo  # noqa: PLC0415 - needs the source tree on sys.path first
    from odoo.tools import config  # noqa: PLC0415
    from odoo.tools.translate import trans_export  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as addons:
        _copy_tracked_files(root, os.path.join(addons, MODULE))
        config.parse_config(["-c", odoo_conf, "--addons-path", f"{addons},{os.path.join(odoo_src, 'addons')}"])
        registry = odoo.modules.registry.Registry.new(dbname)
        # the modules are imported: from now on only this addon's folder is walked for terms
        odoo.addons.__path__[:] = [addons]
        buffer = io.BytesIO()
        with registry.cursor() as cr:
            trans_export(False, [MODULE], buffer, "po", cr)
    path = os.path.join(root, "i18n", f"{MODULE}.pot")
    with open(path, "wb") as pot:
        pot.write(buffer.getvalue())
    print(f"wrote {path}: {buffer.getvalue().count(b'msgid ') - 1} terms")


if __name__ == "__main__":
    main(*sys.argv[1:])
