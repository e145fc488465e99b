"""The core model, used by every layer above: the workbook's schema, typed values and
text rules, findings, Vietnamese working days, typed records and how a typed reference
(a group, a department, a list value) resolves. Nothing here reads or writes a file."""
