"""Ridge Lab in a notebook: ``%load_ext ridge_lab``, then ``%grade [MODULE]`` and ``%hint MODULE``.

The extension lives in the grading engine (``checks/engine/notebook.py``); see README.md, "In a notebook".
"""

from checks.engine.notebook import load_ipython_extension

__all__ = ["load_ipython_extension"]
