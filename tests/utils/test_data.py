"""torchlike.utils.data against torch: batches (shapes, dtypes, values) without shuffling,
default_collate on every kind of sample, samplers, lengths, errors; shuffling reproducible."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

PRELUDE = """
data = torch.utils.data
X = torch.arange(20.0).reshape(10, 2)
Y = torch.arange(10)
ds = data.TensorDataset(X, Y)
"""

SNIPPETS = {
    "tensor_dataset": PRELUDE + """
print(len(ds), ds[3], ds[-1])
for bs, drop in ((3, False), (3, True), (5, False), (10, True), (1, False)):
    dl = data.DataLoader(ds, batch_size=bs, drop_last=drop)
    batches = list(dl)
    print(len(dl), len(batches), [b[0].shape for b in batches], batches[-1])
print(list(data.DataLoader(ds, batch_size=None))[:2])
""",
    "tensor_dataset_size_mismatch": """
data = torch.utils.data
try:
    data.TensorDataset(torch.zeros(3), torch.zeros(4))
except AssertionError as e:
    print("AssertionError", e)
""",
    "collate_kinds": """
data = torch.utils.data
np = __import__("numpy")
c = data.default_collate
print(c([1, 2, 3]))
print(c([1.5, 2.0]))
print(c([True, False]))
print(c(["a", "b"]))
print(c([torch.tensor([1, 2]), torch.tensor([3, 4])]))
print(c([np.array([1.0, 2.0], dtype=np.float32), np.array([3.0, 4.0], dtype=np.float32)]))
print(c([np.float64(1.5), np.float64(2.5)]), c([np.int32(1), np.int32(2)]))
print(c([(1, 2.0, "x"), (3, 4.0, "y")]))
print(c([[1, 2], [3, 4]]))
print(c([{"a": 1, "b": torch.ones(2)}, {"a": 2, "b": torch.zeros(2)}]))
print(c([{"nest": (torch.tensor(1.0), [5, 6])}, {"nest": (torch.tensor(2.0), [7, 8])}]))
print(data.default_convert((np.array([1, 2]), [np.int64(3)], {"k": np.zeros(2)})))
""",
    "collate_errors": """
data = torch.utils.data
np = __import__("numpy")
for batch in ([[1, 2], [3]], [object(), object()], [np.array(["a"]), np.array(["b"])],
              [torch.zeros(2), torch.zeros(3)]):
    try:
        data.default_collate(batch)
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, str(e).split(" at 0x")[0])
""",
    "custom_dataset_dicts": """
data = torch.utils.data
class Squares(data.Dataset):
    def __len__(self):
        return 5
    def __getitem__(self, i):
        return {"x": torch.tensor([float(i)]), "y": i * i, "name": f"s{i}"}
dl = data.DataLoader(Squares(), batch_size=2, num_workers=2)
for b in dl:
    print(b)
print(len(dl))
dl = data.DataLoader(Squares(), batch_size=2, collate_fn=lambda b: [s["y"] for s in b])
print(list(dl))
""",
    "iterable_dataset": """
data = torch.utils.data
class Stream(data.IterableDataset):
    def __iter__(self):
        return iter(torch.arange(7.0).reshape(7, 1))
    def __len__(self):
        return 7
for drop in (False, True):
    dl = data.DataLoader(Stream(), batch_size=3, drop_last=drop)
    print(len(dl), list(dl))
print(list(data.DataLoader(Stream(), batch_size=None))[:2])
for kw in ({"shuffle": True}, {"sampler": [0, 1]}, {"batch_sampler": [[0]]}):
    try:
        data.DataLoader(Stream(), **kw)
    except ValueError as e:
        print(e)
""",
    "samplers": PRELUDE + """
