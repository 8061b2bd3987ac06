"""The ledger's pages, one module per area: ledger (the list and its xlsx), measures (a
measure's page, progress, evidence, create and edit), signoff (the workflow's steps),
rounds (rounds and their problems), imports (the feedback-list import).

Thin: scope (404 outside it), permission (403 with a reason), form, a call into
services or workflow, render."""
