"""record-contact: the write-backs of Open Klant 2's existing clients on the Klantinteracties API
(NotifyNL's OMC after it sent a message, Open Forms' "save for next time"): klantcontacten become
contact moments the partij sees, a digital address an unverified detail of its profile."""
