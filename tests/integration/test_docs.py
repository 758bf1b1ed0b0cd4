"""The README documents every option the server has (names from --print-config)."""

import os
import re
import subprocess

from support import REPO_ROOT, SERVER_BINARY


def test_readme_names_every_option():
    printed = subprocess.run([SERVER_BINARY, "--print-config"], capture_output=True, text=True,
                             check=True).stdout
    options = re.findall(r"^; ([a-z0-9-]+) = ", printed, re.M)
    assert len(options) > 30, printed
    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    missing = [o for o in options if f"`--{o}`" not in readme and f"`--{o}=" not in readme]
    assert not missing, f"options missing from README.md: {missing}"
