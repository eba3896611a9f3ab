"""PyTorch's side of nn-layers' weight-file interop test (TorchInteropTest).

    python3 torch_interop.py read  FILE INPUT_JSON   load FILE into the model, print its output for INPUT
    python3 torch_interop.py write FILE INPUT_JSON   save a seeded, briefly trained model, print its output
    python3 torch_interop.py write-native FILE INPUT_JSON DTYPE
        save the state dict of Linear(4, 8), BatchNorm1d(8), ReLU, LayerNorm(8), Linear(8, 3) as
        PyTorch holds it: floats as DTYPE (F32, F64, F16 or BF16), num_batches_tracked as I64;
        print the output of the model with its weights rounded to DTYPE

The model of read and write is Linear(4, 8), ReLU, Linear(8, 3), BatchNorm1d(3), in eval mode. Debian ships no
`safetensors` package, so the format is written and read here with json and struct, following
its specification: 8-byte little-endian header length, JSON header, little-endian data.
"""
import json
import struct
import sys

import torch


def architecture():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3), torch.nn.BatchNorm1d(3))


TORCH_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
                "I64": torch.int64}


def save_native(path, state, float_dtype):
    """Writes each tensor in its own dtype (floats converted to float_dtype), as a safetensors writer would."""
    header, blobs, offset = {}, [], 0
    for name, tensor in state.items():
        t = tensor.detach()
        name_dtype = "I64" if t.dtype == torch.int64 else float_dtype
        t = t.to(TORCH_DTYPES[name_dtype]).contiguous()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": name_dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
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
    if mode == "write-native":
        torch.manual_seed(5)
        model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
                                    torch.nn.LayerNorm(8), torch.nn.Linear(8, 3))
        with torch.no_grad():
            model[3].weight.uniform_(0.5, 1.5)     # LayerNorm's affine part away from (1, 0)
            model[3].bias.uniform_(-0.5, 0.5)
        model.train()
        for _ in range(3):
            model(torch.randn(16, 4))          # running statistics away from their defaults; 3 batches
        dtype = sys.argv[4]
        save_native(path, model.state_dict(), dtype)
        with torch.no_grad():                  # the weights as the file holds them
            for t in model.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.to(TORCH_DTYPES[dtype]).float())
    elif mode == "read":
        model.load_state_dict(load(path), strict=True)
    else:
        torch.manual_seed(3)
        model = architecture()
        model.train()
        model(torch.randn(16, 4))          # moves the running statistics away from their defaults
        save_native(path, model.state_dict(), "F32")
    model.eval()
    with torch.no_grad():
        print(json.dumps(model(x).view(-1).tolist()))


if __name__ == "__main__":
    main()
