"""What a pass makes from a workbook: summaries, the summary workbook, the dashboard, the
Word documents, the monthly export, and the output folder rendered incrementally."""
