"""A root model (a model of a list or a value rather than of an object) built when first used.

Apart from ``shared.models.base``: importing ``RootModel`` builds pydantic's own validator of it,
which functions without a root model need not pay for at their cold start.
"""

from typing import Generic

from pydantic import ConfigDict, RootModel
from pydantic.root_model import RootModelRootType


class DeferredRootModel(RootModel[RootModelRootType], Generic[RootModelRootType]):
    """A ``RootModel`` whose validator is built when first used: ``RootModel[X]`` builds it when
    the class is defined, that is at every cold start of every function importing it."""

    model_config = ConfigDict(defer_build=True)
