"""A `result_gold` as it travels from the candidate's or the yardstick's process to
the judge through a file (encode, then Decoded): tensors, numpy arrays, containers,
numbers, strings and None as they were; anything else as its type name and repr
(Opaque). paths() walks a decoded value's leaves for the comparisons of
upstream_rules.py."""

# Deeper than this, a value is kept as its type name and repr.
MAX_DEPTH = 64


class Opaque:
    """A value the file format does not carry: its type's name and repr."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __eq__(self, other):
        return isinstance(other, Opaque) and (self.type_name, self.text) == (other.type_name, other.text)

    def __hash__(self):
        return hash((self.type_name, self.text))

    def __repr__(self):
        return f"<{self.type_name} {self.text}>"


_NAMEDTUPLES = {}


def _namedtuple_type(name, fields):
    """One class per (name, fields), so that two decoded values of one type compare as
    GEAK-eval's type checks expect."""
    import collections

    key = (name, tuple(fields))
    if key not in _NAMEDTUPLES:
        safe = [f if f.isidentifier() and not f.startswith("_") else f"field{i}" for i, f in enumerate(fields)]
        _NAMEDTUPLES[key] = collections.namedtuple(name.rsplit(".", 1)[-1].replace("-", "_") or "result", safe)
    return _NAMEDTUPLES[key]


def _type_name(value):
    t = type(value)
    return f"{t.__module__}.{t.__qualname__}"


def encode(value, depth=0):
    """`value` as nested dicts, lists, CPU tensors and plain values, which
    torch.load(weights_only=True) reads back (decode undoes it)."""
    import numpy as np
    import torch

    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": _type_name(value), "repr": "(nested too deep)"}
    if isinstance(value, torch.Tensor) and type(value) is torch.Tensor:
        return {"t": "tensor", "device": value.device.type, "v": value.detach().cpu().clone()}
    if value is None or type(value) in (bool, int, float, str):
        return {"t": "plain", "v": value}
    if type(value) in (list, tuple):
        return {"t": type(value).__name__, "v": [encode(v, depth + 1) for v in value]}
    if type(value) is dict:
        return {"t": "dict", "k": [encode(k, depth + 1) for k in value], "v": [encode(v, depth + 1) for v in value.values()]}
    if isinstance(value, torch.Size):
        return {"t": "size", "v": [int(v) for v in value]}
    if type(value) is np.ndarray and value.dtype.kind in "biufc":
        return {"t": "ndarray", "dtype": str(value.dtype), "v": torch.from_numpy(np.ascontiguousarray(value).copy())}
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"t": "npscalar", "dtype": str(value.dtype), "v": value.item()}
    if isinstance(value, tuple):  # a namedtuple or a structseq (torch.return_types.*)
        fields = list(getattr(type(value), "_fields", None) or getattr(type(value), "__match_args__", None) or
                      [f"field{i}" for i in range(len(value))])
        return {"t": "namedtuple", "type": _type_name(value), "fields": fields[:len(value)],
                "v": [encode(v, depth + 1) for v in value]}
    try:
        text = repr(value)[:200]
    except Exception as e:  # noqa: BLE001 - a repr that raises is a value's own business
        text = f"(repr raised {type(e).__name__})"
    return {"t": "opaque", "type": _type_name(value), "repr": text}


class Decoded:
    """A decoded value and the device type each of its tensors was on."""

    def __init__(self, tree):
        self.devices = {}  # id(tensor) -> "cuda" / "cpu"
        self.value = self._decode(tree)

    def device(self, tensor):
        return self.devices.get(id(tensor), "cpu")

    def _decode(self, node):
        import numpy as np
        import torch

        tag = node["t"]
        if tag == "tensor":
            t = node["v"]
            self.devices[id(t)] = node["device"]
            return t
        if tag == "plain":
            return node["v"]
        if tag in ("list", "tuple"):
            items = [self._decode(v) for v in node["v"]]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            return {self._decode(k): self._decode(v) for k, v in zip(node["k"], node["v"])}
        if tag == "size":
            return torch.Size(node["v"])
        if tag == "ndarray":
            return node["v"].numpy().astype(node["dtype"], copy=False)
        if tag == "npscalar":
            return np.dtype(node["dtype"]).type(node["v"])
        if tag == "namedtuple":
            return _namedtuple_type(node["type"], node["fields"])(*[self._decode(v) for v in node["v"]])
        return Opaque(node["type"], node["repr"])


def paths(value, path="result_gold"):
    """(path, leaf) for every leaf of a decoded value, containers walked in order."""
    if type(value) is dict:
        for k, v in value.items():
            yield from paths(v, f"{path}[{k!r}]")
    elif isinstance(value, (list, tuple)) and not _is_size(value):
        for i, v in enumerate(value):
            yield from paths(v, f"{path}[{i}]")
    else:
        yield path, value


def _is_size(value):
    import torch

    return isinstance(value, torch.Size)


# ---- GEAK-eval's TritonBench-revised comparison ----------------------------------------
