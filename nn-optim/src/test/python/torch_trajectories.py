"""PyTorch's side of nn-optim's trajectory test (TorchTrajectoryTest).

    python3 torch_trajectories.py CONFIG_JSON

CONFIG_JSON: {"p": [...], "c": [...], "w": [...], "steps": N, "runs": [[name, {kwargs}], ...]}.
For each run, minimizes sum(w·(p - c)²) + 0.1·sum(p⁴) from p with torch.optim.<name>(**kwargs)
for N steps and prints the final p of every run, as one JSON list of lists.
"""
import json
import sys

import torch


def main():
    cfg = json.loads(sys.argv[1])
    c = torch.tensor(cfg["c"], dtype=torch.float32)
    w = torch.tensor(cfg["w"], dtype=torch.float32)
    out = []
    for name, kwargs in cfg["runs"]:
        p = torch.tensor(cfg["p"], dtype=torch.float32, requires_grad=True)
        opt = getattr(torch.optim, name)([p], **kwargs)
        for _ in range(cfg["steps"]):
            opt.zero_grad()
            loss = (w * (p - c) ** 2).sum() + 0.1 * (p ** 4).sum()
            loss.backward()
            opt.step()
        out.append(p.detach().tolist())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
