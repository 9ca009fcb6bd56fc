"""OPD submissions through Excel: a workbook of programmes out (``export``), the filled workbook
back in (``read`` checks every cell, ``apply`` turns it into source changes that validate).

``layout`` declares the sheets and columns that both directions share; ``records`` is the
comparable form of a programme that the workbook holds.
"""
