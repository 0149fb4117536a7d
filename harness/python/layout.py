"""Device copies that keep a tensor's layout.

`Tensor.to(device)` and `clone()` compact a non-dense view (a padded row slice, every
other batch, an expanded broadcast) into a contiguous tensor, so a task that checks
strided inputs would only check them in the CPU interpreter. These copies move the
whole underlying storage and rebuild the same view (sizes, strides, offset) on it.
"""

import torch


def device_copy(t, device):
    """A copy of tensor `t` on `device` with t's sizes, strides and storage offset."""
    if t.is_contiguous() or t.element_size() == 0:
        return t.to(device, copy=True)
    storage = t.untyped_storage()
    if storage.nbytes() % t.element_size():
        return t.to(device, copy=True)  # a storage shared with another dtype: rare, compact it
    flat = torch.empty(0, dtype=t.dtype, device=t.device)
    flat.set_(storage, 0, (storage.nbytes() // t.element_size(),), (1,))
    return flat.to(device, copy=True).as_strided(t.size(), t.stride(), t.storage_offset())


def device_copies(args, device):
    """device_copy of every tensor in `args`; other values as they are."""
    return [device_copy(a, device) if isinstance(a, torch.Tensor) else a for a in args]
