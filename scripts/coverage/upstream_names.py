#!/usr/bin/env python3
"""List the public names of the Python toolkit (canns, canns-lib) for
docs/coverage.md.

Run with the reference toolkit installed (pip install canns canns-lib):

    python3 scripts/coverage/upstream_names.py [path/to/a/clone/of/Routhleck/canns] \
        > scripts/coverage/upstream_names.txt

A public name is a class or function that a public module defines (its
__module__ is that module and its name has no leading underscore), or that
a package lists in __all__.  Each is printed once, at the module that
defines it, as "<module>\t<name>\t<kind>".  With a checkout of the
canns repository, its examples/*.py are listed too ("example\t<path>").
The GUI (Qt) and TUI (Textual) internals are listed by their entry points
only.
"""
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore")

INTERNAL = ("canns.pipeline.asa_gui.", "canns.pipeline.asa.", "canns.pipeline.gallery.",
            "canns.typing")


OPTIONAL = None  # set in main: names that need an optional dependency


def public(modname):
    return not any(part.startswith("_") for part in modname.split("."))


def walk(pkgname):
    pkg = importlib.import_module(pkgname)
    mods = [pkgname] + [m.name for m in pkgutil.walk_packages(pkg.__path__, pkgname + ".")]
    seen = {}
    for name in mods:
        if not public(name) or name.startswith(INTERNAL):
            continue
        try:
            mod = importlib.import_module(name)
        except Exception as e:  # optional dependencies (Qt, ...)
            print(f"# could not import {name}: {e}", file=sys.stderr)
            continue
        cands = list(getattr(mod, "__all__", []))
        for n, obj in vars(mod).items():
            if getattr(obj, "__module__", None) == name:
                cands.append(n)
        for n in cands:
            if n.startswith("_"):
                continue
            try:
                obj = getattr(mod, n, None)
            except Exception:  # lazily imported optional parts (Qt)
                obj = None
            if obj is None:
                print(f"{name}\t{n}\tclass", file=OPTIONAL)
                continue
            if inspect.ismodule(obj):
                continue
            if inspect.isclass(obj):
                kind = "class"
            elif callable(obj):
                kind = "function"
            else:
                continue  # constants
            home = getattr(obj, "__module__", name) or name
            if not home.startswith(pkgname) or not public(home):
                home = name
            key = (home, n)
            if key not in seen:
                seen[key] = kind
    return seen


def main():
    global OPTIONAL
    import io
    OPTIONAL = io.StringIO()
    names = {}
    for pkg in ("canns", "canns_lib"):
        names.update(walk(pkg))
    import canns
    import canns_lib
    print(f"# canns {canns.__version__}, canns-lib {getattr(canns_lib, '__version__', '?')}")
    for line in OPTIONAL.getvalue().splitlines():
        mod, n, kind = line.split("\t")
        names.setdefault((mod, n), kind)
    for (mod, n), kind in sorted(names.items()):
        print(f"{mod}\t{n}\t{kind}")
    if len(sys.argv) > 1:
        out = subprocess.run(["git", "-C", sys.argv[1], "ls-tree", "-r", "--name-only", "HEAD", "examples"],
                             capture_output=True, text=True, check=True).stdout.split()
        for p in sorted(out):
            if p.endswith(".py") and "/legacy/" not in p and os.path.basename(p) != "__init__.py":
                print(f"example\t{p}")


if __name__ == "__main__":
    main()
