"""Clinical documents that leave the clinic: the PDF letters, the access-request pack, emailed reports."""
