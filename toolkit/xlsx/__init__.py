"""The .xlsx package level: sniffing and reading a workbook (python-calamine), sheet XML,
lock files, atomic writes, and the write-back that patches a workbook in place."""
