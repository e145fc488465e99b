"""One pass (``doithoai run``): read, check, assign, summarise, write back, render."""
