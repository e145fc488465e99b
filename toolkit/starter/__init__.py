"""A new workbook: ``doithoai init``, its Hướng dẫn sheet and the fictional sample data."""
