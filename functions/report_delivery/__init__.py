"""report-delivery: a contact detail that bounces for good becomes onbestelbaar - reported by an
organisation that was given it, or by NotifyNL's receipt of a message the service sent."""
