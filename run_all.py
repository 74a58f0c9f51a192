#!/usr/bin/env python
"""Render the HSCP evidence workbooks: `python run_all.py --help` for the options.

A thin command line over hscp.batch; the defaults are in params/defaults.yaml.
"""

import sys

from hscp.batch import main

if __name__ == "__main__":
    sys.exit(main())
