"""nn.Module, Parameter and containers against torch: registration, iteration, state_dict,
hooks, printing."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

PRELUDE = """
nn = torch.nn
def fill(m, scale=1.0):
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(torch.linspace(-scale, scale * (1 + i / 7), p.numel()).reshape(p.shape))
    return m
"""

SNIPPETS = {
    "parameter": """
        p = nn.Parameter(torch.ones(2))
        print(p, isinstance(p, torch.Tensor), type(p).__name__, p.requires_grad, p.is_leaf)
        q = p * 2
        print(type(q).__name__, q, type(p.data).__name__, type(p.detach()).__name__)
        print(nn.Parameter(torch.arange(3), requires_grad=False))
        print(nn.Parameter())
        print(nn.Parameter(torch.zeros(2), requires_grad=False).requires_grad)
        import copy
        r = copy.deepcopy(p)
        print(type(r).__name__, r, r is p)
    """,
    "parameter_int_requires_grad": """
        nn.Parameter(torch.arange(3))
    """,
    "registration": """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.w = nn.Parameter(torch.ones(2, 3))
                self.register_buffer("rm", torch.zeros(3))
                self.register_buffer("tmp", torch.ones(1), persistent=False)
                self.fc = nn.Linear(3, 2)
                self.register_parameter("nothing", None)
                self.plain = torch.ones(1)
            def forward(self, x):
                return self.fc(x * self.w)
        n = Net()
        print(list(n._parameters), list(n._buffers), list(n._modules))
        print(n._non_persistent_buffers_set)
        print([k for k, _ in n.named_parameters()], [k for k, _ in n.named_buffers()])
        print([k for k, _ in n.named_modules()], [k for k, _ in n.named_children()])
        print(list(n.state_dict()), n.nothing, type(n.plain).__name__, "plain" in n.__dict__)
        print([k for k in dir(n) if k in ("w", "rm", "fc", "forward", "training", "tmp")])
        del n.rm
        print(list(n._buffers), hasattr(n, "rm"))
        n.fc = None
        print(list(n._modules.items()))
        n.w = None
        print(n._parameters["w"])
        print(n.get_submodule(""))
    """,
    "set_errors": """
        n = nn.Linear(2, 2)
        try:
            n.weight = torch.ones(2, 2)
        except TypeError as e:
            print(e)
        try:
            n.register_buffer("weight", torch.ones(1))
        except KeyError as e:
            print(repr(e))
        try:
            n.register_parameter("a.b", None)
        except KeyError as e:
            print(repr(e))
        try:
            n.add_module("x", 3)
        except TypeError as e:
            print(e)
        try:
            n.register_parameter("c", torch.ones(1))
        except TypeError as e:
            print(e)
        class Bad(nn.Module):
            def __init__(self):
                self.p = nn.Parameter(torch.ones(1))
        try:
            Bad()
        except AttributeError as e:
            print(e)
        try:
            n.get_submodule("foo")
        except AttributeError as e:
            print(e)
        try:
            nn.Module()(1)
        except NotImplementedError as e:
            print(e)
        try:
            n.nothere
        except AttributeError as e:
            print(e)
    """,
    "nonleaf_parameter": """
        n = nn.Module()
        w = torch.ones(2, requires_grad=True) * 2
        n.register_parameter("p", w)
    """,
    "iteration_dedup": """
        shared = nn.Linear(2, 2)
        net = nn.Sequential(shared, nn.ReLU(), shared, nn.Sequential(nn.Linear(2, 1)))
        print(len(list(net.parameters())), [k for k, _ in net.named_parameters()])
        print([k for k, _ in net.named_parameters(remove_duplicate=False)])
        print([k for k, _ in net.named_modules()])
        print([k for k, _ in net.named_modules(remove_duplicate=False)])
        print([k for k, _ in net.named_modules(prefix="root")])
        print([k for k, _ in net.named_parameters(prefix="m", recurse=False)])
        print([type(m).__name__ for m in net.children()], [type(m).__name__ for m in net.modules()])
        print([k for k, _ in net[3].named_parameters(prefix="x")])
        names = []
        net.apply(lambda m: names.append(type(m).__name__))
        print(names)
    """,
    "train_eval_requires_grad": """
        net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Sequential(nn.ReLU()))
        print(net.training, [m.training for m in net.modules()])
        r = net.eval()
        print(r is net, [m.training for m in net.modules()])
        net.train()
        print([m.training for m in net.modules()])
        net.requires_grad_(False)
        print([p.requires_grad for p in net.parameters()])
        try:
            net.train("yes")
        except ValueError as e:
            print(e)
    """,
    "zero_grad": """
        net = fill(nn.Linear(3, 2))
        net(torch.ones(4, 3)).sum().backward()
        print(net.weight.grad, net.bias.grad)
        net.zero_grad(set_to_none=False)
        print(net.weight.grad, net.bias.grad)
        net(torch.ones(1, 3)).sum().backward()
        print(net.bias.grad)
        net.zero_grad()
        print(net.weight.grad, net.bias.grad)
    """,
    "to_dtype": """
        net = nn.Sequential(nn.Linear(2, 2))
        net[0].register_buffer("count", torch.tensor(3))
        w = net[0].weight
        net.double()
        print(net[0].weight.dtype, net[0].bias.dtype, net[0].count.dtype, net[0].weight is w)
        net.float()
        print(net[0].weight.dtype, type(net[0].weight).__name__)
        net.to(torch.float64)
        print(net[0].weight.dtype)
        net.to("cpu", torch.float32)
        print(net[0].weight.dtype, net[0].weight.device)
        net.half()
        print(net[0].weight.dtype, net[0].count.dtype)
        print(net.cpu() is net)
        net.to(torch.int64)
    """,
    "state_dict": """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
                self.register_buffer("steps", torch.tensor(0))
                self.register_buffer("cache", torch.zeros(1), persistent=False)
        a, b = fill(Net()), Net()
        sd = a.state_dict()
        print(type(sd).__name__, list(sd), sd["body.0.bias"], sd["body.0.bias"].requires_grad)
        print(a.state_dict(keep_vars=True)["body.0.bias"].requires_grad)
        print(list(a.state_dict(prefix="m.")))
        print(list(sd._metadata))
        print(b.load_state_dict(sd))
        print(b.body[0].bias, b.body[2].weight)
        del sd["body.2.bias"]
        sd["extra"] = torch.ones(1)
        sd["body.5.weight"] = torch.ones(1)
        r = b.load_state_dict(sd, strict=False)
        print(r, r.missing_keys, r.unexpected_keys)
        b.load_state_dict(sd)
    """,
    "state_dict_size_mismatch": """
        a = nn.Linear(2, 3)
        sd = nn.Linear(2, 4).state_dict()
        a.load_state_dict(sd)
    """,
    "state_dict_assign": """
        a = nn.Linear(2, 2)
        sd = fill(nn.Linear(2, 2)).state_dict()
        a.load_state_dict(sd, assign=True)
        print(a.weight, type(a.weight).__name__)
    """,
    "forward_hooks": """
        net = fill(nn.Linear(2, 2))
        calls = []
        def pre(m, args):
            calls.append(("pre", type(m).__name__, len(args)))
            return (args[0] * 2,)
        def pre_kw(m, args, kwargs):
            calls.append(("prekw", sorted(kwargs)))
        def post(m, args, out):
            calls.append(("post", args[0].shape))
            return out + 1
        def post_kw(m, args, kwargs, out):
            calls.append(("postkw", out.shape))
        h1 = net.register_forward_pre_hook(pre)
        h2 = net.register_forward_pre_hook(pre_kw, with_kwargs=True)
        h3 = net.register_forward_hook(post)
        h4 = net.register_forward_hook(post_kw, with_kwargs=True)
        h5 = net.register_forward_pre_hook(lambda m, a: calls.append("first"), prepend=True)
        y = net(torch.ones(1, 2))
        print(y, calls)
        for h in (h1, h2, h3, h4, h5):
            h.remove()
        print(net(torch.ones(1, 2)), len(calls))
        net.register_forward_pre_hook(lambda m, a, k: 5, with_kwargs=True)
        net(torch.ones(1, 2))
    """,
    "full_backward_hook": """
        net = fill(nn.Linear(3, 2))
        seen = []
        def hook(m, gin, gout):
            seen.append((type(m).__name__, gin, gout))
        h = net.register_full_backward_hook(hook)
        x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        y = net(x)
        print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
        (y * torch.tensor([[1.0, -2.0]])).sum().backward()
        print(seen)
        print(x.grad, net.weight.grad)
        h.remove()
        def double(m, gin, gout):
            return (gin[0] * 2,)
        net.register_full_backward_hook(double)
        x.grad = None
        net(x).sum().backward()
        print(x.grad)
    """,
    "full_backward_hook_no_input_grad": """
        net = fill(nn.Linear(2, 1))
        seen = []
        net.register_full_backward_hook(lambda m, gin, gout: seen.append((gin, gout)))
        net(torch.ones(1, 2)).sum().backward()
        print(seen)
    """,
    "backward_pre_hook": """
        net = fill(nn.Linear(2, 1))
        net.register_full_backward_pre_hook(lambda m, gout: (gout[0] * 10,))
        x = torch.ones(1, 2, requires_grad=True)
        net(x).sum().backward()
        print(x.grad, net.weight.grad)
    """,
    "repr_nested": """
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)] + [nn.ReLU()])
                self.heads = nn.ModuleDict({"a": nn.Linear(4, 2), "b": nn.Identity()})
                self.ps = nn.ParameterList([nn.Parameter(torch.ones(2, 3)), torch.zeros(4)])
                self.pd = nn.ParameterDict({"x": nn.Parameter(torch.ones(1)),
                                            "y": torch.ones(2, 2)})
        net = nn.Sequential(
            nn.Flatten(), nn.Linear(8, 4), nn.ReLU(), nn.Dropout(0.5), Block(),
            nn.Sequential(nn.Linear(4, 2, bias=False), nn.LeakyReLU(0.2), nn.Softmax(dim=1)),
            nn.Unflatten(1, (1, 2)), nn.Embedding(10, 3, padding_idx=0), nn.GELU("tanh"),
        )
        print(net)
        print(nn.ModuleList(), nn.Sequential(), nn.ParameterList(), Block().ps)
        print([k for k, _ in net.named_parameters()])
    """,
    "sequential_ops": """
        from collections import OrderedDict
        s = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU())]))
        print(s, s.fc, s[0], s[-1], len(s))
        t = s[0:1]
        print(type(t).__name__, t)
        s.append(nn.Linear(3, 1))
        s = nn.Sequential(*s)
        s.insert(0, nn.Identity())
        s.extend([nn.Tanh()])
        print(s, [type(m).__name__ for m in s])
        s.add_module("last", nn.Sigmoid())
        del s[0]
        print(list(s._modules))
        s[0] = nn.Linear(2, 3)
        print(s[0])
        print(s + nn.Sequential(nn.ReLU()))
        s[10]
    """,
    "lazy_linear": """
        net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.LazyLinear(1))
        print(net, net[0].weight)
        y = net(torch.ones(2, 3))
        print(net, net[0].weight.shape, type(net[0]).__name__, y.shape)
        print([k for k, _ in net.named_parameters()], len(net[0]._forward_pre_hooks))
    """,
    "module_list_dict": """
        ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU()])
        ml.append(nn.Tanh())
        ml.extend([nn.Sigmoid()])
        ml.insert(1, nn.Identity())
        print(ml, len(ml), ml[-1], type(ml[1:3]).__name__, len(ml[1:3]))
        del ml[0]
        print([type(m).__name__ for m in ml], list(ml._modules))
        md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
        md["c"] = nn.Linear(2, 2)
        print(md, list(md.keys()), "a" in md, len(md), [type(v).__name__ for v in md.values()])
        print(type(md.pop("a")).__name__, list(md))
        pl = nn.ParameterList([torch.ones(2)])
        pl.append(nn.Parameter(torch.zeros(1)))
        print(pl, [type(p).__name__ for p in pl], len(list(pl.parameters())))
        pd = nn.ParameterDict({"w": torch.ones(2)})
        pd["v"] = nn.Parameter(torch.zeros(3))
        print(pd, list(pd.keys()), "w" in pd, pd["w"])
        ml(1)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_module_matches_torch(name):
    assert_same(PRELUDE + SNIPPETS[name].replace("\n        ", "\n"))


