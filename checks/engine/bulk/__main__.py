import sys

from checks.engine.bulk.cli import main

sys.exit(main())
