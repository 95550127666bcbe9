"""save/load in PyTorch's checkpoint format: torch's files load in torchlike without torch,
torchlike's files load in torch with weights_only=True, and unsafe pickles are refused."""

from __future__ import annotations

import io
import os
import pathlib
import pickle
import subprocess
import sys
import textwrap

import pytest

import torchlike

# Builds the same checkpoint with either library (`lib`).
MAKE = """
def make(lib):
    od = __import__("collections").OrderedDict
    base = lib.arange(12.0).reshape(3, 4)
    sd = od()
    sd["weight"] = base
    sd["bias"] = lib.tensor([0.5, -1.5], dtype=lib.float64)
    sd["scalar"] = lib.tensor(7, dtype=lib.int32)
    sd["flags"] = lib.tensor([True, False, True])
    sd["half"] = lib.tensor([1.5, 2.25], dtype=lib.float16)
    sd["bf16"] = lib.tensor([1.0, -3.0], dtype=lib.bfloat16)
    sd["bytes"] = lib.tensor([1, 255], dtype=lib.uint8)
    sd["small"] = lib.tensor([[-1, 2]], dtype=lib.int8)
    sd["short"] = lib.tensor([300], dtype=lib.int16)
    sd["long"] = lib.tensor([2**40])
    sd["cplx"] = lib.tensor([1 + 2j], dtype=lib.complex64)
    sd["empty"] = lib.zeros(0, 3)
    sd["grad"] = lib.tensor([1.0, 2.0], requires_grad=True)
    return {"state_dict": sd, "epoch": 3, "name": "run-1", "lr": 0.125,
            "nested": [1, (2.5, "x"), {"k": [lib.tensor(2.0)]}], "none": None,
            "dtype": lib.float64, "size": lib.Size([2, 3]), "flag": True}
"""

SHOW = """
def show(obj, lib):
    def walk(o, depth=0):
        pad = "  " * depth
        if isinstance(o, lib.Tensor):
            print(pad, type(o).__name__, o.dtype, tuple(o.shape), o.requires_grad, o.tolist()
                  if o.dtype != lib.bfloat16 else o.float().tolist())
        elif isinstance(o, dict):
            print(pad, type(o).__name__, list(o))
            for v in o.values():
                walk(v, depth + 1)
        elif isinstance(o, (list, tuple)):
            print(pad, type(o).__name__, len(o))
            for v in o:
                walk(v, depth + 1)
        else:
            print(pad, repr(o))
    walk(obj)
"""


