"""Recognition: the honour board, each member's electronic portfolio and the users directory.

They read what the reputation services write (the ledger, likes, badges, visits) and never
write themselves; every figure is counted through forum.permissions' visibility filters.
"""
