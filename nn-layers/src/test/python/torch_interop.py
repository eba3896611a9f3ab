"""PyTorch's side of nn-layers' weight-file interop test (TorchInteropTest).

    python3 torch_interop.py read  FILE INPUT_JSON   load FILE into the model, print its output for INPUT
    python3 torch_interop.py write FILE INPUT_JSON   save a seeded, briefly trained model, print its output

The model is Linear(4, 8), ReLU, Linear(8, 3), BatchNorm1d(3), in eval mode. Debian ships no
`safetensors` package, so the format is written and read here with json and struct, following
its specification: 8-byte little-endian header length, JSON header, little-endian data.
"""
import json
import struct
import sys

import torch


def architecture():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3), torch.nn.BatchNorm1d(3))


def save(path, state):
    header, blobs, offset = {}, [], 0
    for name, tensor in state.items():
        t = tensor.detach().float().contiguous()
        data = struct.pack("<%df" % t.numel(), *t.view(-1).tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    state = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        values = struct.unpack("<%df" % ((end - begin) // 4), data[begin:end])
        state[name] = torch.tensor(values, dtype=torch.float32).reshape(info["shape"])
    return state


def main():
    mode, path, x = sys.argv[1], sys.argv[2], torch.tensor(json.loads(sys.argv[3]), dtype=torch.float32)
    model = architecture()
    if mode == "read":
        model.load_state_dict(load(path), strict=True)
    else:
        torch.manual_seed(3)
        model = architecture()
        model.train()
        model(torch.randn(16, 4))          # moves the running statistics away from their defaults
        save(path, model.state_dict())
    model.eval()
    with torch.no_grad():
        print(json.dumps(model(x).view(-1).tolist()))


if __name__ == "__main__":
    main()
