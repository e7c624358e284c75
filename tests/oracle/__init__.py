"""The oracle (issue 22): random programme histories, played through storage, against an independent count."""
