"""read_below: what a rule may read of a build context stays inside the repository."""

from __future__ import annotations

from pathlib import Path

from python_docker_hooks._engine.files import MAX_BYTES, read_below


def test_reads_a_file_of_the_context(tmp_path: Path) -> None:
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "e.sh").write_bytes(b"exec x\n")
    assert read_below(str(tmp_path), str(tmp_path / "ctx"), "e.sh") == b"exec x\n"
    # A leading '/' in a COPY source is the context's root.
    assert read_below(str(tmp_path), str(tmp_path / "ctx"), "/e.sh") == b"exec x\n"


def test_refuses_dot_dot_out_of_the_root(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(b"x")
    repo = tmp_path / "repo"
    repo.mkdir()
    assert read_below(str(repo), str(repo), "../secret") is None


def test_refuses_a_symlink_leaving_the_root(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(b"x")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link").symlink_to(tmp_path / "secret")
    (repo / "dir").symlink_to(tmp_path)
    assert read_below(str(repo), str(repo), "link") is None
    assert read_below(str(repo), str(repo), "dir/secret") is None


def test_follows_a_symlink_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "real.sh").write_bytes(b"exec x\n")
    (tmp_path / "e.sh").symlink_to(tmp_path / "real.sh")
    assert read_below(str(tmp_path), str(tmp_path), "e.sh") == b"exec x\n"


def test_refuses_directories_missing_files_and_large_files(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "big").write_bytes(b"x" * (MAX_BYTES + 1))
    assert read_below(str(tmp_path), str(tmp_path), "d") is None
    assert read_below(str(tmp_path), str(tmp_path), "missing") is None
    assert read_below(str(tmp_path), str(tmp_path), "big") is None
