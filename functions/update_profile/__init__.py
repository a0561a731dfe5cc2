"""update-profile: add, change and remove contact details, set the postal address and preferences."""
