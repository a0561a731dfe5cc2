"""klantinteracties: the Klantinteracties API of Open Klant 2 for its existing clients (NotifyNL's
OMC, Open Forms): reads of partijen and digitaleadressen under doelbinding, and their write-backs."""
