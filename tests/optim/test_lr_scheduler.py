"""Learning-rate schedulers against torch: 20 steps of learning rates, warnings, state dicts."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

# Each body builds `sched` from `opt` (SGD with momentum, two param groups) or `adam`.
PRELUDE = """
w = torch.zeros(2, requires_grad=True)
v = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([{"params": [w]}, {"params": [v], "lr": 0.5}], lr=0.1, momentum=0.9)
adam = torch.optim.Adam([w], lr=0.01)
S = torch.optim.lr_scheduler
"""
LOOP = """
for epoch in range(20):
    sched.optimizer.step()
    sched.step({metric})
    print(epoch, sched.get_last_lr(), sched.last_epoch)
print(type(sched).__name__, sched.optimizer.param_groups[0]["lr"])
"""
SCHEDULERS = {
    "step": "sched = S.StepLR(opt, step_size=3, gamma=0.5)",
    "multistep": "sched = S.MultiStepLR(opt, milestones=[2, 5, 5, 11], gamma=0.3)",
    "exponential": "sched = S.ExponentialLR(opt, gamma=0.9)",
    "cosine": "sched = S.CosineAnnealingLR(opt, T_max=7, eta_min=0.001)",
    "lambda": "sched = S.LambdaLR(opt, lr_lambda=[lambda e: 0.95 ** e, lambda e: 1 / (e + 1)])",
    "multiplicative": "sched = S.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)",
    "linear": "sched = S.LinearLR(opt, start_factor=0.25, end_factor=0.9, total_iters=6)",
    "constant": "sched = S.ConstantLR(opt, factor=0.5, total_iters=4)",
    "polynomial": "sched = S.PolynomialLR(opt, total_iters=8, power=2.0)",
    "warm_restarts": "sched = S.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.01)",
    "onecycle_cos": "sched = S.OneCycleLR(opt, max_lr=[1.0, 2.0], total_steps=21)",
    "onecycle_linear_adam": (
        "sched = S.OneCycleLR(adam, max_lr=0.1, epochs=3, steps_per_epoch=7, pct_start=0.4, "
        "anneal_strategy='linear', three_phase=True)\n"
        "print(adam.param_groups[0]['betas'])"
    ),
    "plateau": "sched = S.ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=0.01)",
    "plateau_max_abs": (
        "sched = S.ReduceLROnPlateau(opt, mode='max', threshold_mode='abs', patience=1, "
        "threshold=0.1)"
    ),
}
METRICS = {"plateau": "[1.0, 0.9, 0.95, 0.96, 0.97, 0.8][epoch % 6]",
           "plateau_max_abs": "(epoch % 4) * 0.05"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_twenty_steps_match_torch(name):
    metric = METRICS.get(name, "")
    body = PRELUDE + SCHEDULERS[name] + "\n" + LOOP.format(metric=metric)
    if name.startswith("onecycle"):
        body += "print(sched.optimizer.param_groups[0].get('momentum'))\n"
    assert_same(body)


SNIPPETS = {
    "step_before_optimizer_warns": PRELUDE + """
sched = S.StepLR(opt, step_size=2)
sched.step()
print(sched.get_last_lr())
""",
    "overridden_step_warns": PRELUDE + """
sched = S.ExponentialLR(opt, gamma=0.5)
opt.step = lambda closure=None: None
opt.step()
sched.step()
""",
    "get_lr_outside_step_warns": PRELUDE + """
sched = S.StepLR(opt, step_size=2)
print(sched.get_lr())
""",
    "epoch_argument_warns": PRELUDE + """
sched = S.StepLR(opt, step_size=2, gamma=0.5)
opt.step()
sched.step(5)
print(sched.get_last_lr())
""",
    "state_dict": PRELUDE + """
sched = S.MultiStepLR(opt, milestones=[1, 3])
for _ in range(4):
    opt.step()
    sched.step()
sd = sched.state_dict()
print(sorted(sd), sd["last_epoch"], sd["_last_lr"], sd["base_lrs"], sd["milestones"])
other = S.MultiStepLR(torch.optim.SGD([v], lr=1.0), milestones=[])
other.load_state_dict(sd)
print(other.last_epoch, other.milestones, other.get_last_lr())
print(opt.param_groups[0]["initial_lr"], opt.param_groups[1]["initial_lr"])
""",
    "resume_without_initial_lr": "S = torch.optim.lr_scheduler\n" + """
w = torch.zeros(1, requires_grad=True)
try:
    S.StepLR(torch.optim.SGD([w], lr=0.1), step_size=1, last_epoch=3)
except KeyError as e:
    print(repr(e))
""",
    "errors": PRELUDE + """
for make in (lambda: S.StepLR(None, 1), lambda: S.LinearLR(opt, start_factor=0),
             lambda: S.ConstantLR(opt, factor=2), lambda: S.OneCycleLR(opt, max_lr=1.0),
             lambda: S.OneCycleLR(opt, max_lr=[1.0], total_steps=5),
             lambda: S.ReduceLROnPlateau(opt, factor=1.5),
             lambda: S.ReduceLROnPlateau(opt, mode="avg"),
             lambda: S.CosineAnnealingWarmRestarts(opt, T_0=0),
             lambda: S.LambdaLR(opt, [lambda e: 1.0])):
    try:
        make()
    except Exception as e:
        print(type(e).__name__, e)
sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=2)
for _ in range(3):
    opt.step()
    sched.step()
""",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_matches_torch(name):
    assert_same(SNIPPETS[name])
