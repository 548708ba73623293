import sys

from cchc.cli import main

sys.exit(main())