def test_name_and_update_errors():
    """Checks now shared by register_buffer/register_parameter, get_parameter/get_buffer and
    ModuleDict/ParameterDict.update: every message as torch's."""
    assert_same(PRELUDE + """
class Bare(nn.Module):
    def __init__(self):
        pass
def attempts(m):
    yield lambda: Bare().register_buffer("b", None)
    yield lambda: Bare().register_parameter("p", None)
    for reg in (m.register_buffer, m.register_parameter):
        yield lambda: reg(3, None)
        yield lambda: reg("a.b", None)
        yield lambda: reg("", None)
        yield lambda: reg("training", None)
    yield lambda: m.register_buffer("bias", torch.ones(2))
    yield lambda: m.register_parameter("running_mean", None)
    yield lambda: m.get_parameter("nope")
    yield lambda: m.get_parameter("running_mean")
    yield lambda: m.get_buffer("weight")
    yield lambda: m.get_buffer("nope")
    yield lambda: nn.Sequential(m).get_buffer("0.zzz")
    for cls in (nn.ModuleDict, nn.ParameterDict):
        yield lambda: cls().update(3)
        yield lambda: cls().update([1])
        yield lambda: cls().update([("a",)])
        yield lambda: cls().update([("a", None), ("b", None, 2)])
m = nn.BatchNorm1d(2)
for f in attempts(m):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__, e)
print(nn.Sequential(m).get_buffer("0.running_mean"), nn.Sequential(m).get_parameter("0.bias"))
d = nn.ParameterDict()
try:
    d.update([("a", torch.ones(1)), ("b",)])
except ValueError as e:
    print(e, list(d))
""")
