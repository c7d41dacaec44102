import os
import sys

from app.cli import main

try:
    raise SystemExit(main())
except BrokenPipeError:  # e.g. `python -m app check | head`: stop quietly like other tools
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(1) from None
