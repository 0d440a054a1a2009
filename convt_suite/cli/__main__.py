import sys

from convt_suite.cli import main

sys.exit(main())