def _run_without_torch(code: str) -> str:
    """Run ``code`` in a fresh interpreter where ``import torch`` fails."""
    blocker = textwrap.dedent("""
        import sys
        class _Block:
            def find_spec(self, name, path=None, target=None):
                if name == "torch" or name.startswith("torch."):
                    raise ImportError("torch is blocked in this test")
        sys.meta_path.insert(0, _Block())
    """)
    proc = subprocess.run([sys.executable, "-c", blocker + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _capture(fn, *args) -> str:
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn(*args)
    return out.getvalue()


def _helpers():
    env: dict = {}
    exec(MAKE + SHOW, env)
    return env["make"], env["show"]


def test_torch_file_loads_without_torch(torch_ref, tmp_path):
    make, show = _helpers()
    path = tmp_path / "ckpt.pt"
    obj = make(torch_ref)
    # a non-contiguous view and a slice with an offset, saved with their whole storage
    obj["view_t"] = torch_ref.arange(6.0).reshape(2, 3).t()
    obj["view_off"] = torch_ref.arange(10, dtype=torch_ref.int64)[3:9:2]
    obj["param"] = torch_ref.nn.Parameter(torch_ref.ones(2))
    obj["shared"] = [obj["state_dict"]["weight"], obj["state_dict"]["weight"]]
    torch_ref.save(obj, path)
    expected = _capture(show, torch_ref.load(path, weights_only=True), torch_ref)
    got = _run_without_torch(MAKE + SHOW + f"""
import torchlike
assert "torch" not in sys.modules
obj = torchlike.load({str(path)!r})
show(obj, torchlike)
s = obj["shared"]
print("shared identity", s[0] is s[1])
""")
    assert got.replace("shared identity True\n", "") == expected
    assert "shared identity True" in got


def test_torchlike_file_loads_in_torch_weights_only(torch_ref, tmp_path):
    make, show = _helpers()
    for target in (tmp_path / "a.pt", str(tmp_path / "b.pth"), io.BytesIO()):
        torchlike.save(make(torchlike), target)
        if isinstance(target, io.BytesIO):
            target.seek(0)
        loaded = torch_ref.load(target, weights_only=True)
        assert _capture(show, loaded, torch_ref) == _capture(show, make(torch_ref), torch_ref)
        if isinstance(target, io.BytesIO):
            target.seek(0)
        again = torchlike.load(target)
        assert _capture(show, again, torchlike) == _capture(show, make(torchlike), torchlike)


def test_shared_tensors_stay_shared(torch_ref):
    t = torchlike.ones(3)
    buf = io.BytesIO()
    torchlike.save({"a": t, "b": t, "c": [t.detach()]}, buf)
    buf.seek(0)
    ref = torch_ref.load(buf)
    assert ref["a"] is ref["b"]
    assert ref["a"].untyped_storage().data_ptr() == ref["c"][0].untyped_storage().data_ptr()
    buf.seek(0)
    mine = torchlike.load(buf)
    assert mine["a"] is mine["b"]


def test_zip_layout_matches_torch(torch_ref, tmp_path):
    import zipfile

    torchlike.save({"w": torchlike.ones(2)}, tmp_path / "mine.pt")
    torch_ref.save({"w": torch_ref.ones(2)}, tmp_path / "ref.pt")
    mine = zipfile.ZipFile(tmp_path / "mine.pt")
    ref = zipfile.ZipFile(tmp_path / "ref.pt")
    ref_names = [n.replace("ref/", "mine/") for n in ref.namelist() if "serialization_id" not in n]
    assert mine.namelist() == ref_names
    for info in mine.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        if "/data/" in info.filename:
            header = info.header_offset + 30 + len(info.filename) + len(info.extra)
            assert header % 64 == 0
    for name in ("byteorder", "version", ".format_version", ".storage_alignment"):
        assert mine.read(f"mine/{name}") == ref.read(f"ref/{name}")


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo unsafe",))


class Custom:
    def __init__(self):
        self.value = torchlike.tensor([1.0, 2.0])


def _torch_error(torch_ref, buf) -> tuple[type, str]:
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError) as info:
        torch_ref.load(buf)
    return type(info.value), str(info.value)


def test_unsafe_pickles_refused_like_torch(torch_ref):
    for obj in ({"x": _Evil()}, [Custom()]):
        buf = io.BytesIO()
        torchlike.save(obj, buf)
        expected = _torch_error(torch_ref, buf)
        buf.seek(0)
        with pytest.raises(pickle.UnpicklingError) as info:
            torchlike.load(buf)
        assert (type(info.value), str(info.value)) == expected
        assert str(info.value).startswith("Weights only load failed")


def test_weights_only_false_loads_objects(tmp_path):
    path = tmp_path / "obj.pt"
    torchlike.save({"c": Custom(), "p": pathlib.PurePosixPath("a/b")}, path)
    loaded = torchlike.load(path, weights_only=False, map_location="cpu")
    assert isinstance(loaded["c"], Custom) and loaded["c"].value.tolist() == [1.0, 2.0]
    assert loaded["p"] == pathlib.PurePosixPath("a/b")


def test_module_state_dict_round_trip(torch_ref):
    if not hasattr(torchlike.nn, "Linear"):
        pytest.skip("torchlike.nn.Linear not available")
    torchlike.manual_seed(0)
    mine = torchlike.nn.Linear(3, 2)
    buf = io.BytesIO()
    torchlike.save(mine.state_dict(), buf)
    buf.seek(0)
    ref = torch_ref.nn.Linear(3, 2)
    sd = torch_ref.load(buf, weights_only=True)
    assert list(sd) == ["weight", "bias"]
    ref.load_state_dict(sd)
    assert ref.weight.tolist() == mine.weight.tolist()
    out = io.BytesIO()
    torch_ref.save(ref.state_dict(), out)
    out.seek(0)
    other = torchlike.nn.Linear(3, 2)
    other.load_state_dict(torchlike.load(out))
    assert other.bias.tolist() == mine.bias.tolist()
    whole = io.BytesIO()
    torchlike.save(mine, whole)
    whole.seek(0)
    clone = torchlike.load(whole, weights_only=False)
    assert type(clone) is type(mine) and clone.weight.tolist() == mine.weight.tolist()


def test_optimizer_state_dict_round_trip(torch_ref):
    w = torchlike.tensor([1.0, -2.0], requires_grad=True)
    opt = torchlike.optim.Adam([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    buf = io.BytesIO()
    torchlike.save(opt.state_dict(), buf)
    buf.seek(0)
    sd = torch_ref.load(buf, weights_only=True)
    assert sd["state"][0]["step"].dtype == torch_ref.float32
    assert sd["state"][0]["exp_avg"].tolist() == opt.state[w]["exp_avg"].tolist()
    assert sd["param_groups"][0]["betas"] == (0.9, 0.999)
    ref_w = torch_ref.tensor([1.0, -2.0], requires_grad=True)
    ref_opt = torch_ref.optim.Adam([ref_w], lr=0.1)
    ref_opt.load_state_dict(sd)
    assert ref_opt.state[ref_w]["exp_avg_sq"].tolist() == opt.state[w]["exp_avg_sq"].tolist()
