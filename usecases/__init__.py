"""Use cases: what a person's action or a timer does, in one transaction, messages included."""
