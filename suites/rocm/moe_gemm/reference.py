"""moe_gemm: out[t, j, :] = topk_weights[t, j] * (a[t, :] @ w[topk_ids[t, j]]^T) for
hidden states a (T, K), expert weights w (E, N, K), routing topk_ids (T, top_k) int32
and gate weights topk_weights (T, top_k) float32. Computed in float64 and returned in
a's dtype, shape (T, top_k, N)."""

import math

import torch


def make_inputs(case, gen):
    t, k, n = case.dims["T"], case.dims["K"], case.dims["N"]
    e, top_k = case.dims["E"], case.dims["TOPK"]
    a = (torch.randn(t, k, generator=gen) / math.sqrt(k)).to(case.dtype)
    w = torch.randn(e, n, k, generator=gen).to(case.dtype)
    # Router: random logits, top_k distinct experts per token, softmax gate weights
    # over the chosen ones (as in Mixtral). Expert loads come out uneven.
    logits = torch.randn(t, e, generator=gen)
    top_logits, topk_ids = torch.topk(logits, top_k, dim=1)
    topk_weights = torch.softmax(top_logits, dim=1).to(torch.float32)
    return [a, w, topk_ids.to(torch.int32), topk_weights]


def reference(a, w, topk_ids, topk_weights):
    t, top_k = topk_ids.shape
    out = torch.zeros(t, top_k, w.shape[1], dtype=torch.float64, device=a.device)
    ids = topk_ids.long()
    for e in range(w.shape[0]):
        tok, slot = torch.nonzero(ids == e, as_tuple=True)
        if tok.numel():
            y = a[tok].double() @ w[e].double().t()
            out[tok, slot] = y * topk_weights[tok, slot].double()[:, None]
    return out.to(a.dtype)


def baseline(a, w, topk_ids, topk_weights):
    """What a PyTorch user writes: pairs sorted by expert, one mm per expert, gate, scatter."""
    t, top_k = topk_ids.shape
    n = w.shape[1]
    flat_ids = topk_ids.reshape(-1)
    order = torch.argsort(flat_ids, stable=True)
    # One host sync for the group sizes, needed to slice the per-expert row blocks.
    counts = torch.bincount(flat_ids, minlength=w.shape[0]).tolist()
    x = a.index_select(0, order // top_k)
    y = torch.empty(t * top_k, n, dtype=a.dtype, device=a.device)
    for e, (xe, ye) in enumerate(zip(x.split(counts), y.split(counts))):
        if xe.shape[0]:
            torch.mm(xe, w[e].t(), out=ye)
    # Gate in float32 (the weights' dtype), rounded once into y.
    y.mul_(topk_weights.reshape(-1)[order, None])
    out = torch.empty_like(y)
    out[order] = y
    return out.view(t, top_k, n)
