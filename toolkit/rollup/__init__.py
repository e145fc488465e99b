"""The roll-up: the province sees every ward (DESIGN.md §12, `doithoai rollup`).

One module per concern, in the order of a roll-up: ``discover`` (the ward files
in a folder), ``ward`` (one register read, lightly: five sheets, typed records,
no checks), ``predicates`` (answered / forwarded / open: the ward's own),
``timeline`` (the legal deadlines of a conference), ``store`` (DuckDB,
incremental by file digest), ``figures`` (pandas: wards, topics, deadlines),
``bodies`` (co-quan-tiep-nhan.xlsx: Lĩnh vực → receiving provincial body), then
the outputs ``workbooks`` (tong-hop.xlsx, kien-nghi-chuyen-cap-tren.xlsx),
``dashboard`` (index.html) and ``report`` (the Word report), and ``run`` which
ties them together.
"""
