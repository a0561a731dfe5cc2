"""Everything around the functions: the local stack, the operator CLI, deployment templates."""
