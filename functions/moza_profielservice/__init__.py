"""moza-profielservice: the reads of MOZa's profielservice contract (``POST /partij``,
``POST /partijen/bulk``) for MOZa's notification component, answered from the profiles under
doelbinding. None of the contract's writes is offered (``functions/registry.py``)."""