print(list(data.SequentialSampler(range(4))), len(data.SequentialSampler(range(4))))
bs = data.BatchSampler(data.SequentialSampler(range(7)), batch_size=3, drop_last=False)
print(list(bs), len(bs))
bs = data.BatchSampler(range(7), batch_size=3, drop_last=True)
print(list(bs), len(bs))
dl = data.DataLoader(ds, batch_sampler=[[0, 5], [9], [1, 2, 3]])
print(list(dl), len(dl))
dl = data.DataLoader(ds, sampler=[9, 8, 7], batch_size=2)
print(list(dl), len(dl))
print(len(data.RandomSampler(ds)), len(data.RandomSampler(ds, num_samples=25)))
print(sorted(data.RandomSampler(ds)) == list(range(10)))
print(len(list(data.RandomSampler(ds, replacement=True, num_samples=30))))
print(len(data.DataLoader(ds, batch_size=4, shuffle=True)))
""",
    "loader_errors": PRELUDE + """
for kw in ({"num_workers": -1}, {"timeout": -1}, {"prefetch_factor": 2},
           {"persistent_workers": True}, {"sampler": [0], "shuffle": True},
           {"batch_sampler": [[0]], "batch_size": 2}, {"batch_size": None, "drop_last": True},
           {"batch_size": 0}, {"batch_size": 2, "drop_last": 1}):
    try:
        data.DataLoader(ds, **kw)
    except ValueError as e:
        print(e)
dl = data.DataLoader(ds)
try:
    dl.batch_size = 3
except ValueError as e:
    print(e)
for kw in ({"replacement": 1}, {"num_samples": 0}):
    try:
        data.RandomSampler(ds, **kw)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
""",
    "subset_concat_split": PRELUDE + """
sub = data.Subset(ds, [4, 2, 0])
print(len(sub), sub[1], list(data.DataLoader(sub, batch_size=2)))
cat = data.ConcatDataset([sub, ds])
print(len(cat), cat[2], cat[3], cat[-1], cat.cumulative_sizes)
print(len(ds + ds))
parts = data.random_split(ds, [3, 7])
print([len(p) for p in parts], sorted(parts[0].indices + parts[1].indices) == list(range(10)))
parts = data.random_split(range(11), [0.3, 0.3, 0.4])
print([len(p) for p in parts])
parts = data.random_split(range(3), [0.5, 0.5, 0.0])
print([len(p) for p in parts])
try:
    data.random_split(ds, [3, 3])
except ValueError as e:
    print(e)
try:
    data.random_split(ds, [1.5, -0.5])
except ValueError as e:
    print(e)
""",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_matches_torch(name):
    assert_same(SNIPPETS[name])


def _epoch_orders(seed_fn):
    data = torchlike.utils.data
    ds = data.TensorDataset(torchlike.arange(12))
    seed_fn()
    dl = data.DataLoader(ds, batch_size=5, shuffle=True, generator=gen)
    return [[b[0].tolist() for b in dl] for _ in range(2)]


gen = torchlike.Generator()


def test_shuffle_reproducible_with_generator_and_manual_seed():
    a = _epoch_orders(lambda: gen.manual_seed(3))
    b = _epoch_orders(lambda: gen.manual_seed(3))
    assert a == b
    assert a[0] != a[1]  # a new permutation every epoch
    for epoch in a:
        assert sorted(x for batch in epoch for x in batch) == list(range(12))
        assert [len(x) for x in epoch] == [5, 5, 2]
    data = torchlike.utils.data
    ds = data.TensorDataset(torchlike.arange(12))
    orders = []
    for _ in range(2):
        torchlike.manual_seed(7)
        orders.append([b[0].tolist() for b in data.DataLoader(ds, batch_size=4, shuffle=True)])
    assert orders[0] == orders[1]
    torchlike.manual_seed(7)
    split = [p.indices for p in data.random_split(range(6), [2, 4])]
    torchlike.manual_seed(7)
    assert split == [p.indices for p in data.random_split(range(6), [2, 4])]


def test_collate_numpy_and_int_dtypes():
    c = torchlike.utils.data.default_collate
    assert c([1, 2]).dtype is torchlike.int64
    assert c([1.0, 2.0]).dtype is torchlike.float64
    out = c([np.zeros((2, 2), np.float32), np.ones((2, 2), np.float32)])
    assert out.dtype is torchlike.float32 and tuple(out.shape) == (2, 2, 2)
