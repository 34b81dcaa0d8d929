"""The stubs (pitboss/_native.pyi) must describe the native module exactly.

Compares, by introspection, every public name of pitboss._native and of each of its classes
with what the stub declares, whether each member is a property or a method, and the parameter
names of every function (from pybind11's signatures), so the stubs cannot drift.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import pitboss
from pitboss import _native

STUB_PATH = Path(_native.__file__).with_name("_native.pyi")
STUB = ast.parse(STUB_PATH.read_text())
STUB_CLASSES = {node.name: node for node in STUB.body if isinstance(node, ast.ClassDef)}


def public(names: Any) -> set[str]:
    return {name for name in names if not name.startswith("_")}


def declared_names(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def stub_class_names(name: str) -> set[str]:
    """Names a stub class offers: its own, its stub bases', and its builtin bases'."""
    node = STUB_CLASSES[name]
    names = declared_names(node.body)
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in STUB_CLASSES:
            names |= stub_class_names(base.id)
        elif isinstance(base, ast.Name):
            names |= public(dir(getattr(builtins, base.id)))
    return names


def stub_functions(body: list[ast.stmt]) -> dict[str, list[ast.FunctionDef]]:
    functions: dict[str, list[ast.FunctionDef]] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef):
            functions.setdefault(node.name, []).append(node)
    return functions


def is_property(node: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)


def split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "[("
        depth -= char in "])"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def runtime_signatures(function: Any) -> list[list[str]]:
    """Parameter names of each overload, from pybind11's docstring ('*' marks keyword-only)."""
    pattern = re.compile(rf"^(?:\d+\. )?{re.escape(function.__name__)}\((.*)\) -> ", re.M)
    signatures = []
    for match in pattern.finditer(function.__doc__ or ""):
        names = [part.split(":")[0].split("=")[0].strip() for part in split_top_level(match[1])]
        signatures.append([n for n in names if n != "self"])
    assert signatures, f"no signature in the docstring of {function.__name__}"
    return signatures


def stub_signature(node: ast.FunctionDef) -> list[str]:
    args = node.args
    names = [a.arg for a in args.posonlyargs + args.args if a.arg != "self"]
    if args.vararg is not None:
        names.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        names.append("*")
    names += [a.arg for a in args.kwonlyargs]
    return names


def matches(runtime: list[str], stub: list[str]) -> bool:
    """Equal names; a runtime **kwargs may be spelled out in the stub as keyword-only names."""
    if "**kwargs" not in runtime:
        return runtime == stub
    named = [n for n in runtime if n != "**kwargs"]
    return stub[:len(named)] == named and (len(stub) == len(named) or stub[len(named)] == "*")


def check_functions(owner: Any, body: list[ast.stmt], where: str) -> None:
    for name, nodes in stub_functions(body).items():
        if name.startswith("__") or is_property(nodes[0]):
            continue
        runtime = {tuple(s) for s in runtime_signatures(getattr(owner, name))}
        stubs = [stub_signature(n) for n in nodes]
        assert len(runtime) == len(stubs), f"{where}.{name}: overload count differs"
        for signature in runtime:
            assert any(matches(list(signature), s) for s in stubs), \
                f"{where}.{name}{signature} has no matching stub among {stubs}"


def test_stub_names_every_public_attribute_of_the_module() -> None:
    assert public(declared_names(STUB.body)) == public(dir(_native))


@pytest.mark.parametrize("name", sorted(n for n in public(dir(_native))
                                        if inspect.isclass(getattr(_native, n))))
def test_stub_class_matches_the_native_class(name: str) -> None:
    cls = getattr(_native, name)
    assert name in STUB_CLASSES, f"{name} is not in the stub"
    assert public(dir(cls)) == public(stub_class_names(name))
    node = STUB_CLASSES[name]
    for member, nodes in stub_functions(node.body).items():
        static = inspect.getattr_static(cls, member)
        assert hasattr(cls, member), f"{name}.{member} does not exist"
        if not member.startswith("__"):
            assert is_property(nodes[0]) == isinstance(static, property), \
                f"{name}.{member}: property in one, method in the other"
    check_functions(cls, node.body, name)


def test_stub_functions_match_the_native_functions() -> None:
    check_functions(_native, STUB.body, "_native")


def test_package_re_exports_the_native_module() -> None:
    assert set(pitboss.__all__) == public(dir(_native))
    for name in pitboss.__all__:
        assert getattr(pitboss, name) is getattr(_native, name)
    assert pitboss.__version__ == _native.__version__


def test_package_is_typed() -> None:
    assert (Path(pitboss.__file__).parent / "py.typed").exists()
