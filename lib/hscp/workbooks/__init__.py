"""The story of each notebook: one module per notebook, named after it.

A workbook module holds what a notebook says, not what it computes: the key
messages, the sentences, chart titles and alt text, and the keyword arguments of
each `report.table` / `report.figure` call, as plain functions over results the
models layer (measures, projection, flow, performance, spc) has computed. They are
unit-tested without papermill, so a key message can be checked against a
hand-made result.

A notebook cell is then one step of the story (compute, show a table, show a
figure), it defines no function, and a notebook reads top to bottom in well under
200 lines of code. Numbers in sentences go through `hscp.text` (or the report's
bound `report.fmt_*`), with the disclosure threshold, so a sentence quotes a
number only as a published table shows it.
"""
