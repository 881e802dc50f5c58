import comity


def test_public_names_are_exported_once() -> None:
    assert sorted(comity.__all__) == sorted(set(comity.__all__))
    for name in comity.__all__:
        assert hasattr(comity, name), name


def test_core_imports_no_interface_code() -> None:
    """The domain core (every package but the adapters and the store) imports no CLI,
    web, rendering or database code."""
    import ast
    from pathlib import Path

    folder = Path(comity.__file__).parent
    adapters = {"cli", "render", "api", "web"}
    core = [path for path in folder.rglob("*.py")
            if path.relative_to(folder).parts[0] not in adapters and path.name != "__main__.py"
            and "store" not in path.relative_to(folder).parts]
    assert len(core) > 20
    for path in core:
        tree = ast.parse(path.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        forbidden = {name for name in imported
                     if name.split(".")[0] in {"click", "rich", "sqlalchemy", "alembic",
                                               "fastapi", "starlette", "uvicorn", "jinja2"}
                     or name.startswith(("comity.cli", "comity.render", "comity.api",
                                         "comity.web", "comity.knowledge.store"))}
        assert not forbidden, f"{path.relative_to(folder)} imports {forbidden}"


def test_cli_reference_documents_every_command_and_option() -> None:
    """docs/cli.md is generated; it must name every command and option (the exact help
    layout varies between click versions, so the check is on content)."""
    from pathlib import Path

    import click

    from comity.cli.app import main
    from comity.cli.reference import walk_commands

    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text()
    for path, command in walk_commands(main, ["comity"]):
        assert f"## `{' '.join(path)}`" in docs, f"{' '.join(path)} is undocumented"
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                assert any(flag in docs for flag in parameter.opts), parameter.opts
