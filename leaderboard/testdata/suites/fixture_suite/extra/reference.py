# Fixture reference of extra.
