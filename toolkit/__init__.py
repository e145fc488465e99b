"""doithoai: makes a ward's dialogue-conference workbook smart.

Library first: every command of the CLI is a plain function here.
"""

__version__ = "0.1.0"
