"""Report sections. Each module builds one section from the warehouse and the statistics.

A section builder has the signature ``build(con, ctx) -> Section | None``: it queries what it
needs, calls pure statistics, and describes the result as blocks (cspkit.report.blocks).
It returns None when the section cannot be made for this area (the reason then goes into
``ctx`` notes by the caller).
"""
