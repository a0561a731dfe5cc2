"""verify-contact: the owner proves to receive at a contact detail, with a code sent to it."""
