"""``masterplan diff``: what changed between two editions of a masterplan.

``sources`` reads each side (a git revision or a folder) into a scratch folder, ``compare`` sets two
loaded projects side by side (matching everything by id), ``changes`` holds the result's models and
``report`` renders it as text, a Markdown release note or JSON.
"""
