"""MkDocs hooks added to every site build: keep the theme's HTML valid (Nu HTML Checker clean).

Material emits a few attributes that HTML forbids (``autocomplete`` on checkboxes,
``autocorrect``) and, on pages outside the navigation, a table-of-contents label whose toggle
is absent; axe-core also wants the search dialog named. The fixes are textual and idempotent.
"""

from __future__ import annotations

import os
import re

import jinja2

_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*type="checkbox"[^>]*?)\s+autocomplete="off"')
_AUTOCORRECT = re.compile(r'\s+autocorrect="off"')


def fix_html(output: str) -> str:
    output = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)
    output = _AUTOCORRECT.sub("", output)
    output = output.replace('data-md-component="search" role="dialog">',
                            'data-md-component="search" role="dialog" aria-label="Pencarian">')
    if 'id="__toc"' not in output:
        output = output.replace(' for="__toc"', "")
    return output


def on_post_page(output: str, page, config) -> str:
    return fix_html(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    return fix_html(output_content) if template_name.endswith(".html") else output_content


def on_env(env: jinja2.Environment, config, files):
    """Cache the theme's compiled templates on disk: compiling them is most of a small rebuild."""
    cache = os.path.join(os.path.dirname(config.config_file_path), "..", "jinja-theme")
    os.makedirs(cache, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(cache)
    return env
