"""The beats of the rhythm and the scheduler that plans them from the database."""
