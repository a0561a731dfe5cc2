"""lookup-preferences: an organisation asks how to reach partijen, for a registered purpose."""
