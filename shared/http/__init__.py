"""HTTP plumbing shared by the functions: the API object and the three runtime entry points."""
