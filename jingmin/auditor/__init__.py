"""The audit administrator's pages over the log: search, page through and export it.

They stand above both `audit` (the log, its chain and its writing, which every domain imports to
record what it does) and `org` (roles, scope and the auditor's capability, whose services write
audit rows), so neither of those imports the other back. The URLs keep their `audit:` names.
"""
